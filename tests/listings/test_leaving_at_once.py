import threading

import pytest
from django.db import connection, connections, transaction

from clinics.models import Clinic
from listings.models import Membership
from tests.builders import make_clinic, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite lets one writer in at a time, so two leavers can't overlap there.
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two transactions writing at once"
    ),
]


def _leaves(user):
    Membership.objects.filter(user=user).delete()


def _account_closes(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.mark.parametrize("first_goes", [_leaves, _account_closes], ids=["leaves", "closes"])
def test_the_last_two_staff_leaving_at_once_take_the_verified_badge(first_goes):
    clinic = make_clinic(is_verified=True)
    first, second = make_user(), make_user()
    Membership.objects.create(user=first, clinic=clinic)
    Membership.objects.create(user=second, clinic=clinic)
    first_left, let_first_commit = threading.Event(), threading.Event()
    failures = []

    def leave(user, goes, before_commit=None, wait_for=None):
        try:
            if wait_for:
                assert wait_for.wait(10)
            with transaction.atomic():
                goes(user)
                if before_commit:
                    # Each sees the other still on staff until the other commits.
                    before_commit.set()
                    assert let_first_commit.wait(10)
        except Exception as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=leave, args=(first, first_goes, first_left)),
        threading.Thread(target=leave, args=(second, _leaves, None, first_left)),
    ]
    for thread in threads:
        thread.start()
    # The second has deleted its row, or is waiting for the first to commit.
    threads[1].join(1)
    let_first_commit.set()
    for thread in threads:
        thread.join(15)
    assert not failures
    assert not Membership.objects.filter(clinic=clinic, user__is_active=True).exists()
    assert not Clinic.objects.get(pk=clinic.pk).is_verified
