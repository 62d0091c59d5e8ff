from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from clinics import stats
from clinics.models import AcceptedPayer, Clinic, Condition, Offering, Payer


@receiver([post_save, post_delete], sender=Clinic)
@receiver([post_save, post_delete], sender=AcceptedPayer)
@receiver([post_save, post_delete], sender=Payer)
@receiver([post_save, post_delete], sender=Condition)
@receiver(m2m_changed, sender=Clinic.conditions.through)
def forget_directory_stats(**kwargs):
    stats.forget()


@receiver([post_save, post_delete], sender=Offering)
def offering_changed(sender, instance, raw=False, **kwargs):
    stats.forget()
    Clinic.refresh_lowest_price(instance.clinic_id)
    # Fixtures carry their own dates; a real edit stamps the clinic's prices as fresh.
    if not raw and Clinic.objects.filter(pk=instance.clinic_id).exists():
        instance.clinic.mark_prices_updated()
