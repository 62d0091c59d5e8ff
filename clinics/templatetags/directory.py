import json
import re
from urllib.parse import quote

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.timezone import localdate

register = template.Library()

# The same escapes as Django's json_script: JSON-LD must not end the script early.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def dollars(value):
    """Whole dollars with thousands separators: 2400 -> $2,400."""
    if value is None or value == "":
        return ""
    return f"${int(value):,}"


@register.simple_tag
def price_range(low, high):
    """
    '$400' when both ends agree, otherwise '$400 to $575'.

    In words, not '$400–$575': screen readers commonly skip a dash, leaving
    "400 dollars 575 dollars". The spaces also let a narrow column wrap it.
    """
    if low == high:
        return dollars(low)
    return f"{dollars(low)} to {dollars(high)}"


@register.simple_tag
def series_cost(offering):
    """
    '6-session series about $2,400 to $2,700' worked out from the per-session price, or
    '6-session package: $2,400' when the clinic sells the series at a set price.
    """
    # Spravato's list price is what few insured patients pay (a copay, after
    # prior authorization): say so, or its series reads as thousands out of pocket.
    note = " before insurance" if offering.route == "spravato" else ""
    if offering.series_price:
        return format_html(
            "{}-session package: {}{}", offering.sessions, dollars(offering.series_price), note
        )
    return format_html(
        "{}-session series about {}{}",
        offering.sessions,
        price_range(offering.series_min, offering.series_max),
        note,
    )


# "ext. 12", "x3" at the end of a number as staff and patients type it.
PHONE_EXTENSION = re.compile(r"(?:ext\.?|x)\s*(\d+)\s*$", re.IGNORECASE)


@register.filter
def mailto_href(email, subject=""):
    """
    A mailto: address for `email`, with a subject if given. "?", "&" and "="
    may be in an address's part before the @: left as they are, they would
    add fields (a Cc, a body) of its sender's choosing to the reply.
    """
    local, _, domain = email.rpartition("@")
    href = f"mailto:{quote(local, safe='')}@{quote(domain, safe='')}"
    return f"{href}?subject={quote(subject, safe='')}" if subject else href


@register.filter
def tel_href(phone):
    """
    A tel: address a phone can dial: '(512) 555-0100 ext. 12' ->
    'tel:5125550100;ext=12'. Left in, the letters and dots of a number as typed
    make a dialler call the wrong number or none.
    """
    number, extension = phone, ""
    if match := PHONE_EXTENSION.search(phone):
        number, extension = phone[: match.start()], f";ext={match[1]}"
    plus = "+" if number.lstrip().startswith("+") else ""
    return f"tel:{plus}{re.sub(r'[^0-9]', '', number)}{extension}"


@register.simple_tag(takes_context=True)
def json_ld(context, data):
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        context.get("csp_nonce", ""),
        mark_safe(payload),
    )


@register.filter
def age(value):
    """
    'today', 'yesterday', '12 days ago', '3 months ago' for a past datetime, by
    the calendar: late last night is 'yesterday', as the date beside it says.
    """
    if not value:
        return ""
    days = (localdate() - localdate(value)).days
    if days < 1:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return f"{timesince(value, depth=1)} ago"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """
    The current query string with some parameters replaced (for pagination
    links); a parameter given as None is left out.
    """
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def select_options(bound_field):
    """
    A select field's <option> tags with the current value selected, or "" when
    the field has no choices. Built in one pass: Django's widget renders a
    template per option, which costs milliseconds on the directory's filters.
    """
    field = bound_field.field
    choices = getattr(field, "choices", None)
    if choices is None:
        choices = getattr(field.widget, "choices", ())
    current = str(bound_field.value()).lower()

    def options(choices):
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if str(value).lower() == current else "", label)
                for value, label in choices
            ),
        )

    # A group of choices, (name, [(value, label)]), is an <optgroup>.
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html('<optgroup label="{}">{}</optgroup>', value, options(label))
                if isinstance(label, (list, tuple))
                else options([(value, label)]),
            )
            for value, label in choices
        ),
    )


@register.filter
def without_full_stop(text):
    """A label that is a sentence ('I agree to …'), ready to be followed by ': why'."""
    return str(text).rstrip(".")
