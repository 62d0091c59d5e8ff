"""Typical prices (medians of the listed prices) are shown rounded, as the estimates they are."""

import pytest

from clinics.stats import rounded_typical
from tests.articles.builders import make_guide
from tests.builders import make_clinic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "median, shown",
    [
        (0, 0),
        (12, 10),
        (97.5, 100),
        (130, 125),
        (450, 450),
        (562.5, 575),
        (637.5, 650),
        (712.5, 725),
        (987.5, 1000),
        (2460, 2500),
        (3375, 3400),
        (4250, 4300),
    ],
)
def test_a_median_is_rounded_to_a_step_that_suits_its_size(median, shown):
    # $5 below $100, $25 below $1,000, $100 from there; halves round up.
    assert rounded_typical(median) == shown


@pytest.fixture
def clinics():
    # Medians $450 to $562.50 for IV and $637.50 to $712.50 for Spravato: the
    # falsely precise "$450 to $562" and "$638 to $712" of before.
    make_clinic(offerings={"iv": (400, 500), "spravato": (600, 700)})
    make_clinic(offerings={"iv": (500, 625), "spravato": (675, 725)})


def test_the_home_page_shows_typical_prices_rounded(client, clinics):
    page = client.get("/").text
    assert "typically <strong>$450 to $575</strong> per session" in page
    assert "typically <strong>$650 to $725</strong> per session" in page
    assert "$562" not in page and "$638" not in page


def test_guides_show_the_same_rounded_figures(client, clinics):
    guide = make_guide(
        "Costs",
        routes=["iv"],
        body="IV: [[price iv]]. Spravato: [[price spravato]]. Series: [[series iv]].",
    )
    page = client.get(guide.get_absolute_url()).text
    assert "IV: $450 to $575. Spravato: $650 to $725." in page
    # Six sessions: medians $2,700 to $3,375.
    assert "Series: $2,700 to $3,400." in page
    # The "clinics offering this" links under the guide agree.
    assert "typically $450 to $575 per session" in page


def test_the_lowest_price_listed_is_not_rounded(client):
    # Said as a fact about one clinic ("the lowest price listed is $412"), not an estimate.
    from clinics.stats import route_stats

    make_clinic(offerings={"iv": (412, 500)})
    make_clinic(offerings={"iv": (430, 520)})
    assert route_stats()["iv"]["cheapest"] == 412
