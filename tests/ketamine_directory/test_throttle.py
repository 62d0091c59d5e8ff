"""The per-address limits' count: one atomic step, so a burst cannot slip past it."""

import threading

from django.test import RequestFactory

from ketamine_directory.throttle import AccountThrottle, AddressThrottle


def _request(address="192.0.2.1"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_allow_counts_and_refuses_past_the_limit():
    throttle = AddressThrottle("test:allow", limit=3, window=60)
    assert [throttle.allow(_request()) for _ in range(5)] == [True, True, True, False, False]
    assert throttle.exceeded(_request())
    assert throttle.allow(_request("192.0.2.2"))


def test_a_burst_of_parallel_requests_gets_only_the_limit_through():
    # Checking and then counting lets every request of a burst check before
    # any is counted; counting and checking in one step does not.
    throttle = AddressThrottle("test:burst", limit=5, window=60)
    start = threading.Barrier(20)
    allowed = []

    def one():
        request = _request()
        start.wait()
        allowed.append(throttle.allow(request))

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5


def test_an_account_throttle_counts_the_account_wherever_it_connects_from():
    class User:
        pk = 42

    throttle = AccountThrottle("test:account", limit=1, window=60)
    first, second = _request("192.0.2.1"), _request("198.51.100.1")
    first.user = second.user = User()
    assert throttle.allow(first)
    assert not throttle.allow(second)
