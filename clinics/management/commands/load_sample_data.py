from django.core.management import call_command
from django.core.management.base import BaseCommand

from clinics import stats


class Command(BaseCommand):
    help = "Load the fictional sample clinics and the sample guides (safe to run again)."

    def handle(self, **options):
        call_command("loaddata", "fixtures/sample_clinics.json", verbosity=options["verbosity"])
        stats.forget()
