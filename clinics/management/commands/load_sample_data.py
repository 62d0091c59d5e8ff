from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.sample_guides import load_sample_guides
from clinics import stats


class Command(BaseCommand):
    help = "Load the fictional sample clinics and the sample guides (safe to run again)."

    def handle(self, **options):
        fixture = settings.BASE_DIR / "fixtures" / "sample_clinics.json"
        call_command("loaddata", fixture, verbosity=options["verbosity"])
        stats.forget()
        guides = load_sample_guides()
        if options["verbosity"]:
            self.stdout.write(f"Loaded {guides} sample guides.")
