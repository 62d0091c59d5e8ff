"""
What an editor is told about a guide's Markdown on saving it and in the
preview: what the page leaves out (rendering.py says why; and a clinic
list in an FAQ answer or off a line of its own, live_blocks.py), and
citations that point to no reference.
"""

from articles.live_blocks import clinic_lists_in, stray_clinic_lists_in
from articles.rendering import missing_citations, render_markdown


def markdown_notes(rendered_body, faqs, reference_count):
    """Sentences for the editor, about the body (already rendered) and the FAQs' answers."""
    notes = list(rendered_body.removed) + [
        f"The clinic list “{marker}” is not on a line of its own (it is in a heading, a "
        "sentence or a list item, which can't hold a list), so it is left out. Put it on a "
        "line by itself, with an empty line before and after."
        for marker in dict.fromkeys(stray_clinic_lists_in(rendered_body.html))
    ]
    citations = list(rendered_body.citations)
    for faq in faqs:
        answer = render_markdown(faq.answer, anchors=False)
        lists = [
            f"The clinic list “{marker}” is left out: a list of clinics does not fit in "
            "an answer of a few sentences (which search engines read as text). Put it in "
            "the guide's body, or link to the directory's search instead."
            for marker in dict.fromkeys(clinic_lists_in(answer.html))
        ]
        notes += [
            f"In the answer to “{faq.question}”: {note}" for note in [*answer.removed, *lists]
        ]
        citations += answer.citations
    missing = missing_citations(list(dict.fromkeys(citations)), reference_count)
    return [*notes, missing] if missing else notes


def posted_reference_count(data, prefix="references"):
    """
    How many references the guide form lists (rows kept and filled in), or
    None when the form sent no reference rows at all.
    """
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return None
    return sum(
        1
        for index in range(min(total, 1000))
        if not data.get(f"{prefix}-{index}-DELETE")
        and any(data.get(f"{prefix}-{index}-{name}", "").strip() for name in ("authors", "title"))
    )
