import time

from django.core.management.base import BaseCommand

from clinics import stats
from clinics.synthetic import ClinicBuilder


class Command(BaseCommand):
    help = "Create N fictional clinics in bulk (for benchmarks and demos)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--sample",
            action="store_true",
            help="Use the curated sample cities and mark the clinics as sample data.",
        )

    def handle(self, count, seed, sample, **options):
        started = time.monotonic()
        builder = ClinicBuilder(seed=seed, sample=sample)
        created = builder.create(count)
        # Without fresh statistics PostgreSQL plans the filters as if the tables were empty.
        builder.analyze()
        stats.forget()
        self.stdout.write(f"Created {created} clinics in {time.monotonic() - started:.1f}s.")
