import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from clinics.models import Clinic, Payer
from tests.builders import make_clinic
from tests.clinics.builders import make_texas_and_colorado
from tests.pages import results, slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics():
    """A small directory with known routes, prices, payers and places."""
    return make_texas_and_colorado() | {
        "hidden": make_clinic(
            "Hidden Clinic", slug="hidden", status=Clinic.Status.HIDDEN, offerings={"iv": (1, 1)}
        ),
    }


def get_slugs(client, query):
    response = client.get(f"/clinics/?{query}")
    assert response.status_code == 200
    return sorted(slugs(response.text))


def test_lists_published_clinics_by_name(client, clinics):
    response = client.get("/clinics/")
    assert slugs(response.text) == ["austin-iv", "austin-cheap", "denver", "houston"]
    assert "4 clinics" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("route=iv", ["austin-iv", "houston"]),
        ("route=spravato&route=at-home", ["austin-cheap", "austin-iv", "denver"]),
        ("max_price=420", ["austin-cheap", "austin-iv", "denver"]),
        ("route=iv&max_price=500", ["austin-iv"]),
        ("route=spravato&max_price=680", ["denver"]),
        ("insurance=aetna", ["austin-iv", "denver"]),
        ("insurance=aetna&route=iv", []),
        ("insurance=cigna&route=kap", ["houston"]),
        ("insurance=self-pay", ["austin-cheap", "austin-iv"]),
        ("state=co", ["denver"]),
        ("state=TX&city=houston", ["houston"]),
        ("city=Austin", ["austin-cheap", "austin-iv"]),
        ("telehealth=1", ["austin-cheap"]),
        ("telehealth=yes", ["austin-cheap"]),  # as a person would type it in a shared link
        ("condition=ptsd", ["austin-iv"]),
        ("near=78701", ["austin-cheap", "austin-iv"]),
        ("near=78701&radius=250", ["austin-cheap", "austin-iv", "houston"]),
        ("near=78701&radius=250&route=iv&insurance=cigna", ["houston"]),
        # A price and an insurer are met by one session: Aetna pays for
        # Spravato only, and the sessions at $500 or less are self-pay.
        ("insurance=aetna&max_price=500", []),
        ("insurance=aetna&max_price=700", ["austin-iv", "denver"]),
        ("route=iv&route=spravato&insurance=aetna&max_price=450", []),
        ("route=iv&route=spravato&insurance=aetna&max_price=700", ["austin-iv", "denver"]),
        ("insurance=cigna&max_price=560", ["houston"]),
        ("insurance=self-pay&max_price=300", ["austin-cheap"]),
    ],
)
def test_each_filter_alone_and_combined(client, clinics, query, expected):
    assert get_slugs(client, query) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("city=Austin%2C+TX", ["austin-cheap", "austin-iv"]),
        ("city=austin+texas", ["austin-cheap", "austin-iv"]),
        ("city=Houston,+TX,+USA", ["houston"]),
        ("city=Austin%2C+CO", []),  # there is no Austin in Colorado listed
        # The state typed with the city is the newer choice.
        ("city=Austin%2C+TX&state=co", ["austin-cheap", "austin-iv"]),
        ("city=NYC", ["new-york"]),
        ("city=N.Y.C.", ["new-york"]),
        ("city=Washington", ["washington"]),  # a city, not the state
    ],
)
def test_the_city_box_reads_a_city_as_people_type_it(client, clinics, query, expected):
    # As the home page's search box does: "Austin, TX", "NYC".
    make_clinic("New York Clinic", slug="new-york", city="New York", state="NY", zip_code="10001")
    make_clinic("DC Clinic", slug="washington", city="Washington", state="DC", zip_code="20001")
    response = client.get(f"/clinics/?{query}")
    assert sorted(slugs(response.text)) == sorted(expected)
    fragment = client.get(f"/clinics/?{query}", headers={"HX-Request": "true"})
    assert sorted(slugs(fragment.text)) == sorted(expected)


@pytest.mark.parametrize("typed", ["1,000", "Austin, XX", "123 Congress Ave, Austin"])
def test_words_the_city_box_cannot_read_as_a_city_stay_as_typed(client, clinics, typed):
    # Only a state read with the city ("Austin, TX") or a known name ("NYC")
    # rewrites the box; a piece of the words ("000" of "1,000") never does.
    page = client.get("/clinics/", {"city": typed}).text
    assert f'name="city" id="id_city" value="{escape(typed)}"' in page


def test_a_city_typed_with_another_state_than_the_one_chosen_says_which_counts(client, clinics):
    # The state typed with the city is the newer, nearer choice (a state page's
    # menu was chosen for the visitor): searching the other led to "no clinics
    # in Austin, Colorado", a town that does not exist.
    for headers in ({}, {"HX-Request": "true"}):
        page = client.get("/clinics/?city=Austin%2C+TX&state=CO", headers=headers).text
        assert ("Searched Texas, the state typed with the city, rather than Colorado.") in page
        assert "2 clinics in Austin, Texas" in page
        assert "Austin, TX, Colorado" not in page
    page = client.get("/clinics/?city=Austin%2C+TX&state=CO").text
    assert 'name="city" id="id_city" value="Austin"' in page
    assert '<option value="TX" selected>' in page


def test_a_city_typed_with_its_state_shows_the_state_chosen(client, clinics):
    page = client.get("/clinics/?city=Austin%2C+TX").text
    assert '<option value="TX" selected>' in page
    assert 'name="city" id="id_city" value="Austin"' in page


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ("state=tx&city=austin", "2 clinics in Austin, Texas"),
        ("state=tx&city=AUSTIN", "2 clinics in Austin, Texas"),
        ("city=Austin%2C+TX", "2 clinics in Austin, Texas"),
        ("state=co", "1 clinic in Colorado"),
        ("route=iv", "2 clinics\n"),
    ],
)
def test_the_results_heading_says_where_the_search_is(client, clinics, query, heading):
    # With htmx the page's own heading may say "Find a ketamine clinic" (left
    # from a place page), so the results heading says where they are.
    for headers in ({}, {"HX-Request": "true"}):
        text = client.get(f"/clinics/?{query}", headers=headers).text
        found = re.search(r'<h2 id="results-heading"[^>]*>\s*(.*?)\s*</h2>', text, re.S)[1]
        assert (found + "\n").startswith(heading), found


@pytest.mark.parametrize("insurance", ["self-pay", "fsa-hsa"])
def test_paying_yourself_each_card_says_how(client, clinics, insurance):
    text = client.get(f"/clinics/?insurance={insurance}").text
    cards = dict(
        re.findall(r'data-clinic="([^"]+)".*?<p class="card-self-pay">(.*?)</p>', text, re.S)
    )
    expected = {
        "austin-iv": "Paying yourself: Payment plans",
        "austin-cheap": "Paying yourself: FSA/HSA cards",
    }
    assert cards == {slug: expected[slug] for slug in slugs(text)}
    # An insurer's search says nothing of paying yourself.
    assert "card-self-pay" not in client.get("/clinics/?insurance=aetna").text


def test_a_self_pay_search_costs_one_query_more_whatever_the_results(
    client, django_assert_max_num_queries
):
    for _ in range(30):
        make_clinic(payers=["payment-plans", "fsa-hsa", ("aetna", "spravato")])
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    # The matching ids, the page, its prices and its self-pay options.
    with django_assert_max_num_queries(4):
        response = client.get("/clinics/?insurance=self-pay&sort=name")
    assert response.text.count("Paying yourself: Payment plans · FSA/HSA cards") == 20


def test_route_filter_shows_prices_of_the_chosen_routes(client, clinics):
    found = results(client.get("/clinics/?route=iv&max_price=500").text)
    assert found == [{"slug": "austin-iv", "distance": None, "prices": {"iv": (400, 450)}}]


def test_a_price_ceiling_alone_shows_the_prices_within_it(client, clinics):
    found = {c["slug"]: c["prices"] for c in results(client.get("/clinics/?max_price=420").text)}
    assert found["austin-iv"] == {"iv": (400, 450)}  # not Spravato at $700
    assert found["denver"] == {"im": (300, 400)}


def test_every_route_price_is_shown_without_a_route_filter(client, clinics):
    found = {c["slug"]: c["prices"] for c in results(client.get("/clinics/").text)}
    assert found["denver"] == {"spravato": (650, 850), "im": (300, 400)}


def route_rows(html, slug):
    """{route: row text} of one clinic's card."""
    card = re.search(rf'data-clinic="{slug}".*?</ul>', html, re.S).group(0)
    rows = re.findall(r'data-route="([a-z-]+)"(.*?)</li>', card, re.S)
    return {route: " ".join(re.sub(r"<[^>]+>", " ", row).split()) for route, row in rows}


def test_with_an_insurer_chosen_each_price_says_whether_it_takes_it(client, clinics):
    # Aetna pays for Austin's Spravato only: its IV price must not look covered.
    rows = route_rows(client.get("/clinics/?insurance=aetna").text, "austin-iv")
    assert "Aetna accepted" in rows["spravato"]
    assert "Aetna not accepted" in rows["iv"]
    # Accepted for every route.
    rows = route_rows(client.get("/clinics/?insurance=cigna").text, "houston")
    assert "Cigna accepted" in rows["iv"] and "Cigna accepted" in rows["kap"]
    # Self-pay options are not insurance, and no choice says nothing.
    for query in ("insurance=self-pay", "insurance=payment-plans", ""):
        assert "accepted" not in client.get(f"/clinics/?{query}").text


def test_series_estimate_is_shown(client, clinics):
    assert "6-session series about $2,400 to $2,700" in client.get("/clinics/?route=iv").text


def test_a_package_price_is_not_called_an_estimate(client):
    make_clinic(offerings={"iv": {"price_min": 450, "price_max": 450, "series_price": 2400}})
    text = client.get("/clinics/").text
    assert "6-session package: $2,400" in text
    assert "about $2,400" not in text


def test_sort_by_price_uses_the_chosen_routes(client, clinics):
    assert slugs(client.get("/clinics/?sort=price").text) == [
        "austin-cheap",
        "denver",
        "austin-iv",
        "houston",
    ]
    assert slugs(client.get("/clinics/?sort=price&route=spravato").text) == [
        "denver",
        "austin-iv",
    ]
    # Several routes: each clinic once, at its cheapest of them (Austin's IV, $400).
    assert slugs(client.get("/clinics/?sort=price&route=iv&route=spravato").text) == [
        "austin-iv",
        "houston",
        "denver",
    ]


def test_sort_by_price_with_an_insurer_uses_the_sessions_it_covers(client):
    def in_order(client, query):
        return slugs(client.get(f"/clinics/?{query}").text)

    # At-home from $200 is self-pay only; Aetna covers its Spravato, from $600.
    make_clinic(
        "Cheap At Home",
        slug="cheap-at-home",
        offerings={"at-home": (200, 250), "spravato": (600, 700)},
        payers=[("aetna", "spravato")],
    )
    make_clinic("Covered IV", slug="covered-iv", offerings={"iv": (450, 500)}, payers=["aetna"])
    make_clinic("Self-pay Only", slug="self-pay", offerings={"iv": (100, 150)})
    assert in_order(client, "insurance=aetna&sort=price") == ["covered-iv", "cheap-at-home"]
    assert in_order(client, "insurance=aetna&sort=price&route=at-home&route=spravato") == [
        "cheap-at-home"
    ]
    assert in_order(client, "insurance=aetna&sort=price&route=iv&route=spravato") == [
        "covered-iv",
        "cheap-at-home",
    ]
    # Without an insurer, the cheapest session of all counts.
    assert in_order(client, "sort=price")[:2] == ["self-pay", "cheap-at-home"]


def test_counting_a_price_sorted_search_leaves_the_prices_alone(client, settings):
    # The sort joins each clinic's cheapest covered session; the count needs
    # none of that (5 times slower at 100,000 clinics on PostgreSQL).
    for number in range(3):
        make_clinic(offerings={"iv": (400 + number, 450)}, payers=["aetna"])
    cap = settings.CLINICS_COUNT_CAP  # the count fetches up to one id more
    with CaptureQueriesContext(connection) as queries:
        text = client.get("/clinics/?insurance=aetna&sort=price").text
    assert "3 clinics" in text
    [counting] = [q["sql"] for q in queries if q["sql"].endswith(f"LIMIT {cap + 1}")]
    assert "clinics_offering" not in counting


def test_a_payer_added_after_the_menus_were_cached_can_be_searched(client, clinics):
    client.get("/clinics/?insurance=cigna")  # caches the menus and the payer ids
    Payer.objects.create(name="Oscar Health", slug="oscar", position=99)
    make_clinic("Oscar Friendly", slug="oscar-friendly", payers=["oscar"])
    assert get_slugs(client, "insurance=oscar") == ["oscar-friendly"]
    self_pay = Payer.objects.create(
        name="Sliding scale", slug="sliding-scale", kind=Payer.Kind.SELF_PAY, position=99
    )
    make_clinic("Sliding Scale Clinic", slug="sliding", payers=[self_pay.slug])
    assert "sliding" in get_slugs(client, "insurance=self-pay")


def test_clinics_at_the_same_price_keep_one_order_across_pages(client, clinics):
    for n in range(3):
        make_clinic(f"Same Price {n}", slug=f"same-{n}", offerings={"iv": (250, 250)})
    with override_settings(CLINICS_PER_PAGE=2):
        first = slugs(client.get("/clinics/?sort=price&route=iv&route=im").text)
        second = slugs(client.get("/clinics/?sort=price&route=iv&route=im&page=2").text)
    assert sorted(first + second[:1]) == ["same-0", "same-1", "same-2"]
    assert second[1] == "denver"  # IM from $300


def test_near_zip_shows_and_sorts_by_distance(client, clinics):
    found = results(client.get("/clinics/?near=78704&radius=250").text)
    assert [c["slug"] for c in found] == ["austin-cheap", "austin-iv", "houston"]
    distances = [float(c["distance"]) for c in found]
    assert distances == sorted(distances)
    assert 130 < distances[-1] < 160  # Austin to Houston is about 145 miles


def test_sort_by_name_overrides_distance(client, clinics):
    found = slugs(client.get("/clinics/?near=78704&radius=250&sort=name").text)
    assert found == ["austin-iv", "austin-cheap", "houston"]


def test_sort_by_distance_without_a_zip_is_explained(client, clinics):
    response = client.get("/clinics/?sort=distance")
    assert response.status_code == 200
    assert "Sorting by distance needs a ZIP code" in response.text
    assert slugs(response.text) == ["austin-iv", "austin-cheap", "denver", "houston"]


@override_settings(CLINICS_PER_PAGE=2)
def test_pagination_keeps_filters_and_reports_the_total(client, clinics):
    first = client.get("/clinics/?route=iv&route=spravato&route=im")
    assert "4 clinics" not in first.text and "3 clinics" in first.text
    assert "Page 1 of 2" in first.text
    assert "route=iv&amp;route=spravato&amp;route=im&amp;page=2" in first.text
    second = client.get("/clinics/?route=iv&route=spravato&route=im&page=2")
    assert slugs(second.text) == ["houston"]
    assert slugs(client.get("/clinics/?page=999").text) == ["denver", "houston"]
    assert slugs(client.get("/clinics/?page=abc").text) == ["austin-iv", "austin-cheap"]


@override_settings(CLINICS_PER_PAGE=2)
def test_a_page_past_the_end_says_it_shows_the_last(client, clinics):
    # An old link to page 5 of a search that has since shrunk.
    response = client.get("/clinics/?page=5")
    assert slugs(response.text) == ["denver", "houston"]
    assert "There is no page 5 of these results: this is the last, page 2." in response.text
    assert "There is no page" not in client.get("/clinics/?page=2").text
    assert "There is no page" not in client.get("/clinics/?page=0").text
    # Digits Python calls digits but int() does not read ("²", "٣") are no page number.
    for odd in ("%C2%B2", "%D9%A3", "%EF%BC%95"):
        assert client.get(f"/clinics/?page={odd}").status_code == 200
    huge = client.get("/clinics/?page=" + "9" * 40)
    assert huge.status_code == 200 and slugs(huge.text) == ["denver", "houston"]
    assert "There is no page 9999" in huge.text


@override_settings(CLINICS_PER_PAGE=1, CLINICS_COUNT_CAP=2)
def test_a_broad_search_counts_up_to_the_cap_and_says_there_are_more(client, clinics):
    first = client.get("/clinics/")  # four published clinics, counted to two
    assert "More than 2 clinics" in first.text
    assert "Only the first 2 are listed. Add a ZIP code, a city" in first.text
    assert "Page 1 of 2" in first.text
    assert slugs(first.text) == ["austin-iv"]
    assert slugs(client.get("/clinics/?page=2").text) == ["austin-cheap"]
    # Pages stop at the cap: asking past it shows the last page within it.
    assert slugs(client.get("/clinics/?page=3").text) == ["austin-cheap"]
    fragment = client.get("/clinics/", headers={"HX-Request": "true"})
    assert "More than 2 clinics found." in fragment.text
    exactly = client.get("/clinics/?route=spravato")  # two match: the cap, not more
    assert "2 clinics" in exactly.text and "More than" not in exactly.text


def test_htmx_request_gets_only_the_results_fragment(client, clinics):
    full = client.get("/clinics/?route=iv")
    fragment = client.get("/clinics/?route=iv", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" in full.text and "<html" not in fragment.text
    assert '<form class="filter-form"' not in fragment.text
    assert slugs(fragment.text) == slugs(full.text)
    assert "HX-Request" in fragment["Vary"] and "HX-Request" in full["Vary"]


def test_an_htmx_update_announces_the_choices_it_left_out(client, clinics):
    # The warning comes inside the new #results, which a screen reader does not
    # read; the live region it already knows says it with the count.
    live = re.compile(r'<p id="live-count" hx-swap-oob="innerHTML">(.*?)</p>', re.S)
    headers = {"HX-Request": "true"}
    fragment = client.get("/clinics/?near=00000&route=laser", headers=headers).text
    words = live.search(fragment)[1]
    assert words.startswith("4 clinics found. Some of your choices were left out:")
    assert "Near ZIP code: We don&#x27;t know ZIP 00000." in words
    assert "“laser” is not a treatment we list." in words
    assert '<div id="error-near" class="field-errors" hx-swap-oob="true">' in fragment
    clean = client.get("/clinics/?near=78701", headers=headers).text
    assert live.search(clean)[1].endswith("clinics found.")


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("", "Find a ketamine clinic"),
        ("route=iv", "IV ketamine infusion clinics"),
        ("route=iv&route=spravato", "Clinics offering IV infusion or Spravato"),
        ("insurance=payment-plans", "Ketamine clinics accepting payment plans"),
        ("insurance=medicare&state=tx", "Ketamine clinics accepting Medicare in Texas"),
        ("insurance=self-pay", "Ketamine clinics accepting self-pay options"),
        (
            "condition=ptsd&max_price=400",
            "Ketamine clinics for PTSD with a session at $400 or less",
        ),
        ("near=78701&telehealth=1", "Ketamine clinics with telehealth near 78701"),
        ("route=kap&city=Austin%2C+TX", "Ketamine-assisted psychotherapy clinics in Austin, Texas"),
        ("route=laser", "Find a ketamine clinic"),  # refused, and said so
    ],
)
def test_the_title_names_the_search(client, clinics, query, title):
    # Each tab, history entry and search result of a filtered search says what it is.
    full = f"<title>{title} · Ketamine Clinic Guide</title>"
    assert full in client.get(f"/clinics/?{query}").text
    assert full in client.get(f"/clinics/?{query}", headers={"HX-Request": "true"}).text


def test_a_place_pages_title_names_its_filters_too(client, clinics):
    page = client.get("/clinics/in/tx/?route=iv").text
    assert "<title>IV ketamine infusion clinics in Texas · Ketamine Clinic Guide</title>" in page
    assert "<h1>Ketamine clinics in Texas</h1>" in page


@override_settings(CLINICS_PER_PAGE=2)
def test_a_page_of_results_fetched_by_htmx_has_the_title_a_cold_load_has(client, clinics):
    # The title names each entry of the browser's history and the tab.
    title = "<title>Find a ketamine clinic (page 2) · Ketamine Clinic Guide</title>"
    assert title in client.get("/clinics/?page=2").text
    assert title in client.get("/clinics/?page=2", headers={"HX-Request": "true"}).text
    place = client.get("/clinics/in/tx/?page=2", headers={"HX-Request": "true"}).text
    assert "<title>Ketamine clinics in Texas (page 2) · Ketamine Clinic Guide</title>" in place


def test_leaving_a_place_page_with_htmx_replaces_its_heading_too(client, clinics):
    htmx = {"HX-Request": "true", "X-Place-Page": "1"}
    fragment = client.get("/clinics/?state=co", headers=htmx).text
    assert slugs(fragment) == ["denver"]
    assert '<div id="page-head" hx-swap-oob="true">' in fragment
    assert "<h1>Find a ketamine clinic</h1>" in fragment and "Texas" not in fragment
    assert "<title>Ketamine clinics in Colorado · Ketamine Clinic Guide</title>" in fragment
    assert '<div id="place-links" hx-swap-oob="true"></div>' in fragment
    # From the directory itself the heading stays as it is.
    same = {"HX-Request": "true"}
    assert "page-head" not in client.get("/clinics/?state=co", headers=same).text
    place_form = client.get("/clinics/in/tx/").text
    assert """hx-headers='{"X-Place-Page": "1"}'""" in place_form


def test_the_filters_summary_counts_what_is_on_after_an_htmx_update(client, clinics):
    fragment = client.get("/clinics/?route=iv&state=tx", headers={"HX-Request": "true"}).text
    assert '<span id="filters-on" hx-swap-oob="true"> (2 on)</span>' in fragment
    full = client.get("/clinics/?route=iv&state=tx").text
    assert '<summary>Filters<span id="filters-on"> (2 on)</span></summary>' in full


def test_the_filters_end_with_the_count_and_a_plain_link_down_to_the_results(client, clinics):
    # A plain anchor, so it works without JavaScript; htmx swaps it in place.
    full = client.get("/clinics/?route=iv").text
    link = '<a href="#results-heading">Show 2 clinics</a>'
    assert f'<p id="filter-count" class="filter-count">{link}</p>' in full
    assert full.index('id="filter-count"') < full.index("</details>")
    fragment = client.get("/clinics/?state=co", headers={"HX-Request": "true"}).text
    assert (
        '<p id="filter-count" class="filter-count" hx-swap-oob="true">'
        '<a href="#results-heading">Show 1 clinic</a></p>'
    ) in fragment
    none = client.get("/clinics/?state=co&route=kap", headers={"HX-Request": "true"}).text
    assert '<a href="#results-heading">No clinics match: see why</a>' in none


def test_history_restore_gets_the_whole_page(client, clinics):
    response = client.get(
        "/clinics/?route=iv",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text


def test_hidden_clinics_are_not_listed_or_shown(client, clinics):
    assert "hidden" not in get_slugs(client, "route=iv")
    assert client.get("/clinics/hidden/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "max_price=-5",
        "max_price=99999999999999999999",
        "max_price=1e400",
        "max_price=NaN",
        "max_price=abc",
        "route=laser",
        "insurance=acme-health",
        "state=ZZ",
        "state=texas",
        "near=00000",
        "near=abcde",
        "near=7870",
        "radius=7",
        "radius=-1",
        "telehealth=maybe",
        "condition=flu",
        "sort=random",
        "page=-1",
        "city=" + "x" * 5000,
        "near=" + "9" * 5000,
        "city=%00",
        "near=78701&near=00000",
        "max_price=300&max_price=abc",
        # Characters Python's isdigit() takes for digits and int() does not read.
        "radius=%C2%B2",
        "radius=%C2%B2&near=78701",
        "max_price=%C2%B2",
        "page=%C2%B2",
        "near=%C2%B2%C2%B2%C2%B2%C2%B2%C2%B2",
    ],
)
def test_bad_input_is_ignored_or_explained_never_an_error(client, clinics, query):
    response = client.get(f"/clinics/?{query}")
    assert response.status_code == 200
    fragment = client.get(f"/clinics/?{query}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200


def test_unknown_zip_is_explained_and_kept_in_the_form(client, clinics):
    response = client.get("/clinics/?near=00000&route=iv")
    assert "We don&#x27;t know ZIP 00000" in response.text
    assert 'value="00000"' in response.text
    # The rest of the search still applies.
    assert sorted(slugs(response.text)) == ["austin-iv", "houston"]


def test_bad_price_is_explained_and_other_filters_still_apply(client, clinics):
    response = client.get("/clinics/?max_price=abc&state=co")
    assert "Enter a whole number" in response.text
    assert 'value="abc"' in response.text
    assert slugs(response.text) == ["denver"]


def test_one_unknown_treatment_leaves_the_others_chosen(client, clinics):
    response = client.get("/clinics/?route=bogus&route=iv")
    assert sorted(slugs(response.text)) == ["austin-iv", "houston"]
    assert "“bogus” is not a treatment we list" in response.text
    assert 'value="iv" id="id_route_0" checked' in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("max_price=-5", "Enter a price of $0 or more."),
        ("max_price=999999", "Enter a price of at most $"),
        ("radius=1000", "Choose a distance of 1 to 500 miles."),
        (
            "insurance=acme-health",
            "We don&#x27;t know the insurer or payment option “acme-health”.",
        ),
        ("condition=flu", "We don&#x27;t know the condition “flu”."),
        ("sort=random", "We can&#x27;t sort by “random”, so results are sorted by name."),
        ("city=%00", "Remove the unusual characters from the city name."),
        ("state=zz", "“ZZ” is not a US state code."),
        ("state=%00", "State: That is not a US state code."),
        ("state=" + "x" * 300, "State: That is not a US state code."),
    ],
)
def test_bad_values_are_explained_in_plain_words(client, clinics, query, message):
    text = client.get(f"/clinics/?{query}").text
    assert message in text
    assert "Some of your choices were left out" in text
    assert "Ensure this value" not in text and "Select a valid choice" not in text


def test_page_numbers_below_one_show_the_first_page(client, clinics):
    with override_settings(CLINICS_PER_PAGE=2):
        for page in ("0", "-3"):
            assert slugs(client.get(f"/clinics/?page={page}").text) == ["austin-iv", "austin-cheap"]


def test_empty_result_explains_what_to_try(client, clinics):
    response = client.get("/clinics/?max_price=10")
    assert "No listed clinic has a session at $10 or less." in response.text
    assert "The lowest price listed is $150 per session." in response.text
    assert (
        'href="/clinics/?max_price=150">Show clinics with a session at $150 or less</a>'
        in response.text
    )


@pytest.mark.parametrize(
    ("query", "advice"),
    [
        (
            "route=spravato&max_price=400",
            "Spravato (esketamine) nasal spray is $650 per session. "
            '<a href="/clinics/?route=spravato&amp;max_price=650">',
        ),
        # Houston's KAP is 147 miles from Austin: straight there, not to 100 miles first.
        (
            "near=78701&radius=10&route=kap",
            'href="/clinics/?near=78701&amp;route=kap&amp;radius=150"',
        ),
        (
            "near=79830&radius=100",
            "The nearest listed clinic is 342 miles from 79830. "
            '<a href="/clinics/?near=79830&amp;radius=400">Look within 400 miles of 79830</a>',
        ),
        ("near=78701&state=co", "ZIP 78701 is in Texas, but the state chosen is Colorado."),
        (
            "insurance=cigna&route=spravato",
            'href="/clinics/?route=spravato&amp;insurance=self-pay"',
        ),
        (
            "telehealth=1&state=co",
            '<a href="/clinics/?state=co">Include clinics without telehealth',
        ),
        # Far from every listed clinic: video visits may be the way in.
        (
            "near=96701&radius=500",
            "ask whether they can treat people in Hawaii. "
            '<a href="/clinics/?telehealth=1">See clinics that offer telehealth</a>',
        ),
        (
            "state=mt",
            "ask whether they can treat people in Montana. "
            '<a href="/clinics/?telehealth=1">See clinics that offer telehealth</a>',
        ),
    ],
)
def test_empty_results_suggest_a_search_that_widens_the_one_made(client, clinics, query, advice):
    assert advice in client.get(f"/clinics/?{query}").text


@pytest.mark.parametrize(
    ("query", "false_lead"),
    [
        # No clinic offers IV by telehealth.
        ("state=mt&route=iv", "See clinics that offer telehealth"),
        # Nothing within 500 miles of Hawaii.
        ("near=96701&radius=100", "Look within"),
    ],
)
def test_empty_results_offer_no_search_that_finds_nothing(client, clinics, query, false_lead):
    assert false_lead not in client.get(f"/clinics/?{query}").text


def test_a_state_without_clinics_says_so(client, clinics):
    text = client.get("/clinics/in/mt/").text
    assert "No clinics in Montana are listed yet." in text
    city = client.get("/clinics/in/tx/houston/?route=im").text
    # Texas lists no IM either: the way out is another treatment.
    assert "1 clinic is in Houston, Texas, but it does not offer IM ketamine injection." in city
    assert '<a href="/clinics/?state=tx&amp;city=Houston">Include every treatment</a>' in city
    assert "See every clinic in Texas" not in city


def test_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for _ in range(30):
        make_clinic(offerings={"iv": (400, 450), "kap": (500, 600)}, payers=["aetna"])
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    # 4: the matching ids, the page, its prices, and the guides on IV (read once
    # for every search until a guide changes, see test_directory_guides).
    with django_assert_max_num_queries(4):
        response = client.get("/clinics/?route=iv&insurance=aetna&near=78701&sort=price")
    assert len(slugs(response.text)) == 20


@pytest.mark.parametrize("path", ["/clinics/in/tx/", "/clinics/in/tx/austin/"])
def test_place_pages_query_count_does_not_grow_with_results(
    client, django_assert_max_num_queries, path
):
    for number in range(30):
        city = ("Austin", "78701") if number % 2 else ("Houston", "77002")
        make_clinic(city=city[0], zip_code=city[1], offerings={"iv": (400, 450)})
    client.get("/clinics/")  # warm the cached vocabulary and directory figures
    # The city's name (on a city page), the matching ids, the guides on IV (read
    # once until a guide changes), the page, its prices, and the state's cities.
    with django_assert_max_num_queries(6):
        response = client.get(path + "?route=iv&sort=price")
    assert len(slugs(response.text)) == 20 if path == "/clinics/in/tx/" else 15


def test_the_insurance_menu_groups_insurers_apart_from_paying_yourself(client, clinics):
    text = client.get("/clinics/?insurance=fsa-hsa").text
    menu = re.search(r'<select name="insurance".*?</select>', text, re.S)[0]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', menu, re.S)
    assert [name for name, _ in groups] == ["Insurance", "Paying yourself"]
    insurers, paying = (re.findall(r'value="([^"]+)"', options) for _, options in groups)
    assert "aetna" in insurers and "fsa-hsa" not in insurers
    assert paying == ["self-pay", "payment-plans", "fsa-hsa", "superbill"]
    assert 'value="fsa-hsa" selected' in menu


def test_the_distance_menu_reaches_far_for_rural_patients(client, clinics):
    menu = re.search(r'<select name="radius".*?</select>', client.get("/clinics/").text, re.S)[0]
    assert re.findall(r'value="(\d+)"', menu) == ["10", "25", "50", "100", "250"]


def test_form_keeps_what_was_chosen(client, clinics):
    text = client.get("/clinics/?state=tx&insurance=aetna&radius=250&near=78701&sort=price").text
    for option in ('value="TX" selected', 'value="aetna" selected', 'value="250" selected'):
        assert option in text
    assert 'value="price" selected' in text


@pytest.mark.parametrize(
    ("radius", "miles"),
    [
        ("%2B250", "250"),
        ("%20250%20", "250"),
        ("%D9%A2%D9%A5%D9%A0", "250"),  # Arabic-Indic ٢٥٠
        ("%EF%BC%92%EF%BC%95%EF%BC%90", "250"),  # full-width ２５０
        ("250.0", "250"),
        ("0250", "250"),
        ("%2B300", "300"),  # not one of the menu's: added to it, as radius=300 is
    ],
)
def test_the_distance_menu_shows_the_radius_the_search_used(client, clinics, radius, miles):
    # The search used it while the menu showed "10 miles", which the next
    # htmx change sent.
    text = client.get(f"/clinics/?near=78701&radius={radius}").text
    assert f"within {miles} miles of 78701" in text
    menu = re.search(r'<select name="radius".*?</select>', text, re.S)[0]
    assert re.findall(r'value="(\d+)" selected', menu) == [miles]


def test_a_radius_out_of_range_is_explained_and_shown_as_sent(client, clinics):
    text = client.get("/clinics/?near=78701&radius=%2B600").text
    assert "Choose a distance of 1 to 500 miles." in text
    menu = re.search(r'<select name="radius".*?</select>', text, re.S)[0]
    assert re.findall(r'value="(\d+)" selected', menu) == ["600"]
    # No distance, or none to be had, searches the default: the menu says so.
    for radius, error in [
        ("-5", "of 1 to 500 miles"),
        ("0", "of 1 to 500"),
        ("abc", "in miles, like 25"),
    ]:
        text = client.get(f"/clinics/?near=78701&radius={radius}").text
        assert f"Choose a distance {error}" in text and "within 25 miles of 78701" in text
        menu = re.search(r'<select name="radius".*?</select>', text, re.S)[0]
        assert re.findall(r'value="(\d+)" selected', menu) == ["25"], radius
        assert f'value="{radius}"' not in menu


def test_result_counts_are_shared_but_never_stale(client, clinics, django_assert_num_queries):
    client.get("/clinics/?route=iv")
    with django_assert_num_queries(2):  # the page and its prices; the count is cached
        assert "2 clinics" in client.get("/clinics/?route=iv&sort=price").text
    make_clinic("Another IV clinic", offerings={"iv": (300, 350)})
    assert "3 clinics" in client.get("/clinics/?route=iv").text


def test_telehealth_checkbox_submits_a_value_the_filter_understands(client, clinics):
    text = client.get("/clinics/").text
    assert 'name="telehealth" value="1"' in text
    ticked = client.get("/clinics/?telehealth=1").text
    assert 'name="telehealth" value="1" id="id_telehealth" checked' in ticked
    assert slugs(ticked) == ["austin-cheap"]


@pytest.mark.parametrize("value", ["0", "no", "off", ""])
def test_telehealth_other_than_1_in_a_link_is_not_ticked(client, clinics, value):
    text = client.get(f"/clinics/?telehealth={value}", follow=True).text
    assert sorted(slugs(text)) == ["austin-cheap", "austin-iv", "denver", "houston"]
    assert 'id="id_telehealth" checked' not in text


def test_route_checkboxes_keep_their_state(client, clinics):
    text = client.get("/clinics/?route=iv&route=kap").text
    assert 'value="iv" id="id_route_0" checked' in text
    assert 'value="kap" id="id_route_4" checked' in text
    assert 'value="im" id="id_route_1" autocomplete="off">' in text


def test_repeated_search_is_served_from_cache_but_shows_changes(
    client, clinics, django_assert_num_queries
):
    client.get("/clinics/?route=iv")
    with django_assert_num_queries(0):
        repeat = client.get("/clinics/?route=iv")
    assert results(repeat.text)[0]["prices"] == {"iv": (400, 450)}
    offering = clinics["austin_iv"].offerings.get(route="iv")
    offering.price_min = 380
    offering.save()
    assert results(client.get("/clinics/?route=iv").text)[0]["prices"] == {"iv": (380, 450)}


def test_searching_for_suicidal_thoughts_shows_where_to_get_help_now(client, clinics):
    text = client.get("/clinics/?condition=depression-with-suicidal-ideation").text
    assert "you do not have to wait for a clinic" in text
    assert 'Call or text <a href="tel:988">988</a> now' in text
    assert "you do not have to wait" not in client.get("/clinics/?condition=ptsd").text


def test_choosing_suicidal_thoughts_says_where_to_get_help_where_it_is_chosen_and_aloud(
    client, clinics
):
    url = "/clinics/?condition=depression-with-suicidal-ideation"
    # Beside the field it was chosen in: on a phone the results are far below
    # the open filters.
    page = client.get(url).text
    beside = re.search(r'<div id="condition-crisis".*?</div>', page, re.S).group(0)
    assert 'call or text <a href="tel:988">988</a>' in beside
    assert '<div id="condition-crisis"></div>' in client.get("/clinics/?condition=ptsd").text
    # With htmx: swapped in beside the field, and said by the live region,
    # which is all a screen reader hears of the new results.
    fragment = client.get(url, headers={"HX-Request": "true"}).text
    assert '<div id="condition-crisis" hx-swap-oob="true">' in fragment
    live = re.search(r'<p id="live-count"[^>]*>(.*?)</p>', fragment, re.S).group(1)
    assert "If you are thinking about ending your life" in live and "call or text 988" in live
    other = client.get("/clinics/?condition=ptsd", headers={"HX-Request": "true"}).text
    assert '<div id="condition-crisis" hx-swap-oob="true"></div>' in other
    assert "988" not in re.search(r'<p id="live-count"[^>]*>(.*?)</p>', other, re.S).group(1)


def test_a_search_with_no_results_says_why_aloud(client, clinics):
    fragment = client.get("/clinics/?state=wy", headers={"HX-Request": "true"}).text
    live = re.search(r'<p id="live-count"[^>]*>(.*?)</p>', fragment, re.S).group(1)
    headline = re.search(r'<div class="empty-state">\s*<p>(.*?)</p>', fragment, re.S).group(1)
    assert live.startswith(f"No clinics match. {headline}")
    assert "0 clinics" not in live


def test_a_clinic_page_without_prices_yet_says_so(client):
    # A new clinic goes live once approved; its staff add the prices after.
    make_clinic("New Clinic", slug="new", offerings={}, city="Denver", state="CO", zip_code="80202")
    text = client.get("/clinics/new/").text
    assert '<table class="price-table"' not in text
    assert "New Clinic has not listed its treatments and prices yet." in text
    assert "Compare these prices" not in text
    description = re.search(r'<meta name="description" content="([^"]*)"', text).group(1)
    assert description == (
        "New Clinic in Denver, CO: ketamine treatment. Insurance, hours and contact details."
    )
    assert "Prices updated" not in text


def test_a_clinic_page_says_when_no_insurance_is_listed(client):
    make_clinic(slug="self-pay-only", payers=["payment-plans"])
    make_clinic(slug="covered", payers=[("aetna", "spravato"), "fsa-hsa"])
    make_clinic(slug="silent")

    self_pay = client.get("/clinics/self-pay-only/").text
    assert "<h3>Insurance accepted</h3>" in self_pay
    assert "None listed. If you have insurance, ask the clinic" in self_pay
    assert "<h3>Self-pay options</h3>" in self_pay and "Payment plans" in self_pay

    covered = client.get("/clinics/covered/").text
    assert "Aetna" in covered and "None listed" not in covered
    assert "<h3>Self-pay options</h3>" in covered

    silent = client.get("/clinics/silent/").text
    assert "has not told us which insurance or payment options it accepts" in silent
    assert "<h3>Insurance accepted</h3>" not in silent


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("(512) 555-0100", "tel:5125550100"),
        ("512.555.0100", "tel:5125550100"),
        # Staff may give an extension; the dialler needs it apart from the number.
        ("(512) 555-0100 ext. 12", "tel:5125550100;ext=12"),
        ("+1 512 555 0100 x3", "tel:+15125550100;ext=3"),
    ],
)
def test_a_clinic_phone_number_links_to_what_a_phone_can_dial(client, phone, href):
    clinic = make_clinic(phone=phone)
    assert f'href="{href}"' in client.get(clinic.get_absolute_url()).text


def test_spravato_series_prices_say_they_are_before_insurance(client):
    make_clinic(slug="nasal", offerings={"spravato": (700, 900), "iv": (400, 450)})
    directory = client.get("/clinics/").text
    assert "8-session series about $5,600 to $7,200 before insurance" in directory
    assert "6-session series about $2,400 to $2,700<" in directory  # only Spravato's list price
    assert "for 8 sessions, before insurance" in client.get("/clinics/nasal/").text
    compare = client.get("/clinics/compare/?clinic=nasal").text
    assert "before insurance" in compare


def test_every_page_offers_988_by_call_and_by_text(client):
    for path in ["/", "/clinics/", "/guides/"]:
        text = client.get(path).text
        assert '<a href="tel:988">Call 988</a> or <a href="sms:988">text 988</a>' in text
        assert "Suicide &amp; Crisis Lifeline, free, 24/7" in text


def test_a_sample_clinic_says_it_has_nobody_to_write_to_not_that_its_staff_left(client):
    make_clinic(slug="sample-verified", is_sample=True, is_verified=True, phone="(512) 555-0100")
    text = client.get("/clinics/sample-verified/").text
    assert "This is a fictional sample listing, so there is no clinic to write to" in text
    assert "manages this listing" not in text


@pytest.mark.parametrize(
    ("days_ago", "says"),
    [(0, "today"), (1, "yesterday"), (5, "5 days ago"), (40, "1\xa0month ago")],
)
def test_price_dates_count_calendar_days_as_the_date_beside_them_does(client, days_ago, says):
    from datetime import timedelta

    from django.utils import timezone

    updated = timezone.now() - timedelta(days=days_ago)
    clinic = make_clinic(slug="dated")  # its offerings date its prices now
    Clinic.objects.filter(pk=clinic.pk).update(prices_updated_at=updated)
    assert f"Prices updated {says}" in client.get(clinic.get_absolute_url()).text


def test_a_map_link_without_a_street_address_starts_with_the_city(client):
    clinic = make_clinic(slug="no-street", street_address="")
    assert "query=Austin%2C+TX+78701" in client.get(clinic.get_absolute_url()).text


def test_a_search_sent_with_empty_fields_is_sent_on_to_its_clean_address(client, clinics):
    # Without JavaScript the filter form sends every field, empty or not; a
    # page button or "Show clinics" should still leave a short address to share.
    sent = (
        "/clinics/?route=iv&max_price=&insurance=&near=&radius=25&state=&city="
        "&condition=&sort=&clinic=houston&page=2"
    )
    response = client.get(sent)
    assert response.status_code == 302
    assert response["Location"] == "/clinics/?route=iv&clinic=houston&page=2"
    assert client.get(response["Location"]).status_code == 200
    # A place page's own state and city are the page's, not the form's.
    place = client.get("/clinics/in/tx/?state=tx&city=&route=iv")
    assert place["Location"] == "/clinics/in/tx/?route=iv"
    # htmx builds its own addresses; it is answered, not sent on.
    assert client.get(sent, headers={"HX-Request": "true"}).status_code == 200
    assert client.get("/clinics/?near=78701&radius=50&sort=distance").status_code == 200


TOO_MANY_DIGITS = "9" * 4301  # past what Python's int() agrees to read


@pytest.mark.parametrize("path", ["/clinics/", "/clinics/in/tx/", "/clinics/in/tx/austin/"])
@pytest.mark.parametrize(
    "query",
    [
        f"page={TOO_MANY_DIGITS}",
        f"radius={TOO_MANY_DIGITS}",
        f"radius={TOO_MANY_DIGITS}&near=78701",
        f"max_price={TOO_MANY_DIGITS}",
    ],
    ids=["page", "radius", "radius-near", "max-price"],
)
def test_a_number_too_long_to_read_is_no_error(client, clinics, path, query):
    assert client.get(f"{path}?{query}").status_code == 200
    fragment = client.get(f"{path}?{query}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200


def test_no_session_at_the_price_with_the_insurer_points_to_the_lowest_it_pays_for(client, clinics):
    text = client.get("/clinics/?insurance=aetna&max_price=500").text
    # Not $300, Denver's self-pay IM: that search would find nothing either.
    assert "the lowest price is $650 per session" in text
    assert 'href="/clinics/?insurance=aetna&amp;max_price=650"' in text


@pytest.mark.parametrize("city", ["☃", "!!!", "-", "😀", "北京"])
def test_a_city_with_no_letters_we_can_search_is_explained_not_claimed(client, clinics, city):
    text = client.get("/clinics/", {"city": city, "route": "iv"}).text
    assert "We can&#x27;t search for a city by that name" in text
    assert f"in {escape(city)}" not in text
    assert f'value="{escape(city)}"' in text  # kept in the box, to be corrected
    assert sorted(slugs(text)) == ["austin-iv", "houston"]


def test_telehealth_is_offered_as_a_way_only_to_treatments_given_remotely(client, clinics):
    # A clinic with telehealth that also gives Spravato, in its own rooms.
    make_clinic(offerings={"spravato": (700, 800), "at-home": (150, 200)}, telehealth=True)
    spravato = client.get("/clinics/?state=mt&route=spravato").text
    assert "See clinics that offer telehealth" not in spravato
    both = client.get("/clinics/?state=mt&route=spravato&route=at-home").text
    assert (
        '<a href="/clinics/?route=at-home&amp;telehealth=1">See clinics that offer telehealth'
        in both
    )


def test_the_district_of_columbia_is_named_as_a_sentence_names_it(client, clinics):
    text = client.get("/clinics/in/dc/").text
    assert "No clinics in the District of Columbia are listed yet." in text
    assert "ask whether they can treat people in the District of Columbia." in text


# What the filter form sends without JavaScript when a page button is pressed:
# every field, the page, and the search the page was showing.
FORM_FIELDS = {
    "route": "",
    "max_price": "",
    "insurance": "",
    "state": "",
    "city": "",
    "near": "",
    "radius": "25",
    "condition": "",
    "sort": "",
}


def pressed_page(shown, page, **fields):
    sent = {**FORM_FIELDS, **fields, "page": page, "shown": shown}
    return "&".join(
        f"{name}={value}"
        for name, values in sent.items()
        for value in (values if isinstance(values, list) else [values])
    )


@override_settings(CLINICS_PER_PAGE=1)
def test_a_page_pressed_after_the_filters_changed_shows_the_new_search_from_its_start(
    client, clinics
):
    # Page 1 of "IV" was shown; the visitor ticked Spravato too, then pressed Next.
    query = pressed_page("route=iv", 2, route=["iv", "spravato"])
    response = client.get(f"/clinics/?{query}")
    assert response.status_code == 302
    assert response.url == "/clinics/?route=iv&route=spravato"
    # A changed price, or a ZIP code typed, the same.
    response = client.get(f"/clinics/?{pressed_page('route=iv', 3, route='iv', max_price='500')}")
    assert response.url == "/clinics/?route=iv&max_price=500"


@override_settings(CLINICS_PER_PAGE=1)
def test_a_page_pressed_with_the_search_unchanged_shows_that_page(client, clinics):
    response = client.get(f"/clinics/?{pressed_page('route=iv', 2, route='iv')}")
    assert response.url == "/clinics/?route=iv&page=2"
    # The same search, however its address had it: treatments in another
    # order, the default distance left out, a price with spaces.
    shown = "route%3Dspravato%26route%3Div%26near%3D78701%26max_price%3D900"
    query = pressed_page(shown, 2, route=["iv", "spravato"], near="78701", max_price="900")
    assert "page=2" in client.get(f"/clinics/?{query}").url
    # And the page it shows is page 2 of that search.
    response = client.get(client.get(f"/clinics/?{pressed_page('route=iv', 2, route='iv')}").url)
    assert slugs(response.text) == ["houston"]


def test_the_filter_form_sends_the_search_it_shows_but_htmx_does_not(client, clinics):
    response = client.get("/clinics/?route=iv&near=78701&radius=50&page=1")
    form = re.search(r'<form id="filter-form".*?</form>', response.text, re.S).group(0)
    assert 'hx-params="not shown"' in form
    assert (
        '<input type="hidden" name="shown" value="route=iv&amp;near=78701&amp;radius=50">' in form
    )


def test_a_comparison_drops_the_search_shown(client, clinics):
    response = client.get("/clinics/compare/?clinic=austin-iv&clinic=denver&shown=route%3Div")
    assert "shown" not in response.url


def test_a_clinic_page_speaks_of_spravato_s_insurance_only_where_it_is_offered(client):
    iv_only = make_clinic(offerings={"iv": (400, 450)}, payers=["aetna"])
    page = client.get(iv_only.get_absolute_url()).text
    assert "Spravato's prices are before insurance" not in page
    # An insurer accepted "for every treatment": most pay for Spravato only.
    assert 'Aetna <span class="scope">(ask which treatments it pays for)</span>' in page
    both = make_clinic(offerings={"iv": (400, 450), "spravato": (700, 800)})
    page = client.get(both.get_absolute_url()).text
    assert (
        "Spravato's prices are before insurance, which may cover much of it after prior "
        "authorization: what you pay depends on your plan." in page.replace("&#x27;", "'")
    )


def test_a_city_too_long_to_be_one_is_explained_in_plain_words(client, clinics):
    page = client.get("/clinics/?city=" + "a" * 150).text
    assert "Ensure this value" not in page
    assert "That is too long for a city name" in page
