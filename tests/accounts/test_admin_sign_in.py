import pytest

from tests.builders import make_editor

pytestmark = pytest.mark.django_db

# make_editor's password
PASSWORD = "a long test password"


def _sign_in(client, url, password):
    return client.post(url, {"username": "editor@site.example", "password": password})


@pytest.mark.parametrize("guessed_at", ["/admin/login/", "/account/login/"])
def test_wrong_passwords_anywhere_pause_both_sign_in_pages(client, guessed_at):
    # Editors read every inquiry: the admin's sign-in must not be the way round the limit.
    make_editor()
    for _ in range(10):
        assert _sign_in(client, guessed_at, "guess").status_code == 200
    for url in ["/admin/login/", "/account/login/"]:
        response = _sign_in(client, url, PASSWORD)
        assert response.status_code == 200, url
        assert "Too many wrong passwords" in response.text, url
        assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_still_works(client):
    make_editor()
    _sign_in(client, "/admin/login/", "guess")
    response = _sign_in(client, "/admin/login/", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_right_password_of_someone_not_an_editor_is_no_wrong_password(client):
    # The admin refuses clinic staff in the words it uses for a wrong
    # password; their right password must not count towards locking them
    # out of the site's own sign-in.
    from tests.builders import make_user

    make_user("staff@clinic.example", password=PASSWORD)
    for _ in range(12):
        response = client.post(
            "/admin/login/", {"username": "staff@clinic.example", "password": PASSWORD}
        )
        assert response.status_code == 200
    response = client.post(
        "/account/login/", {"username": "staff@clinic.example", "password": PASSWORD}
    )
    assert response.status_code == 302
