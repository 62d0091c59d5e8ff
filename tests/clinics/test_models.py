import pytest
from django.db import IntegrityError, transaction

from clinics.models import AcceptedPayer, Clinic, Offering, Payer
from tests.builders import make_clinic

pytestmark = pytest.mark.django_db


def test_coordinates_are_filled_from_the_zip_code():
    clinic = make_clinic(zip_code="10001", city="New York", state="NY")
    assert clinic.latitude == pytest.approx(40.75, abs=0.05)
    assert clinic.longitude == pytest.approx(-74.0, abs=0.05)


def test_city_slug_and_urls():
    clinic = make_clinic(city="Salt Lake City", state="UT", zip_code="84101", slug="calm-clinic")
    assert clinic.city_slug == "salt-lake-city"
    assert clinic.get_absolute_url() == "/clinics/calm-clinic/"
    assert clinic.city_url() == "/clinics/in/ut/salt-lake-city/"
    assert str(clinic) == clinic.name


def test_a_clinic_that_moves_is_found_where_it_is_now(client):
    clinic = make_clinic(zip_code="10001", city="New York", state="NY", slug="moving")
    clinic.zip_code, clinic.city, clinic.state = "78701", "Austin", "TX"
    clinic.save()  # as the admin saves it: the old coordinates come back unchanged
    near_austin = client.get("/clinics/?near=78701&radius=10").context["page"]
    assert [c.slug for c in near_austin] == ["moving"]
    assert not client.get("/clinics/?near=10001&radius=10").context["page"].object_list


def test_coordinates_an_editor_typed_are_kept_when_the_zip_changes():
    clinic = make_clinic(zip_code="10001", city="New York", state="NY")
    clinic.zip_code, clinic.latitude, clinic.longitude = "10002", 40.7, -73.99
    clinic.save()
    clinic.refresh_from_db()
    assert (clinic.latitude, clinic.longitude) == (40.7, -73.99)


def test_saving_some_fields_keeps_what_follows_from_them(client):
    make_clinic(zip_code="10001", city="New York", state="NY", slug="moving")
    Clinic.objects.update_or_create(
        slug="moving", defaults={"city": "Austin", "state": "tx", "zip_code": "78701"}
    )
    assert client.get("/clinics/in/tx/austin/").context["page"].object_list
    assert client.get("/clinics/?near=78701&radius=10").context["page"].object_list


@pytest.mark.parametrize(
    ("price_min", "price_max"),
    [(500, 400), (-1, 400), (100, 10_001)],
    ids=["min-above-max", "negative", "absurd"],
)
def test_database_refuses_bad_prices(price_min, price_max):
    clinic = make_clinic(offerings={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.create(clinic=clinic, route="iv", price_min=price_min, price_max=price_max)


def test_one_offering_per_clinic_and_route():
    clinic = make_clinic(offerings={"iv": (400, 450)})
    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.create(clinic=clinic, route="iv", price_min=300, price_max=350)


def test_one_acceptance_per_payer_and_route():
    clinic = make_clinic(payers=[("aetna", "spravato")])
    with pytest.raises(IntegrityError), transaction.atomic():
        AcceptedPayer.objects.create(
            clinic=clinic, payer=Payer.objects.get(slug="aetna"), route="spravato"
        )


def test_series_estimate_uses_route_default_or_package_price():
    clinic = make_clinic(
        offerings={
            "iv": (400, 450),
            "spravato": (600, 900),
            "at-home": {"price_min": 150, "price_max": 200, "series_price": 800},
        }
    )
    by_route = {o.route: o for o in clinic.offerings.all()}
    assert (by_route["iv"].series_min, by_route["iv"].series_max) == (2400, 2700)
    assert by_route["spravato"].sessions == 8
    assert (by_route["at-home"].series_min, by_route["at-home"].series_max) == (800, 800)


def test_editing_prices_stamps_the_clinic():
    clinic = make_clinic()
    Clinic.objects.filter(pk=clinic.pk).update(prices_updated_at=None)
    offering = clinic.offerings.get()
    offering.price_min = 410
    offering.save()
    clinic.refresh_from_db()
    assert clinic.prices_updated_at is not None


def test_vocabularies_exist():
    assert Payer.objects.filter(kind=Payer.Kind.INSURER).count() >= 11
    assert Payer.objects.filter(kind=Payer.Kind.SELF_PAY).count() == 3


def test_lowest_price_follows_the_offerings():
    clinic = make_clinic(offerings={"iv": (400, 450), "at-home": (150, 200)})
    clinic.refresh_from_db()
    assert clinic.lowest_price == 150
    clinic.offerings.get(route="at-home").delete()
    clinic.refresh_from_db()
    assert clinic.lowest_price == 400
    offering = clinic.offerings.get()
    offering.price_min = 380
    offering.save()
    clinic.refresh_from_db()
    assert clinic.lowest_price == 380


def test_sample_clinics_have_their_lowest_price(sample_data):
    assert not Clinic.objects.filter(lowest_price__isnull=True).exists()


def test_line_breaks_are_stored_one_way():
    clinic = make_clinic(hours="Mon 9-5\r\nTue 9-5", description="One.\r\n\r\nTwo.")
    clinic.refresh_from_db()
    assert (clinic.hours, clinic.description) == ("Mon 9-5\nTue 9-5", "One.\n\nTwo.")
