from django.conf import settings
from django.contrib.humanize.templatetags.humanize import apnumber
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.models import Guide
from clinics.models import DEFAULT_SERIES_SESSIONS
from inquiries.models import MESSAGE_MAX_LENGTH, retention_days
from ketamine_directory.page_cache import cache_public_page

DAY = 24 * 60 * 60


@require_safe
@cache_public_page
def about(request):
    sample_staff = (
        Guide.objects.visible()
        .filter(Q(author__is_sample=True) | Q(medical_reviewer__is_sample=True))
        .exists()
    )
    return render(
        request,
        "policies/about.html",
        {
            "sample_staff": sample_staff,
            "stale_price_days": settings.STALE_PRICE_DAYS,
            "report_retention_days": settings.REPORT_RETENTION_DAYS,
            "series_sessions": DEFAULT_SERIES_SESSIONS,
        },
    )


@require_safe
@cache_public_page
def privacy(request):
    return render(
        request,
        "policies/privacy.html",
        {
            "inquiry_retention_days": retention_days(),
            "report_retention_days": settings.REPORT_RETENTION_DAYS,
            "message_max_length": MESSAGE_MAX_LENGTH,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_cookie_lasts": lifetime(settings.CSRF_COOKIE_AGE),
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_cookie_lasts": lifetime(
                None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE
            ),
        },
    )


def lifetime(seconds):
    """A cookie's age as people say it: 'two weeks', '3 days'."""
    if seconds is None:
        return "until you close your browser"
    days = round(seconds / DAY)
    if days and days % 7 == 0:
        weeks = days // 7
        return "a week" if weeks == 1 else f"{apnumber(weeks)} weeks"
    if days >= 1:
        return "a day" if days == 1 else f"{apnumber(days)} days"
    return "less than a day"
