from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.timezone import localtime

register = template.Library()


@register.filter
def timestamp(value):
    """
    <time> for a moment staff are shown, 'Dec. 3, 2026, 9:05 a.m. EST': with
    the zone, because the site's clock (TIME_ZONE) need not be theirs.
    """
    if not value:
        return ""
    local = localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        format_date(local, "c"),
        format_date(local, "N j, Y, g:i a T"),
    )
