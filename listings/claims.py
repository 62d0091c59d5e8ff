"""Deciding claims: the emailed link that proves a work address, and editors' decisions."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinics.models import Clinic
from ketamine_directory.outgoing_mail import send_email, tell_managers
from ketamine_directory.throttle import AccountThrottle
from listings.domains import email_matches_website
from listings.editing import save_listing
from listings.models import Claim, Membership

LINK_SALT = "listings.claim-link"
LINK_MAX_AGE = 3 * 24 * 60 * 60  # seconds; the email says 3 days
RESEND_AFTER = 60  # seconds between links for the same claim
# Claims one account makes in an hour. Each emails the editors or a work
# address, and a claim can be withdrawn and made again: without a limit that
# loop would flood either inbox, whatever the limit on new accounts.
SENT = AccountThrottle("listings:claims", limit=5, window=60 * 60)
# Links sent again, per account: a lost or filtered email needs one or two,
# and each is an email to an address the account chose. They count in SENT too.
RESENT = AccountThrottle("listings:claim-links-resent", limit=3, window=24 * 60 * 60)


class BadLink(Exception):
    pass


class OtherAccount(BadLink):
    """The link is for a claim another account made (`claim`)."""

    def __init__(self, claim):
        super().__init__(
            "This link belongs to another account. Sign in with the account that made the claim."
        )
        self.claim = claim


class AlreadyConfirmed(Exception):
    """The link was used: its claim is approved and its user is on the clinic's staff."""

    def __init__(self, claim):
        super().__init__(claim)
        self.claim = claim


def link_token(claim):
    # Only the claim's id: signed, not encrypted, and the URL reaches request
    # logs, which must never hold an email address.
    return signing.dumps(claim.pk, salt=LINK_SALT)


def claim_from_token(token, user):
    """The open claim a link proves, or BadLink with a reason a person can act on."""
    try:
        claim_id = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise BadLink(
            "This link has expired. Send yourself a new one from your account page."
        ) from None
    except signing.BadSignature:
        raise BadLink(
            "This link is not valid. Copy the whole link from the email, or ask for a new one."
        ) from None
    claim = Claim.objects.select_related("clinic", "user").filter(pk=claim_id).first()
    if claim is not None and claim.user_id != user.pk:
        raise OtherAccount(claim)
    if claim is None:
        raise BadLink(
            "This claim was withdrawn, so its link no longer works. To manage the clinic's "
            "listing, claim it again from the clinic's page."
        )
    if claim.is_approved and Membership.objects.filter(clinic=claim.clinic, user=user).exists():
        raise AlreadyConfirmed(claim)
    if claim.status != Claim.Status.EMAIL_SENT:
        raise BadLink(f"This claim is already decided: {claim.get_status_display().lower()}.")
    # The link proves the address is on the clinic's website's domain, as it
    # was when the link was sent; an editor may have corrected the website since.
    if not email_matches_website(claim.work_email, claim.clinic.website):
        raise BadLink(
            "The clinic's website has changed since this link was sent, so the link no "
            "longer shows that you work there. Withdraw this claim from the clinic's claim "
            "page and make it again."
        )
    return claim


def send_link(request, claim):
    """Email the claim's work address its link; False if the mail server did not take it."""
    url = request.build_absolute_uri(reverse("listings:claim_confirm", args=[link_token(claim)]))
    sent = send_email(
        f"the link of claim #{claim.pk}",
        f"Confirm you work at {claim.clinic.name}",
        render_to_string("listings/email/claim_link.txt", {"claim": claim, "url": url}),
        [claim.work_email],
    )
    if sent:  # else asking again need not wait the minute
        Claim.objects.filter(pk=claim.pk).update(link_sent_at=timezone.now())
    return sent


def can_resend(claim):
    return claim.link_sent_at is None or (
        (timezone.now() - claim.link_sent_at).total_seconds() >= RESEND_AFTER
    )


def resend_refusal(request, claim):
    """Why the claim's link is not sent again now (counting it if it is), or None."""
    if not can_resend(claim):
        return "A link was sent less than a minute ago. Check your inbox and spam folder."
    if not RESENT.allow(request):
        return (
            f"We have sent you {RESENT.limit} new links today, so we sent no more. Look in "
            "your spam folder, or try again tomorrow. If the work email is wrong, withdraw "
            "the claim and make it again."
        )
    if not SENT.allow(request):
        return (
            "You have sent several claims and links in the last hour. Please wait an hour "
            "and ask again."
        )
    return None


def ask_editors(request, claim):
    admin_url = request.build_absolute_uri(reverse("admin:listings_claim_change", args=[claim.pk]))
    clinic = claim.clinic
    # Not sent, the claim still waits in the admin's list of claims in review.
    what = f"the editors' notice of claim #{claim.pk}"
    if clinic.is_proposed:
        tell_managers(
            what,
            f"New clinic to review: {clinic.name}",
            f"{claim.user.email} added {clinic.name} ({clinic.city}, {clinic.state}) and asked "
            f"to manage it. Check the listing, then approve or reject the claim: {admin_url}\n",
        )
        return
    tell_managers(
        what,
        f"Claim to review: {clinic.name}",
        f"{claim.user.email} asked to manage {clinic.name}.\nReview it: {admin_url}\n",
    )


@transaction.atomic
def approve(claim, decided_by=None, note="", request=None):
    """
    Make the claimant a member of the clinic's staff; the listing becomes
    verified. An editor's decision (`decided_by`) is emailed to the claimant,
    with links built from `request`. False if that email could not be sent:
    the decision stands, and the editor is to tell the claimant another way.
    """
    claim.status = Claim.Status.APPROVED
    claim.decided_at = timezone.now()
    claim.decided_by = decided_by
    # The editor's note (from the form or the action) is emailed with the decision.
    claim.decision_note = note or claim.decision_note
    claim.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    Membership.objects.get_or_create(
        clinic=claim.clinic, user=claim.user, defaults={"claim": claim}
    )
    clinic = claim.clinic
    new_listing = clinic.is_proposed
    if new_listing:
        # A clinic its staff added goes live, in its history as the decider's change.
        save_listing(clinic, decided_by, {"status": Clinic.Status.PUBLISHED})
    if not clinic.is_verified:
        clinic.is_verified = True
        clinic.save(update_fields=["is_verified", "updated_at"])
    if decided_by is not None:
        return _tell_claimant(claim, new_listing, request)
    return True


@transaction.atomic
def reject(claim, decided_by, note="", request=None):
    claim.status = Claim.Status.REJECTED
    claim.decided_at = timezone.now()
    claim.decided_by = decided_by
    claim.decision_note = note or claim.decision_note
    claim.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    new_listing = claim.clinic.is_proposed
    if new_listing:
        # Hidden rather than deleted: the editors may want to see what was sent.
        save_listing(claim.clinic, decided_by, {"status": Clinic.Status.HIDDEN})
    return _tell_claimant(claim, new_listing, request)


def _tell_claimant(claim, new_listing, request=None):
    name = claim.clinic.name
    if new_listing:
        subject = f"{name} is listed now" if claim.is_approved else f"We could not list {name}"
    else:
        subject = f"Your claim of {name}: {claim.get_status_display().lower()}"
    reply_to = _editors_address()
    return send_email(
        f"the decision of claim #{claim.pk}",
        subject,
        render_to_string(
            "listings/email/claim_decided.txt",
            {
                "claim": claim,
                "new_listing": new_listing,
                "can_reply": bool(reply_to),
                "account_url": _absolute(request, reverse("listings:dashboard")),
            },
        ),
        [claim.user.email],
        reply_to=reply_to,
    )


def _absolute(request, path):
    # As the claim link and inquiry emails do; without a request (a shell),
    # the site's configured address.
    return request.build_absolute_uri(path) if request else settings.SITE_URL + path


def _editors_address():
    # The email sender is a no-reply address: answers go to the editors, when
    # there are some (EDITORS_EMAIL; else the first manager).
    address = settings.EDITORS_EMAIL or next(iter(settings.MANAGERS), "")
    if isinstance(address, tuple | list):  # the older (name, address) form
        address = address[1]
    return [address] if address else []
