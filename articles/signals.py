from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import FAQ, Guide, GuideRedirect, GuideRoute, Person, Reference
from articles.versioning import forget_guides


@receiver([post_save, post_delete], sender=Guide)
@receiver([post_save, post_delete], sender=GuideRoute)
@receiver([post_save, post_delete], sender=FAQ)
@receiver([post_save, post_delete], sender=Reference)
@receiver([post_save, post_delete], sender=Person)
@receiver([post_save, post_delete], sender=GuideRedirect)
@receiver(m2m_changed, sender=Guide.conditions.through)
def guides_changed(**kwargs):
    forget_guides()
