import pytest
from django.core.cache import cache, caches
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Directory figures are cached; each test starts from what its own data says,
    # and with no rate limit counted yet.
    cache.clear()
    caches["limits"].clear()
    yield
    cache.clear()
    caches["limits"].clear()


@pytest.fixture
def sample_data(db):
    """The fictional sample clinics (and guides) from fixtures/."""
    call_command("load_sample_data", verbosity=0)


@pytest.fixture
def editor(client):
    """An editor (the Editors group, not a superuser), signed in with `client`."""
    from tests.builders import make_editor

    user = make_editor()
    client.force_login(user)
    return user
