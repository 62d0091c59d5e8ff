from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def editors_email_is_set(app_configs, **kwargs):
    # The About and Privacy pages print it, and people are told to write to it
    # to correct a listing or have a message deleted: it must reach someone.
    if not settings.EDITORS_EMAIL or settings.EDITORS_EMAIL.endswith("@localhost"):
        return [
            Warning(
                "EDITORS_EMAIL is not set: the About and Privacy pages would give visitors "
                f"{settings.EDITORS_EMAIL or 'no address'} to write to.",
                hint="Set EDITORS_EMAIL to the editors' shared address.",
                id="policies.W001",
            )
        ]
    return []
