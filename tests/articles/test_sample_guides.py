"""The sample guides in fixtures/guides: complete, cited and reviewed."""

import re

import pytest

from articles.models import Guide
from articles.sample_guides import GUIDES_DIR, parse_guide

pytestmark = pytest.mark.django_db

GUIDE_FILES = sorted(p for p in GUIDES_DIR.glob("*.md") if p.name != "README.md")
# A number with a percent sign, or a count of patients or studies, is a statistic.
STATISTIC = re.compile(r"\d+(?:\.\d+)?\s?%|\b\d{1,3}(?:,\d{3})+\b")


def test_at_least_ten_sample_guides_are_published(sample_data, client):
    assert Guide.objects.visible().count() >= 10
    for guide in Guide.objects.visible():
        response = client.get(guide.get_absolute_url())
        assert response.status_code == 200
        assert "Medically reviewed by" in response.text


@pytest.mark.parametrize("path", GUIDE_FILES, ids=[p.stem for p in GUIDE_FILES])
def test_each_sample_guide_is_complete_and_cited(path):
    meta, body = parse_guide(path.read_text())
    words = len(body.split())
    assert 800 <= words <= 2000, f"{path.name}: {words} words"
    assert len(meta.get("reference", [])) >= 2
    assert 3 <= len(meta.get("faq", [])) <= 6
    assert len(meta["meta_description"]) <= 160
    assert meta["reviewer"] and meta["author"]
    cited = {int(n) for n in re.findall(r"\[ref:(\d+)\]", body)}
    assert cited <= set(range(1, len(meta["reference"]) + 1)), "a citation points nowhere"
    assert cited == set(range(1, len(meta["reference"]) + 1)), "a reference is never cited"
    assert not re.search(r"^# ", body, re.M), "guides start at ## headings"
    for paragraph in body.split("\n\n"):
        # Live directory figures ([[price iv]]) are computed, not quoted statistics.
        if STATISTIC.search(re.sub(r"\[\[.*?\]\]|\(/clinics/[^)]*\)", "", paragraph)):
            assert "[ref:" in paragraph, f"{path.name}: uncited figure in: {paragraph[:120]}"
