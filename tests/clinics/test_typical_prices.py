"""
Typical prices are the spread most listed clinics charge within (from the
lower quartile of their lowest prices to the upper quartile of their highest),
rounded, as the estimates they are.
"""

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
    # Quartiles $425 to $593.75 for IV and $618.75 to $718.75 for Spravato:
    # rounded, not the falsely precise "$425 to $593".
    make_clinic(offerings={"iv": (400, 500), "spravato": (600, 700)})
    make_clinic(offerings={"iv": (500, 625), "spravato": (675, 725)})


def test_the_home_page_shows_typical_prices_rounded(client, clinics):
    page = client.get("/").text
    assert "typically <strong>$425 to $600</strong> per session" in page
    assert "typically <strong>$625 to $725</strong> per session" in page
    assert "$593" not in page and "$618" not in page


def test_typical_prices_span_what_most_clinics_charge_not_two_medians(client):
    # Spravato from $600 to $1,000, clinics' ranges narrow and spread out:
    # the medians of the lowest and highest prices ($750 to $775 here) are
    # a window most clinics charge nothing within.
    for low, high in [(600, 650), (650, 700), (700, 750), (750, 775), (775, 800), (850, 900)]:
        make_clinic(offerings={"spravato": (low, high)})
    make_clinic(offerings={"spravato": (950, 1000)})
    page = client.get("/").text
    # Lower quartile of the lowest prices $675, upper quartile of the highest $850.
    assert "typically <strong>$675 to $850</strong> per session" in page


def test_guides_show_the_same_rounded_figures(client, clinics):
    guide = make_guide(
        "Costs",
        routes=["iv"],
        body="IV: [[price iv]]. Spravato: [[price spravato]]. Series: [[series iv]].",
    )
    page = client.get(guide.get_absolute_url()).text
    assert "IV: $425 to $600. Spravato: $625 to $725." in page
    # Six sessions: quartiles $2,550 to $3,562.50.
    assert "Series: $2,600 to $3,600." in page
    # The "clinics offering this" links under the guide agree.
    assert "typically $425 to $600 per session" in page


def test_the_lowest_price_listed_is_not_rounded(client):
    # Said as a fact about one clinic ("the lowest price listed is $412"), not an estimate.
    from clinics.stats import route_stats

    make_clinic(offerings={"iv": (412, 500)})
    make_clinic(offerings={"iv": (430, 520)})
    assert route_stats()["iv"]["cheapest"] == 412
