from django.apps import AppConfig


class ListingsConfig(AppConfig):
    """What clinic staff do with their listing: claim it, prove they work there, edit it."""

    name = "listings"
    verbose_name = "Clinic staff and listing changes"

    def ready(self):
        from listings import signals  # noqa: F401
