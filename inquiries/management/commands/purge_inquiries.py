from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from inquiries.models import Inquiry, retention_days


class Command(BaseCommand):
    help = "Delete inquiries older than INQUIRY_RETENTION_DAYS (180 by default). Run it daily."

    def handle(self, *args, **options):
        days = retention_days()
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = Inquiry.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} inquiries received more than {days} days ago.")
