"""
Keep the public listing in step with who manages it.

The clinic page offers the message form only while the clinic has staff to
read it. That page is cached whole for visitors, keyed by the directory
version, so a change of staff must change the version too, or the link would
appear or disappear up to 5 minutes late.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from clinics import stats
from clinics.models import Clinic
from listings.models import Membership


@receiver(post_delete, sender=Membership)
def unverify_when_nobody_manages(instance, **kwargs):
    # "Verified" tells patients that someone at the clinic keeps the listing
    # up to date; once the last of them has gone, nobody does. An editor who
    # has checked the listing another way can mark it verified again.
    if not Membership.objects.filter(clinic_id=instance.clinic_id).exists():
        Clinic.objects.filter(pk=instance.clinic_id, is_verified=True).update(
            is_verified=False, updated_at=timezone.now()
        )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def unverify_when_staff_are_deactivated(instance, update_fields=None, **kwargs):
    # A deactivated account can't sign in to keep the listing up to date, nor
    # read its messages (the message form goes with it): for the listing it is
    # as if that person had left. Signing in saves last_login only: skip that.
    if instance.is_active or (update_fields and "is_active" not in update_fields):
        return
    clinics = Membership.objects.filter(user=instance).values("clinic_id")
    if not clinics.exists():
        return
    others = Membership.objects.filter(clinic=OuterRef("pk"), user__is_active=True)
    Clinic.objects.filter(pk__in=clinics, is_verified=True).exclude(Exists(others)).update(
        is_verified=False, updated_at=timezone.now()
    )
    stats.forget()


@receiver([post_save, post_delete], sender=Membership)
def staff_changed(**kwargs):
    stats.forget()
