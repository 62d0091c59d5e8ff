"""schema.org data for guide pages: MedicalWebPage, and FAQPage when there are FAQs."""

from django.utils import timezone
from django.utils.html import strip_tags


def guide_json_ld(guide, faqs, request):
    """`faqs` as the page shows them: each with its `shown_html` (figures filled in)."""
    url = request.build_absolute_uri(guide.get_absolute_url())
    conditions = [condition.name for condition in guide.conditions.all()] or ["Depression"]
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": guide.title,
        "headline": guide.title,
        "description": guide.meta_description,
        "url": url,
        "datePublished": guide.published_at.isoformat() if guide.published_at else None,
        # As the page dates it: the last update an editor recorded, else publication.
        "dateModified": (
            guide.updated_on
            or (guide.published_at and timezone.localdate(guide.published_at))
            or timezone.localdate(guide.modified_at)
        ).isoformat(),
        "author": {"@type": "Person", "name": guide.author.name},
        # The guide's conditions; one about none in particular is about the site's subject.
        "about": [{"@type": "MedicalCondition", "name": name} for name in conditions],
    }
    # A published guide always has both; a draft shown to staff may not yet.
    if guide.last_reviewed:
        page["lastReviewed"] = guide.last_reviewed.isoformat()
    if guide.medical_reviewer:
        page["reviewedBy"] = {
            "@type": "Person",
            "name": guide.medical_reviewer.name,
            "jobTitle": guide.medical_reviewer.credentials,
        }
    data = [page]
    if faqs:
        data.append(
            {
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "url": url,
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq.question,
                        "acceptedAnswer": {
                            "@type": "Answer",
                            "text": strip_tags(faq.shown_html).strip(),
                        },
                    }
                    for faq in faqs
                ],
            }
        )
    return data
