from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from listings.models import ListingReport


class Command(BaseCommand):
    help = (
        "Delete listing reports dealt with more than REPORT_RETENTION_DAYS (90 by default) "
        "ago. Reports still waiting are kept. Run it daily."
    )

    def handle(self, *args, **options):
        # A report's free text may hold more than we asked for, so it goes once
        # it has served its purpose; the fix itself lives on in ListingChange.
        days = settings.REPORT_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = ListingReport.objects.filter(resolved_at__lt=cutoff).delete()
        self.stdout.write(
            f"Deleted {deleted} listing reports dealt with more than {days} days ago."
        )
