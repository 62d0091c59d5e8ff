from datetime import date, timedelta

from django.utils import timezone

from articles.models import FAQ, Guide, GuideRoute, Person, Reference


def make_person(name="Alex Reviewer", **fields):
    """A person, not marked as someone who may medically review guides unless told."""
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    fields.setdefault("credentials", "MD, psychiatrist")
    return Person.objects.get_or_create(name=name, defaults=fields)[0]


def make_reviewer(name="Alex Reviewer", **fields):
    """A clinician marked as someone who may medically review guides."""
    return make_person(name, reviews_medically=True, **fields)


def make_guide(title="A guide", *, routes=(), faqs=(), references=1, **fields):
    """A published guide (unless told otherwise) with a reviewer, FAQs and references."""
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("dek", "What this guide explains.")
    fields.setdefault("body", "Intro.\n\n## First part\n\nText [ref:1].\n\n## Second part\n\nMore.")
    fields.setdefault("category", Guide.Category.BASICS)
    fields.setdefault("meta_description", "A guide.")
    fields.setdefault("status", Guide.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(days=1))
    fields.setdefault("last_reviewed", date(2026, 11, 1))
    fields.setdefault("author", make_person("Sam Writer", credentials="Health writer"))
    fields.setdefault("medical_reviewer", make_reviewer())
    guide = Guide.objects.create(title=title, **fields)
    for route in routes:
        GuideRoute.objects.create(guide=guide, route=route)
    for order, (question, answer) in enumerate(faqs):
        FAQ.objects.create(guide=guide, question=question, answer=answer, order=order)
    for number in range(references):
        Reference.objects.create(
            guide=guide,
            order=number,
            authors="Doe J",
            title=f"Study {number + 1}",
            year=2020,
            url="https://example.org/study",
        )
    return guide


def inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_guide_data(author, reviewer, **changes):
    """What the admin's "add guide" form sends, with one FAQ, route and reference."""
    return {
        "title": "Editor's guide",
        "slug": "editors-guide",
        "dek": "Written by an editor.",
        "category": "basics",
        "body": "Hello [ref:1].\n\n## Part\n\nText.",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "updated_on": "",
        "author": author.pk,
        "medical_reviewer": reviewer.pk,
        "last_reviewed": "2026-11-10",
        "meta_description": "An editor's guide.",
        **inline_management("route_links", 1),
        "route_links-0-route": "iv",
        **inline_management("faqs", 1),
        "faqs-0-order": "1",
        "faqs-0-question": "Why?",
        "faqs-0-answer": "Because.",
        **inline_management("references", 1),
        "references-0-order": "1",
        "references-0-authors": "Doe J",
        "references-0-title": "A study",
        "references-0-publisher": "A journal",
        "references-0-year": "2020",
        "references-0-url": "https://example.org/a",
        "references-0-doi": "",
        **changes,
    }
