"""Payers and conditions in the admin: their slugs are in public URLs, every listing uses them."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from clinics.models import AcceptedPayer, Condition, Payer
from tests.builders import make_clinic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = make_user("root@site.example", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_editors_may_add_and_rename_payers_and_conditions_but_not_delete_them(client, editor):
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"add_payer", "change_payer", "add_condition", "change_condition"} <= codenames
    assert not {"delete_payer", "delete_condition"} & codenames

    tricare = Payer.objects.get(slug="tricare")
    make_clinic(payers=["tricare"])
    assert client.get(f"/admin/clinics/payer/{tricare.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/clinics/payer/{tricare.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    bulk = client.post(
        "/admin/clinics/payer/", {"action": "delete_selected", "_selected_action": [tricare.pk]}
    )
    assert bulk.status_code in (200, 302, 403)
    assert Payer.objects.filter(pk=tricare.pk).exists()
    assert AcceptedPayer.objects.filter(payer=tricare).exists()
    ptsd = Condition.objects.get(slug="ptsd")
    assert (
        client.post(f"/admin/clinics/condition/{ptsd.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Condition.objects.filter(pk=ptsd.pk).exists()


@pytest.mark.parametrize(("model", "slug"), [("payer", "tricare"), ("condition", "ptsd")])
def test_a_slug_cannot_change_once_created_but_the_name_can(client, editor, model, slug):
    item = {"payer": Payer, "condition": Condition}[model].objects.get(slug=slug)
    url = f"/admin/clinics/{model}/{item.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="slug"' not in page.text
    assert slug in page.text  # shown, read-only
    data = {"name": "Renamed", "slug": "renamed", "position": item.position}
    if model == "payer":
        data["kind"] = item.kind
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.name, item.slug) == ("Renamed", slug)


def test_editors_add_a_payer_with_the_slug_they_choose(client, editor):
    response = client.post(
        "/admin/clinics/payer/add/",
        {"name": "Oscar Health", "slug": "oscar", "kind": "insurer", "position": 50},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Payer.objects.get(slug="oscar").name == "Oscar Health"


def test_a_superuser_is_told_what_deleting_a_payer_does_before_confirming(client, superuser):
    tricare = Payer.objects.get(slug="tricare")
    for _ in range(3):
        make_clinic(payers=["tricare"])
    page = client.get(f"/admin/clinics/payer/{tricare.pk}/delete/")
    assert page.status_code == 200
    assert "3 clinics" in page.text
    assert "Each of their histories records it" in page.text
    assert "/clinics/?insurance=tricare" in page.text
    # The list's bulk delete, which warns of none of it, is not offered.
    assert "delete_selected" not in client.get("/admin/clinics/payer/").text


def test_a_payer_deleted_by_a_superuser_is_recorded_in_each_listing_s_history(
    client, superuser, django_assert_max_num_queries
):
    from listings.models import ListingChange

    tricare = Payer.objects.get(slug="tricare")
    both = make_clinic(payers=[("tricare", "spravato"), "aetna"])
    only = make_clinic(payers=["tricare"])
    untouched = make_clinic(payers=["aetna"])
    versions = {c.pk: c.edit_version for c in (both, only)}
    for _ in range(3):  # the queries do not grow with the clinics it is taken off
        make_clinic(payers=["tricare"])
    with django_assert_max_num_queries(30):
        response = client.post(f"/admin/clinics/payer/{tricare.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Payer.objects.filter(slug="tricare").exists()
    change = ListingChange.objects.get(clinic=both)
    assert change.user == superuser
    assert change.changes == {"insurance": [["aetna:", "tricare:spravato"], ["aetna:"]]}
    assert ListingChange.objects.get(clinic=only).changes == {"insurance": [["tricare:"], []]}
    for clinic in (both, only):
        clinic.refresh_from_db()
        assert clinic.edit_version == versions[clinic.pk] + 1
        assert ListingChange.objects.get(clinic=clinic).version == clinic.edit_version
    assert not ListingChange.objects.filter(clinic=untouched).exists()
    # The history says it, as for any edit (by its slug: the name went with it).
    history = client.get(f"/admin/clinics/clinic/{both.pk}/change/").text
    assert "removed: tricare (for Spravato)" in history


def test_a_condition_deleted_by_a_superuser_is_recorded_in_each_listing_s_history(
    client, superuser
):
    from listings.models import ListingChange

    ptsd = Condition.objects.get(slug="ptsd")
    clinic = make_clinic(conditions=["ptsd", "anxiety"])
    response = client.post(f"/admin/clinics/condition/{ptsd.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    change = ListingChange.objects.get(clinic=clinic)
    assert change.user == superuser
    assert change.changes == {"conditions": [["anxiety", "ptsd"], ["anxiety"]]}


def test_a_superuser_is_told_what_deleting_a_condition_does(client, superuser):
    from articles.models import Guide

    ptsd = Condition.objects.get(slug="ptsd")
    make_clinic(conditions=["ptsd"])
    page = client.get(f"/admin/clinics/condition/{ptsd.pk}/delete/")
    assert page.status_code == 200
    assert "1 clinic " in page.text
    assert f"{Guide.objects.filter(conditions=ptsd).count()} guide" in page.text
    assert "/clinics/?condition=ptsd" in page.text


def test_loading_the_sample_data_again_keeps_an_editor_s_renames():
    # make run loads the sample data at every start.
    Payer.objects.filter(slug="tricare").update(name="TRICARE (military)")
    Condition.objects.filter(slug="ptsd").update(name="Post-traumatic stress")
    call_command("load_sample_data", verbosity=0)
    assert Payer.objects.get(slug="tricare").name == "TRICARE (military)"
    assert Condition.objects.get(slug="ptsd").name == "Post-traumatic stress"


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_nobody_deletes_a_clinic_in_the_admin_it_is_hidden_instead(client, request, who):
    request.getfixturevalue(who)
    from clinics.models import Clinic

    clinic = make_clinic()
    assert "delete_clinic" not in set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    page = client.get(f"/admin/clinics/clinic/{clinic.pk}/change/")
    assert page.status_code == 200 and "deletelink" not in page.text
    assert client.post(
        f"/admin/clinics/clinic/{clinic.pk}/delete/", {"post": "yes"}
    ).status_code in (
        403,
        302,
    )
    assert "delete_selected" not in client.get("/admin/clinics/clinic/").text
    assert Clinic.objects.filter(pk=clinic.pk).exists()


@pytest.mark.parametrize("name", ["Self-pay", "self pay"])
def test_a_payer_cannot_take_the_slug_the_directory_uses_for_every_self_pay_option(
    client, editor, name
):
    response = client.post(
        "/admin/clinics/payer/add/",
        {"name": name, "slug": "self-pay", "kind": "self-pay", "position": 50},
    )
    assert response.status_code == 200
    assert "“self-pay” is the directory’s choice for every self-pay option" in response.text
    assert not Payer.objects.filter(slug="self-pay").exists()
