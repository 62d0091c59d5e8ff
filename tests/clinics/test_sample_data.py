import io
import re

import pytest

from clinics.models import AcceptedPayer, Clinic, Offering, Payer, Route
from clinics.synthetic import PRICE_RANGES

pytestmark = pytest.mark.django_db


def assert_no_payer_listed_twice():
    """
    A payer accepted for every treatment is not also listed for one of them:
    the staff form would tidy it away on the first save and record it as a
    change nobody made.
    """
    rows = set(AcceptedPayer.objects.values_list("clinic_id", "payer_id", "route"))
    twice = [row for row in rows if row[2] and (row[0], row[1], "") in rows]
    assert not twice


def test_sample_fixture_loads_and_is_realistic(sample_data):
    clinics = Clinic.objects.all()
    assert clinics.count() >= 60
    assert clinics.values("state").distinct().count() >= 15
    assert clinics.values("state", "city").distinct().count() >= 30
    assert all(clinic.is_sample for clinic in clinics)
    assert set(Offering.objects.values_list("route", flat=True)) == set(Route.values)
    for offering in Offering.objects.all():
        low, _, ceiling = PRICE_RANGES[offering.route]
        assert low <= offering.price_min <= offering.price_max <= ceiling
    assert clinics.filter(telehealth=True).exists() and clinics.filter(telehealth=False).exists()
    assert clinics.filter(accepted_payers__payer__kind="insurer").exists()
    assert all(".example" in clinic.website for clinic in clinics)
    for offering in Offering.objects.all():  # within the rules staff and editors work to
        offering.full_clean()
    assert_no_payer_listed_twice()


def test_sample_clinics_teach_what_a_safe_clinic_looks_like(sample_data):
    # Patients learn from the examples: ketamine is always prescribed, and
    # Spravato needs a prescriber on site.
    prescribers = re.compile(r", (MD|DO|PMHNP-BC),")
    names = {}
    for clinic in Clinic.objects.prefetch_related("offerings"):
        people = clinic.providers.splitlines()
        assert any(prescribers.search(person) for person in people), clinic.slug
        for person in people:
            name, credentials = person.split(", ", 1)
            # One person, one set of credentials, wherever they are listed.
            assert names.setdefault(name, credentials) == credentials, person
        routes = {offering.route for offering in clinic.offerings.all()}
        if routes <= {"at-home"}:
            assert "in-clinic session" not in clinic.description, clinic.slug
    # Insurers pay for Spravato (and the therapy of KAP); IV, IM and at-home
    # ketamine are off-label and mostly self-pay.
    insurers = AcceptedPayer.objects.filter(payer__kind=Payer.Kind.INSURER)
    assert set(insurers.values_list("route", flat=True)) <= {"spravato", "kap"}
    for accepted in insurers.select_related("clinic"):
        assert accepted.clinic.offerings.filter(route=accepted.route).exists()


def test_loading_twice_is_harmless(sample_data):
    from django.core.management import call_command

    before = Clinic.objects.count()
    call_command("load_sample_data", verbosity=0)
    assert Clinic.objects.count() == before


def test_sample_notice_is_shown_while_sample_clinics_are_listed(client, sample_data):
    assert "clinics listed here are fictional" in client.get("/").text
    for clinic in Clinic.objects.all():  # as an editor would, through save()
        clinic.is_sample = False
        clinic.save()
    assert "clinics listed here are fictional" not in client.get("/").text


def test_generate_clinics_command_creates_synthetic_clinics(db):
    from django.core.management import call_command

    call_command("generate_clinics", count=250, seed=3, stdout=io.StringIO())
    assert Clinic.objects.count() == 250
    assert not Clinic.objects.filter(is_sample=True).exists()
    assert Offering.objects.count() >= 250
    assert Clinic.objects.filter(latitude__isnull=True).count() == 0
    for offering in Offering.objects.all():
        offering.full_clean()
    assert_no_payer_listed_twice()
