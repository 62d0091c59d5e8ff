"""
Keep the public listing in step with who manages it.

The clinic page offers the message form only while the clinic has staff to
read it. That page is cached whole for visitors, keyed by the directory
version, so a change of staff must change the version too, or the link would
appear or disappear up to 5 minutes late. That includes an account closed or
opened again (is_active), saved through the admin or any other save(); an
UPDATE of the accounts table itself (QuerySet.update) sends no signal, and
its pages run out their 5 minutes.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from clinics import stats
from clinics.models import Clinic
from listings.models import Membership


def unverify_if_nobody_manages(clinics):
    """Take the verified badge from those of `clinics` that no open account manages."""
    # "Verified" tells patients that someone at the clinic keeps the listing
    # up to date; once the last of them has gone, nobody does (a closed
    # account can't sign in to). Only a claim verifies it again (editors
    # cannot tick "verified" by hand).
    others = Membership.objects.filter(clinic=OuterRef("pk"), user__is_active=True)
    with transaction.atomic():
        # Two of the last staff leaving at once would each still see the
        # other, whose leaving is not yet committed, and the badge would stay.
        # Holding the clinics' rows until commit makes the second wait for the
        # first and then see it gone; in pk order, so two never wait on each other.
        list(clinics.select_for_update().order_by("pk").values_list("pk", flat=True))
        clinics.filter(is_verified=True).exclude(Exists(others)).update(
            is_verified=False, updated_at=timezone.now()
        )


@receiver(post_delete, sender=Membership)
def unverify_when_nobody_manages(instance, **kwargs):
    unverify_if_nobody_manages(Clinic.objects.filter(pk=instance.clinic_id))


@receiver(pre_save, sender=Membership)
def note_the_clinic_left(instance, **kwargs):
    # An editor may move a staff row to another clinic in the admin: for the
    # first clinic, that person has left.
    stored = Membership.objects.filter(pk=instance.pk).values_list("clinic_id", flat=True)
    instance._left_clinic_id = stored.first() if instance.pk else None


@receiver(post_save, sender=Membership)
def unverify_the_clinic_left(instance, **kwargs):
    left = getattr(instance, "_left_clinic_id", None)
    if left is not None and left != instance.clinic_id:
        unverify_if_nobody_manages(Clinic.objects.filter(pk=left))


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def note_whether_the_account_opens_or_closes(instance, update_fields=None, **kwargs):
    # Signing in saves last_login only, and a new account manages nothing yet.
    if instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        instance._opens_or_closes = False
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("is_active", flat=True)
    instance._opens_or_closes = stored.first() != instance.is_active


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def staff_account_opened_or_closed(instance, **kwargs):
    # A deactivated account can't sign in to keep the listing up to date, nor
    # read its messages (the message form goes with it): for the listing it is
    # as if that person had left. Opened again, the form comes back; the
    # listing stays unverified until a claim is approved again (an editor
    # removes the old staff row under Memberships, and the person claims).
    if not getattr(instance, "_opens_or_closes", False):
        return
    instance._opens_or_closes = False
    clinics = Membership.objects.filter(user=instance).values("clinic_id")
    if not clinics.exists():
        return
    if not instance.is_active:
        unverify_if_nobody_manages(Clinic.objects.filter(pk__in=clinics))
    stats.forget()


@receiver([post_save, post_delete], sender=Membership)
def staff_changed(**kwargs):
    stats.forget()
