"""A clinic whose slug an editor changes keeps its old address working."""

import pytest

from clinics.models import Clinic
from tests.builders import make_clinic, make_editor
from tests.listings.test_admin import admin_form_data

pytestmark = pytest.mark.django_db


def test_an_old_slug_changed_in_the_admin_redirects_permanently(client):
    clinic = make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    client.force_login(make_editor())
    url = f"/admin/clinics/clinic/{clinic.pk}/change/"
    data = admin_form_data(client.get(url)) | {"slug": "calm-harbor-austin"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()

    old = client.get("/clinics/calm-harbor/")
    assert old.status_code == 301
    assert old["Location"] == "/clinics/calm-harbor-austin/"
    assert client.get("/clinics/calm-harbor-austin/").status_code == 200


def test_a_slug_changed_twice_in_code_sends_both_old_ones_to_the_newest(client):
    clinic = make_clinic(slug="first")
    clinic.slug = "second"
    clinic.save()
    clinic = Clinic.objects.get(pk=clinic.pk)
    clinic.slug = "third"
    clinic.save()
    for old in ("first", "second"):
        response = client.get(f"/clinics/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/clinics/third/")


def test_an_old_slug_taken_by_another_clinic_is_that_clinics(client):
    moved = make_clinic("Moved", slug="harbor")
    moved.slug = "harbor-austin"
    moved.save()
    make_clinic("New Harbor", slug="harbor")
    response = client.get("/clinics/harbor/")
    assert response.status_code == 200 and "New Harbor" in response.text
    # ...and renaming the moved clinic back takes nothing from it.
    assert client.get("/clinics/harbor-austin/").status_code == 200


def test_an_editor_cannot_give_a_clinic_another_clinic_s_old_address(client):
    moved = make_clinic("Moved", slug="harbor")
    moved.slug = "harbor-austin"
    moved.save()
    other = make_clinic("Other Harbor", slug="other-harbor")
    client.force_login(make_editor())
    url = f"/admin/clinics/clinic/{other.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url)) | {"slug": "harbor"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slug"]
    assert errors == [
        "“harbor” is the old address of the clinic “Moved”: links and search results "
        "that still use it lead patients there. Choose another slug."
    ]
    client.logout()
    assert client.get("/clinics/harbor/")["Location"] == "/clinics/harbor-austin/"
    # Its own old address, a clinic may take back.
    client.force_login(make_editor("second@site.example"))
    url = f"/admin/clinics/clinic/{moved.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url)) | {"slug": "harbor"})
    assert response.status_code == 302


def test_an_unknown_slug_is_still_a_404(client):
    assert client.get("/clinics/no-such-clinic/").status_code == 404


def test_a_hidden_clinics_old_slug_is_a_404(client):
    clinic = make_clinic(slug="old")
    clinic.slug = "new"
    clinic.status = Clinic.Status.HIDDEN
    clinic.save()
    assert client.get("/clinics/old/").status_code == 404


def test_compare_finds_a_clinic_by_its_old_slug(client):
    clinic = make_clinic("Calm Harbor Ketamine", slug="calm-harbor")
    other = make_clinic("Bright Path", slug="bright-path")
    clinic.slug = "calm-harbor-austin"
    clinic.save()
    page = client.get(f"/clinics/compare/?clinic=calm-harbor&clinic={other.slug}")
    assert page.status_code == 200
    assert "Calm Harbor Ketamine" in page.text and "Bright Path" in page.text
    assert "not listed any more" not in page.text


def test_the_clinic_page_query_count_stays_pinned(client, django_assert_max_num_queries):
    clinic = make_clinic(slug="calm-harbor", payers=["aetna"])
    clinic.slug = "calm-harbor-austin"
    clinic.save()
    # The clinic, its offerings, payers, conditions, staff flag and guides, as before.
    with django_assert_max_num_queries(6):
        assert client.get("/clinics/calm-harbor-austin/").status_code == 200
    # The miss, then the old slug.
    with django_assert_max_num_queries(2):
        assert client.get("/clinics/calm-harbor/").status_code == 301


def _renamed(**fields):
    clinic = make_clinic("Calm Harbor Ketamine", slug="calm-harbor", **fields)
    clinic.slug = "calm-harbor-austin"
    clinic.save()
    return clinic


@pytest.mark.parametrize("page", ["contact/", "report/", "report/sent/"])
def test_a_clinics_other_public_pages_follow_the_old_slug(client, page):
    _renamed()
    response = client.get(f"/clinics/calm-harbor/{page}?from=email")
    assert response.status_code == 301
    assert response["Location"] == f"/clinics/calm-harbor-austin/{page}?from=email"


def test_staff_pages_and_links_in_emails_already_sent_follow_the_old_slug(client):
    from tests.builders import make_inquiry, make_member

    clinic = _renamed()
    inquiry = make_inquiry(clinic)
    client.force_login(make_member(clinic))
    for page in ["", "history/", "inquiries/", f"inquiries/{inquiry.pk}/"]:
        response = client.get(f"/account/clinics/calm-harbor/{page}")
        assert response.status_code == 301, page
        assert response["Location"] == f"/account/clinics/calm-harbor-austin/{page}"
        assert client.get(response["Location"]).status_code == 200


def test_a_form_sent_to_the_old_address_is_sent_on_with_what_was_typed(client):
    from tests.builders import make_member

    clinic = _renamed()
    client.force_login(make_member(clinic))
    response = client.post("/account/clinics/calm-harbor/leave/")
    # 308: the browser sends the same POST, with its fields, to the new address.
    assert response.status_code == 308
    assert response["Location"] == "/account/clinics/calm-harbor-austin/leave/"


def test_someone_elses_staff_pages_stay_a_404_at_the_old_slug(client):
    from tests.builders import make_user

    _renamed()
    client.force_login(make_user())
    assert client.get("/account/clinics/calm-harbor/").status_code == 404
    assert client.get("/account/clinics/calm-harbor/inquiries/").status_code == 404
