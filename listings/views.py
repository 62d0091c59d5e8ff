from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from accounts.confirmation import address_hint, is_confirmed
from accounts.decorators import confirmed_email_required, signed_in_required
from clinics import old_slugs
from clinics.models import Clinic
from ketamine_directory.outgoing_mail import not_sent_to
from ketamine_directory.referrer_policy import keep_tokens_from_referers
from ketamine_directory.views import gives_back_typed
from listings import claims, new_clinics, reports, snapshots
from listings.domains import email_matches_website, website_domain
from listings.editing import EditConflict, changes_since, save_listing
from listings.forms import (
    ClaimForm,
    ListingEditForms,
    NewClinicClaimForm,
    NewClinicForm,
    ReportForm,
    typed_into_edit_page,
)
from listings.models import Claim, Membership
from listings.staff_pages import NotOnStaff, staff_clinic, staff_only
from policies.contact import email_the_editors

HISTORY_PER_PAGE = 50
# Claims are throttled, so more than this is rare: the newest are shown.
CLAIMS_SHOWN = 20


@login_required
def dashboard(request):
    claims_shown = request.user.clinic_claims.exclude(status=Claim.Status.APPROVED)
    claims_page = list(claims_shown.select_related("clinic")[: CLAIMS_SHOWN + 1])
    # Counted only when there are more than fit, to say how many are left out.
    claims_count = claims_shown.count() if len(claims_page) > CLAIMS_SHOWN else len(claims_page)
    claims_page = claims_page[:CLAIMS_SHOWN]
    return render(
        request,
        "listings/dashboard.html",
        {
            "memberships": request.user.clinic_memberships.select_related("clinic").annotate(
                unread_inquiries=Count(
                    "clinic__inquiries", filter=Q(clinic__inquiries__read_at__isnull=True)
                )
            ),
            "email_confirmed": is_confirmed(request.user),
            "claims": claims_page,
            "claims_count": claims_count,
        },
    )


@confirmed_email_required
@old_slugs.follows_old_slugs(old_slugs.published)
def claim(request, slug):
    clinic = get_object_or_404(Clinic.objects.published(), slug=slug)
    if Membership.objects.filter(clinic=clinic, user=request.user).exists():
        return redirect("listings:edit", slug=clinic.slug)
    open_claim = clinic.claims.filter(user=request.user, status__in=Claim.OPEN).first()
    if open_claim:
        return _open_claim(request, open_claim)
    form = ClaimForm(request.POST or None, initial={"work_email": request.user.email})
    if request.method == "POST" and claims.SENT.exceeded(request):
        return _claims_throttled(request, clinic, form)
    if request.method == "POST" and form.is_valid():
        # Counted and checked in one step, against a burst sent at once.
        if not claims.SENT.allow(request):
            return _claims_throttled(request, clinic, form)
        new_claim = form.save(commit=False)
        new_claim.clinic, new_claim.user = clinic, request.user
        by_email = email_matches_website(new_claim.work_email, clinic.website)
        new_claim.status = Claim.Status.EMAIL_SENT if by_email else Claim.Status.IN_REVIEW
        try:
            with transaction.atomic():
                new_claim.save()
        except IntegrityError:  # the same claim sent twice at once
            return redirect("listings:claim", slug=clinic.slug)
        if by_email:
            if not claims.send_link(request, new_claim):
                # Withdrawn at once, so the form (kept as typed) can be sent again.
                new_claim.delete()
                claims.SENT.give_back(request)
                form.add_error("work_email", not_sent_to(new_claim.work_email))
                return render(
                    request,
                    "listings/claim.html",
                    {
                        "clinic": clinic,
                        "form": form,
                        "website_domain": website_domain(clinic.website),
                    },
                )
            messages.success(
                request,
                f"We emailed a link to {new_claim.work_email}. Open it while signed in "
                "to confirm you work there.",
            )
        else:
            claims.ask_editors(request, new_claim)
            messages.success(
                request,
                "Thank you. An editor will check your claim, usually within two working days, "
                "and email you the answer.",
            )
        return redirect("listings:dashboard")
    return render(
        request,
        "listings/claim.html",
        {"clinic": clinic, "form": form, "website_domain": website_domain(clinic.website)},
    )


def _claims_throttled(request, clinic, form):
    form.add_error(
        None,
        format_html(
            "You have sent several claims in the last hour. Please wait an hour and send "
            "this one again, or {}.",
            email_the_editors(),
        ),
    )
    context = {"clinic": clinic, "form": form, "website_domain": website_domain(clinic.website)}
    return render(request, "listings/claim.html", context, status=429)


@confirmed_email_required
def add_clinic(request):
    if new_clinics.waiting_count(request.user) >= new_clinics.MAX_WAITING:
        return render(request, "listings/add_clinic.html", {"too_many": new_clinics.MAX_WAITING})
    clinic_form = NewClinicForm(request.POST or None, prefix="clinic")
    claim_form = NewClinicClaimForm(
        request.POST or None, prefix="claim", initial={"work_email": request.user.email}
    )
    if request.method == "POST" and clinic_form.is_valid() and claim_form.is_valid():
        try:
            new_clinics.add_clinic(request, clinic_form, claim_form)
        except IntegrityError:  # another clinic took the same address a moment before
            clinic_form.add_error(None, "That didn't go through. Please send it again.")
        else:
            messages.success(
                request,
                f"Thank you. An editor will check {clinic_form.instance.name}, usually within "
                "two working days, and email you. Once it is approved, the listing goes live "
                "and you can add its treatments and prices.",
            )
            return redirect("listings:dashboard")
    return render(
        request,
        "listings/add_clinic.html",
        {"clinic_form": clinic_form, "claim_form": claim_form},
    )


def _open_claim(request, open_claim):
    clinic = open_claim.clinic
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        # A mistyped work email would otherwise leave the person waiting for a
        # link that never comes. A new clinic's claim is its listing: not here.
        if not clinic.is_proposed:
            open_claim.delete()
            messages.success(
                request, f"Your claim of {clinic.name} is withdrawn. You can claim it again."
            )
        return redirect("listings:claim", slug=clinic.slug)
    if request.method == "POST" and request.POST.get("action") == "resend":
        if open_claim.status != Claim.Status.EMAIL_SENT:
            return redirect("listings:claim", slug=clinic.slug)
        refusal = claims.resend_refusal(request, open_claim)
        if refusal:
            messages.info(request, refusal)
        elif claims.send_link(request, open_claim):
            messages.success(request, f"We sent a new link to {open_claim.work_email}.")
        else:
            # Not sent: not counted among the links sent.
            claims.RESENT.give_back(request)
            claims.SENT.give_back(request)
            messages.error(
                request,
                f"We could not send an email to {open_claim.work_email}. Our email may be "
                "down for a while: please try again later. If the address is wrong, withdraw "
                "the claim and make it again.",
            )
        return redirect("listings:claim", slug=clinic.slug)
    return render(request, "listings/claim_pending.html", {"claim": open_claim})


# The claim link last opened in this session, for the page that confirms it.
CLAIM_LINK = "listings:claim-link"


@keep_tokens_from_referers
@login_required
def claim_confirm(request, token):
    """
    The emailed link. Its address holds the token, so it shows no form (see
    ketamine_directory.referrer_policy): the Confirm button is on the next page.
    """
    try:
        pending = claims.claim_from_token(token, request.user)
    except claims.OtherAccount:
        pass  # explained on the next page, which offers to sign out: a form
    except claims.AlreadyConfirmed as used:
        return _already_confirmed(request, used.claim)
    except claims.BadLink as problem:
        return render(request, "listings/claim_confirm.html", {"problem": str(problem)}, status=400)
    else:
        if request.method == "POST":  # a Confirm form from before it moved
            return _confirm_claim(request, pending)
    request.session[CLAIM_LINK] = token
    return redirect("listings:claim_confirm_opened")


@never_cache  # it names the signed-in account
@signed_in_required
def claim_confirm_opened(request):
    token = request.session.get(CLAIM_LINK)
    if token is None:
        problem = "Open the link in the email we sent you again."
        return render(request, "listings/claim_confirm.html", {"problem": problem}, status=400)
    try:
        pending = claims.claim_from_token(token, request.user)
    except claims.OtherAccount as other:
        return render(request, "listings/claim_confirm.html", _other_account(other, token))
    except claims.AlreadyConfirmed as used:
        return _already_confirmed(request, used.claim)
    except claims.BadLink as problem:
        return render(request, "listings/claim_confirm.html", {"problem": str(problem)}, status=400)
    if request.method == "POST":
        del request.session[CLAIM_LINK]
        return _confirm_claim(request, pending)
    return render(request, "listings/claim_confirm.html", {"claim": pending})


def _already_confirmed(request, claim):
    # Opened again from the email (or its confirming pressed twice): where it led.
    messages.info(request, f"You manage {claim.clinic.name} already: that link has been used.")
    return redirect("listings:edit", slug=claim.clinic.slug)


def _confirm_claim(request, pending):
    claims.approve(pending)
    messages.success(request, f"Confirmed: you can now manage {pending.clinic.name}.")
    return redirect("listings:edit", slug=pending.clinic.slug)


def _other_account(other, token):
    """What the page says of a link for a claim made by another account."""
    # Signing in again comes back to the link (the session, and the token in
    # it, end with signing out).
    link = reverse("listings:claim_confirm", args=[token])
    return {
        "clinic": other.claim.clinic,
        # Whoever holds the link need not own the account: only a part of it.
        "other_account": address_hint(other.claim.user.email),
        "sign_in_url": redirect_to_login(link)["Location"],
    }


def _member_clinic(request, slug):
    return staff_clinic(request, slug, Clinic.objects.prefetch_related("conditions"))


@gives_back_typed(typed_into_edit_page)
@signed_in_required
@staff_only
@old_slugs.follows_old_slugs(old_slugs.managed)
def edit(request, slug):
    try:
        clinic = _member_clinic(request, slug)
    except NotOnStaff as refused:
        # Removed while editing: what they typed is shown, to keep or pass on.
        if request.method == "POST":
            refused.typed = typed_into_edit_page(request.POST)
        raise
    conflict = unsure = None
    if request.method == "POST":
        forms = ListingEditForms(clinic, request.POST)
        if forms.is_valid():
            try:
                change = save_listing(
                    clinic,
                    request.user,
                    forms.values(),
                    version=forms.version,
                    started=forms.started,
                )
            except EditConflict as refused:
                clinic.refresh_from_db(fields=["edit_version"])
                conflict = snapshots.described_conflict(
                    changes_since(clinic, forms.version), refused.parts
                )
                conflict["broken"] = refused.broken
                # The same account, from another tab or device: not "someone else".
                conflict["by_you"] = all(
                    change.user_id == request.user.pk
                    for change, _, _ in conflict["overlapping"] + conflict["kept"]
                )
                forms.rebase(clinic.edit_version)
            else:
                if forms.details.cleaned_data["confirm_prices"]:
                    clinic.mark_prices_updated()
                if forms.insurance.payers_gone:
                    messages.info(
                        request,
                        "An insurance or payment option you had ticked was taken off the site "
                        "by the editors since you opened the page, so the listing no longer "
                        "lists it.",
                    )
                if not (change or forms.details.cleaned_data["confirm_prices"]):
                    messages.info(request, "Nothing had changed, so nothing was saved.")
                elif clinic.status != Clinic.Status.PUBLISHED:
                    messages.success(
                        request,
                        "Saved. Patients will see your changes once the editors list it again.",
                    )
                else:
                    messages.success(request, "Saved. The listing shows your changes now.")
                return redirect("listings:edit", slug=clinic.slug)
        elif forms.version_unknown and not forms.has_field_errors:
            # What saving the page again would write over the listing as it is now.
            now = snapshots.take(clinic)
            unsure = snapshots.described_changes(snapshots.diff(now, forms.values()))
    else:
        forms = ListingEditForms(clinic, snapshot=snapshots.take(clinic))
    status = 409 if conflict else (400 if forms.has_errors else 200)
    return render(
        request,
        "listings/edit.html",
        {
            "clinic": clinic,
            "forms": forms,
            "conflict": conflict,
            "unsure": unsure,
        },
        status=status,
    )


@login_required
@staff_only
@old_slugs.follows_old_slugs(old_slugs.managed)
def history(request, slug):
    clinic = _member_clinic(request, slug)
    changes = clinic.changes.select_related("user", "reverts").order_by("-version")
    page = Paginator(changes, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(change, snapshots.described(change)) for change in page]
    return render(
        request, "listings/history.html", {"clinic": clinic, "changes": rows, "page": page}
    )


@login_required
@staff_only
@old_slugs.follows_old_slugs(old_slugs.managed)
def leave(request, slug):
    """Stop managing a clinic (the last to leave takes the verified badge with them)."""
    clinic = _member_clinic(request, slug)
    if request.method != "POST":
        # One click should not end access for good: ask first, saying what it means.
        others = Membership.objects.filter(clinic=clinic, user__is_active=True)
        last = not others.exclude(user=request.user).exists()
        return render(request, "listings/leave.html", {"clinic": clinic, "last": last})
    Membership.objects.filter(clinic=clinic, user=request.user).delete()
    messages.success(request, f"You no longer manage {clinic.name}.")
    return redirect("listings:dashboard")


# Public pages of a clinic, not account pages: like the message form, the report
# form lives on a page of its own so the clinic page stays cacheable.
@old_slugs.follows_old_slugs(old_slugs.published)
def report_problem(request, slug):
    clinic = get_object_or_404(Clinic.objects.published(), slug=slug)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and reports.SENT.exceeded(request):
        return _report_throttled(request, clinic, form)
    if request.method == "POST" and form.is_valid():
        # Counted and checked in one step, against a burst sent at once.
        if not reports.SENT.allow(request):
            return _report_throttled(request, clinic, form)
        report = form.save(commit=False)
        report.clinic = clinic
        report.save()
        reports.tell_editors(request, report)
        return redirect("reports:sent", slug=clinic.slug)
    return render(request, "listings/report.html", {"clinic": clinic, "form": form})


def _report_throttled(request, clinic, form):
    context = {"clinic": clinic, "form": form, "throttled": True}
    response = render(request, "listings/report.html", context, status=429)
    response["Retry-After"] = str(reports.SENT.window)
    return response


@old_slugs.follows_old_slugs(old_slugs.published)
def report_problem_sent(request, slug):
    clinic = get_object_or_404(Clinic.objects.published(), slug=slug)
    return render(request, "listings/report_sent.html", {"clinic": clinic})
