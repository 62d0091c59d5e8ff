from django.conf import settings
from django.db import models

from clinics.models import Clinic, Route

MESSAGE_MAX_LENGTH = 2000


def retention_days():
    """Inquiries are deleted this many days after they arrive (purge_inquiries)."""
    return settings.INQUIRY_RETENTION_DAYS


class Inquiry(models.Model):
    """
    A patient's message to a clinic. Health data: only what the clinic needs to
    reply, shown only to the clinic's staff and the editors, never logged. No IP
    address or browser details are kept.
    """

    # No index of its own: the (clinic, created_at) index starts with it.
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="inquiries", db_index=False
    )
    # What the sender would like to be called; often a first name, or nothing.
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    # Route slugs (clinics.models.Route), comma separated, in the routes' order.
    routes = models.CharField("treatments of interest", max_length=60, blank=True)
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField("received", auto_now_add=True)
    read_at = models.DateTimeField("first read", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "inquiries"
        indexes = [
            # A clinic's inbox, newest first, and its unread count.
            models.Index(fields=["clinic", "created_at"], name="inquiry_clinic_created_idx"),
        ]

    def __str__(self):
        # Never the message, name or email: this lands in admin history and logs.
        return f"Inquiry #{self.pk} to {self.clinic}"

    @property
    def first_name(self):
        """The name's first word: enough to tell inquiries apart where no more should show."""
        return self.name.split()[0] if self.name.strip() else ""

    @property
    def is_unread(self):
        return self.read_at is None

    def route_list(self):
        return [slug for slug in self.routes.split(",") if slug]

    def route_labels(self):
        labels = dict(Route.choices)
        return [labels.get(slug, slug) for slug in self.route_list()]
