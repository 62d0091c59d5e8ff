from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.sample_guides import load_sample_guides
from clinics import stats
from clinics.models import Condition, Payer
from clinics.vocabulary import ensure_vocabulary


class Command(BaseCommand):
    help = "Load the fictional sample clinics and the sample guides (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--guides-only", action="store_true", help="Load the guides but not the clinics."
        )

    def handle(self, guides_only=False, **options):
        if not guides_only:
            self.load_clinics(options["verbosity"])
        guides = load_sample_guides()
        if options["verbosity"]:
            self.stdout.write(f"Loaded {guides} sample guides.")

    def load_clinics(self, verbosity):
        ensure_vocabulary(Condition, Payer)
        fixture = settings.BASE_DIR / "fixtures" / "sample_clinics.json"
        call_command("loaddata", fixture, verbosity=verbosity)
        stats.forget()
