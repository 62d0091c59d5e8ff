from django.conf import settings
from django.db import models
from django.urls import reverse


class ConfirmedEmail(models.Model):
    """An account's email address, proved by opening a link sent to it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="confirmed_email"
    )
    # The address that was proved: if the account's address changes, it needs proving again.
    email = models.EmailField(max_length=150)
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-confirmed_at"]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("listings:dashboard")
