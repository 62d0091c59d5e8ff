"""The sample guides in fixtures/guides: complete, cited and reviewed."""

import re

import pytest
from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils import timezone

from articles.models import Guide
from articles.sample_guides import GUIDES_DIR, parse_guide
from clinics.models import DEFAULT_SERIES_SESSIONS

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
        # Reviewed, then published: never "Published Nov 16, Last reviewed Nov 20".
        published_on = timezone.localtime(guide.published_at).date()
        assert guide.last_reviewed <= published_on, guide.slug


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


NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twelve|\\d+"
COURSE_LENGTH = re.compile(rf"\b(?:{NUMBER_WORDS})(?: to (?:{NUMBER_WORDS}))? (?:doses|sessions)\b")


def test_the_at_home_guide_counts_a_first_course_as_the_directory_does():
    _, body = parse_guide((GUIDES_DIR / "at-home-ketamine.md").read_text())
    paragraphs = body.split("\n\n")
    sessions = apnumber(DEFAULT_SERIES_SESSIONS["at-home"])
    cost = next(p for p in paragraphs if "[[series at-home]]" in p)
    assert f"{sessions} sessions" in cost, "the first-course figure must say what it counts"
    # Every number of doses or sessions the guide gives is cited, or is how the
    # directory's own figure is worked out.
    for paragraph in paragraphs:
        for match in COURSE_LENGTH.finditer(paragraph):
            if match.group() != f"{sessions} sessions":
                assert "[ref:" in paragraph, f"uncited course length: {match.group()}"


def test_the_overview_guide_points_to_searches_not_to_particular_clinics():
    # A handful of clinics from across the country, inside a medically
    # reviewed guide for everyone, reads as a recommendation and is near
    # nobody: the overview sends readers to a search of their own instead.
    _, body = parse_guide((GUIDES_DIR / "ketamine-for-depression.md").read_text())
    assert "[[clinics" not in body
    assert "(/#states-heading)" in body  # browse by state
    assert "ZIP code" in body and "](/)" in body  # the home page's ZIP or city box
