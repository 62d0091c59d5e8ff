"""
Load the sample guides from fixtures/guides/*.md (format: fixtures/guides/README.md).

Each file is upserted by slug with its FAQs, references and routes, so running
the loader again refreshes the guides rather than duplicating them.
"""

import tomllib
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import FAQ, Guide, GuideRoute, Person, Reference
from clinics.models import Condition

GUIDES_DIR = Path(settings.BASE_DIR) / "fixtures" / "guides"
PUBLISHED = timezone.make_aware(datetime(2026, 11, 16, 9, 0))
# A guide is reviewed before it is published, never after.
REVIEWED = date(2026, 11, 12)


def parse_guide(text):
    """Split a guide file into its TOML header (a dict) and Markdown body."""
    _, header, body = text.split("+++", 2)
    return tomllib.loads(header), body.strip() + "\n"


@transaction.atomic
def load_sample_guides(directory=GUIDES_DIR):
    people = tomllib.loads((directory / "_people.toml").read_text())["person"]
    by_slug = {}
    for person in people:
        fields = {k: v for k, v in person.items() if k not in ("slug", "role")}
        # Only the clinicians among them may be named as a guide's reviewer.
        fields.setdefault("reviews_medically", False)
        by_slug[person["slug"]], _ = Person.objects.update_or_create(
            slug=person["slug"], defaults=fields
        )
    loaded = 0
    for path in sorted(directory.glob("*.md")):
        if path.name == "README.md":
            continue
        meta, body = parse_guide(path.read_text())
        reviewer = by_slug[meta["reviewer"]]
        if not reviewer.reviews_medically:
            # Saved without the admin's checks: this one is made here.
            raise ValueError(
                f"{path.name}: the reviewer, {reviewer}, is not marked "
                "reviews_medically = true in _people.toml."
            )
        guide, _ = Guide.objects.update_or_create(
            slug=meta["slug"],
            defaults={
                "title": meta["title"],
                "dek": meta["dek"],
                "body": body,
                "category": meta["category"],
                "meta_description": meta["meta_description"],
                "author": by_slug[meta["author"]],
                "medical_reviewer": reviewer,
                "status": Guide.Status.PUBLISHED,
                "published_at": PUBLISHED,
                "last_reviewed": REVIEWED,
            },
        )
        guide.conditions.set(Condition.objects.filter(slug__in=meta.get("conditions", [])))
        guide.route_links.all().delete()
        GuideRoute.objects.bulk_create(
            GuideRoute(guide=guide, route=route) for route in meta.get("routes", [])
        )
        guide.faqs.all().delete()
        for order, faq in enumerate(meta.get("faq", []), start=1):
            FAQ.objects.create(
                guide=guide, question=faq["question"], answer=faq["answer"], order=order
            )
        guide.references.all().delete()
        for order, ref in enumerate(meta.get("reference", []), start=1):
            Reference.objects.create(
                guide=guide,
                order=order,
                authors=ref["authors"],
                title=ref["title"],
                publisher=ref.get("publisher", ""),
                year=ref.get("year"),
                url=ref.get("url", ""),
                doi=ref.get("doi", ""),
            )
        loaded += 1
    return loaded
