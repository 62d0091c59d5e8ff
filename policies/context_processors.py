from django.conf import settings


def editors_email(request):
    """Where "email the editors" goes, on any page that says it."""
    return {"editors_email": settings.EDITORS_EMAIL}
