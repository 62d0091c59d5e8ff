from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from clinics import old_slugs
from clinics.models import Clinic
from inquiries import notify
from inquiries.forms import InquiryForm
from inquiries.models import Inquiry, retention_days
from ketamine_directory.throttle import AddressThrottle
from listings.staff_pages import staff_clinic, staff_only

INQUIRIES_PER_PAGE = 25
# Messages sent (or caught by the honeypot) from one network address: room
# for writing to each of four clinics compared and then some, or for a few
# people on one library's or clinic's Wi-Fi; few enough to keep spam down.
SENT = AddressThrottle("inquiries:sent", limit=10, window=60 * 60)


def _listed_clinic(slug):
    """A published clinic, knowing whether anyone on its staff would read a message."""
    return get_object_or_404(
        Clinic.objects.published().prefetch_related("offerings").with_staff_flag(),
        slug=slug,
    )


# Not cached anywhere: the page carries a CSRF token, and after a POST what the
# visitor typed.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@old_slugs.follows_old_slugs(old_slugs.published)
def contact(request, slug):
    clinic = _listed_clinic(slug)
    if not clinic.has_staff:
        # Nobody would read it. Say so, and give back anything sent anyway.
        unsent = request.POST.get("message", "") if request.method == "POST" else ""
        return render(
            request,
            "inquiries/unclaimed.html",
            {"clinic": clinic, "unsent": unsent},
            status=409 if request.method == "POST" else 200,
        )
    form = InquiryForm(clinic, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if SENT.exceeded(request):
            return _throttled(request, clinic, form)
        if form.is_from_a_bot:
            # Looks like any other success to the bot; nothing is kept or sent.
            SENT.record(request)
            return redirect("inquiries:sent", slug=clinic.slug)
        if form.is_valid():
            # Counted and checked again in one step: a burst sent at once
            # passes exceeded() together.
            if not SENT.allow(request):
                return _throttled(request, clinic, form)
            inquiry = form.save()
            notify.tell_staff(request, inquiry)
            return redirect("inquiries:sent", slug=clinic.slug)
        status = 400
    return render(
        request,
        "inquiries/contact.html",
        {"clinic": clinic, "form": form, **_form_context()},
        status=status,
    )


def _form_context():
    return {"retention_days": retention_days()}


@require_safe
@old_slugs.follows_old_slugs(old_slugs.published)
def sent(request, slug):
    clinic = _listed_clinic(slug)
    if not clinic.has_staff:  # nothing could have been sent
        return redirect("inquiries:contact", slug=clinic.slug)
    return render(
        request, "inquiries/sent.html", {"clinic": clinic, "retention_days": retention_days()}
    )


@never_cache
@login_required
@staff_only
@old_slugs.follows_old_slugs(old_slugs.managed)
def inbox(request, slug):
    clinic = staff_clinic(request, slug)
    page = Paginator(clinic.inquiries.all(), INQUIRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inquiries/inbox.html",
        {"clinic": clinic, "page": page, "retention_days": retention_days()},
    )


@never_cache
@login_required
@staff_only
@old_slugs.follows_old_slugs(old_slugs.managed)
def detail(request, slug, pk):
    clinic = staff_clinic(request, slug)
    inquiry = get_object_or_404(clinic.inquiries, pk=pk)
    if inquiry.read_at is None:
        inquiry.read_at = timezone.now()
        Inquiry.objects.filter(pk=inquiry.pk, read_at__isnull=True).update(read_at=inquiry.read_at)
    return render(
        request,
        "inquiries/detail.html",
        {"clinic": clinic, "inquiry": inquiry, "retention_days": retention_days()},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@staff_only
@old_slugs.follows_old_slugs(old_slugs.managed)
def delete(request, slug, pk):
    clinic = staff_clinic(request, slug)
    if request.method != "POST":
        # Deleting can't be undone, so one click only asks; the page names the
        # inquiry by no more than the sender's first name and when it came.
        inquiry = get_object_or_404(clinic.inquiries, pk=pk)
        return render(request, "inquiries/delete.html", {"clinic": clinic, "inquiry": inquiry})
    # Not found is not an error: a second click of the button finds it gone, and
    # the first click's message says it was deleted.
    deleted, _ = clinic.inquiries.filter(pk=pk).delete()
    if deleted:
        messages.success(request, "The inquiry was deleted.")
    return redirect("inquiries:inbox", slug=clinic.slug)


def _throttled(request, clinic, form):
    response = render(
        request,
        "inquiries/contact.html",
        {"clinic": clinic, "form": form, "throttled": True, **_form_context()},
        status=429,
    )
    response["Retry-After"] = str(SENT.window)
    return response
