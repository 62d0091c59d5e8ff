from django.conf import settings
from django.core.management.base import BaseCommand

from listings.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email clinic staff whose prices were confirmed more than STALE_PRICE_DAYS (90) days "
        "ago, at most once a month per clinic. Run it weekly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.STALE_PRICE_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args, days, dry_run, **options):
        people, clinics = send_reminders(days=days, dry_run=dry_run)
        verb = "Would email" if dry_run else "Emailed"
        self.stdout.write(f"{verb} {people} staff about {clinics} clinics with old prices.")
