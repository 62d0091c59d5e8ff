from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinics.models import Clinic


class Claim(models.Model):
    """Someone's request to manage a clinic's listing, and how it was decided."""

    class Status(models.TextChoices):
        EMAIL_SENT = "email-sent", "Waiting for the emailed link"
        IN_REVIEW = "in-review", "Waiting for an editor"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    OPEN = [Status.EMAIL_SENT, Status.IN_REVIEW]

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_claims"
    )
    work_email = models.EmailField()
    job_title = models.CharField("role at the clinic", max_length=100)
    message = models.TextField(
        "message to the editors",
        max_length=1000,
        blank=True,
        help_text="Anything that helps us check you work there.",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.IN_REVIEW)
    created_at = models.DateTimeField(auto_now_add=True)
    link_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.CharField(
        max_length=300, blank=True, help_text="Shown to the person who claimed, with the decision."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "user"],
                condition=Q(status__in=["email-sent", "in-review"]),
                name="one_open_claim_per_user_and_clinic",
            ),
        ]
        indexes = [
            # The editors' queue: open claims, oldest first.
            models.Index(fields=["status", "created_at"], name="claim_status_created_idx"),
        ]

    def __str__(self):
        return f"{self.user} for {self.clinic}"

    def get_absolute_url(self):
        return self.clinic.get_absolute_url()

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class Membership(models.Model):
    """A person allowed to edit a clinic's listing and read its inquiries."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    # The (user, clinic) constraint serves "my clinics"; clinic_id has its own index.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="clinic_memberships",
        db_index=False,
    )
    claim = models.ForeignKey(Claim, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clinic__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_membership_per_user"),
        ]

    def __str__(self):
        return f"{self.user} at {self.clinic}"

    def get_absolute_url(self):
        return self.clinic.get_absolute_url()


class ListingChange(models.Model):
    """
    One saved edit of a listing: who, when, and each changed part's old and new value.

    `changes` maps a part of the listing (see listings.snapshots) to [old, new],
    in the snapshot's own form, so an editor can put the old values back.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The clinic's edit_version this change produced.
    version = models.PositiveIntegerField()
    changes = models.JSONField()
    reverts = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reverted_by"
    )
    # Whether its author was an editor when they made it: staff are never
    # told an editor's address, not even after that editor has left.
    by_editor = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A listing's history, newest first, and "changes since version N".
            models.Index(fields=["clinic", "version"], name="listingchange_clinic_idx"),
        ]

    def __str__(self):
        # In the site's time, as the admin's date columns beside it are.
        return f"Change to {self.clinic} on {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.clinic.get_absolute_url()

    @property
    def is_creation(self):
        """The first entry of a clinic created in the admin (listings.editing.record_creation)."""
        return self.version == 0

    @property
    def author_for_staff(self):
        """Who made the change, as the clinic's staff are told: an editor's address is theirs."""
        if self.user is None or self.by_editor:
            return "an editor"
        return self.user.email


class ListingReport(models.Model):
    """A visitor's note that something on a listing looks wrong, for the editors to check."""

    class Problem(models.TextChoices):
        PRICE = "price", "A price is wrong"
        INSURANCE = "insurance", "Insurance or payment options are wrong"
        CONTACT = "contact", "The phone, website, address or hours are wrong"
        CLOSED = "closed", "The clinic has closed or moved"
        OTHER = "other", "Something else"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="reports")
    problem = models.CharField("what is wrong", max_length=12, choices=Problem)
    details = models.TextField(
        max_length=1000,
        blank=True,
        help_text=(
            "What you found, for example the price the clinic quoted you and when. "
            "Please leave out your name and any health details."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set together by the admin ("Mark dealt with" or the bulk action), never typed.
    resolved_at = models.DateTimeField("dealt with", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dealt with by",
    )
    editor_note = models.CharField(
        "editor's note",
        max_length=300,
        blank=True,
        help_text="What was checked or changed. Editors only; the visitor never sees it.",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The editors' queue: reports not yet dealt with, newest first.
            models.Index(fields=["resolved_at", "created_at"], name="report_queue_idx"),
        ]

    def __str__(self):
        return f"{self.get_problem_display()}: {self.clinic}"

    def get_absolute_url(self):
        return self.clinic.get_absolute_url()
