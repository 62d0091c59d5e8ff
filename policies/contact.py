"""How to reach the editors, for messages built in views rather than templates."""

from django.conf import settings
from django.utils.html import format_html


def email_the_editors():
    """'email the editors' as a mailto link: safe HTML, for form errors and messages."""
    return format_html('<a href="mailto:{}">email the editors</a>', settings.EDITORS_EMAIL)
