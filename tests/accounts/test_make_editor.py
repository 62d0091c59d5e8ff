import pytest
from django.core.management import CommandError, call_command

from tests.builders import make_user

pytestmark = pytest.mark.django_db


def test_an_account_made_an_editor_works_in_the_admin_without_being_a_superuser(client):
    person = make_user("lena@editors.example")
    call_command("make_editor", "LENA@editors.example")
    person.refresh_from_db()
    assert person.is_staff and not person.is_superuser
    client.force_login(person)
    assert client.get("/admin/articles/guide/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403

    call_command("make_editor", "lena@editors.example", "--remove")
    person.refresh_from_db()
    assert not person.is_staff and not person.groups.exists()


@pytest.mark.parametrize("confirmed", [False, None])
def test_only_a_confirmed_account_of_that_address_is_made_an_editor(confirmed):
    if confirmed is False:
        make_user("new@editors.example", confirmed=False)
    with pytest.raises(CommandError):
        call_command("make_editor", "new@editors.example")
