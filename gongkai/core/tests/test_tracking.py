"""Tracking passwords are hashed with a keyed HMAC: fast, useless without the key, rotation-
ready, and the Argon2 hashes from before keep working until their next use replaces them."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from gongkai.core import tracking


@pytest.fixture
def keys(monkeypatch):
    def use(*values: str):
        monkeypatch.setenv("GONGKAI_TRACKING_KEYS", ",".join(values))
        tracking._keys.cache_clear()

    yield use
    tracking._keys.cache_clear()


def test_hash_verifies_only_its_password_and_hides_it(keys):
    keys("k-new")
    stored = tracking.make("AB12CD34EF")
    assert stored.startswith("hmac$") and "AB12CD34EF" not in stored
    assert tracking.verify("AB12CD34EF", stored) == (True, False)
    assert tracking.verify("AB12CD34EG", stored) == (False, False)
    assert tracking.verify("", stored) == (False, False)
    assert tracking.verify("AB12CD34EF", "") == (False, False)


def test_rotation_keeps_old_hashes_working_and_asks_for_a_rehash(keys):
    keys("k-old")
    old = tracking.make("AB12CD34EF")
    keys("k-new", "k-old")
    assert tracking.verify("AB12CD34EF", old) == (True, True)
    assert tracking.make("AB12CD34EF") != old
    keys("k-new")  # the old key retired: its hashes no longer open anything
    assert tracking.verify("AB12CD34EF", old) == (False, False)
    assert len(tracking.key_fingerprints()) == 1 and "k-new" not in tracking.key_fingerprints()[0]


def test_argon2_hash_from_before_verifies_and_asks_for_a_rehash(keys):
    keys("k")
    legacy = make_password("AB12CD34EF")
    assert tracking.verify("AB12CD34EF", legacy) == (True, True)
    assert tracking.verify("wrong", legacy) == (False, False)


def test_tampered_hash_fails(keys):
    keys("k")
    stored = tracking.make("AB12CD34EF")
    assert tracking.verify("AB12CD34EF", stored[:-1] + "0") == (False, False)
    assert tracking.verify("AB12CD34EF", "hmac$deadbeef$00") == (False, False)
    assert tracking.verify("AB12CD34EF", "hmac$") == (False, False)


@pytest.mark.django_db
def test_request_password_from_argon2_is_upgraded_on_use(keys, org):
    """A disclosure request stored with an Argon2 hash opens with its password, and from then
    on carries the keyed hash."""
    from gongkai.foi import services
    from gongkai.foi.models import Request
    from gongkai.foi.tests.test_requests import application

    keys("k")
    data = application(org("示范市教育局"))
    receipt = services.request_submit(data=data, source_address="10.0.0.1")
    Request.objects.filter(pk=receipt.request.pk).update(
        password_hash=make_password(receipt.password)
    )
    request = Request.objects.get(pk=receipt.request.pk)
    assert services.request_check_password(request, receipt.password)
    request.refresh_from_db()
    assert request.password_hash.startswith("hmac$")
    assert services.request_check_password(request, receipt.password)
    assert not services.request_check_password(request, "wrong")
