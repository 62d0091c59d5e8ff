from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    """The pages that say who runs the site and how it treats what people send: About, Privacy."""

    name = "policies"
    verbose_name = "About and privacy"

    def ready(self):
        from policies import checks  # noqa: F401
