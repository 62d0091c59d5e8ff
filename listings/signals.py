"""
The clinic page offers the message form only while the clinic has staff to read it.

That page is cached whole for visitors, keyed by the directory version, so a
change of staff must change the version too, or the link would appear or
disappear up to 5 minutes late.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clinics import stats
from listings.models import Membership


@receiver([post_save, post_delete], sender=Membership)
def staff_changed(**kwargs):
    stats.forget()
