"""Login throttling (django-axes): five failures lock a username from one address for 30 minutes,
with the Indonesian message and status 429; another address or another username is not locked;
an admin lifts the lock. Behind a proxy the address is read from X-Forwarded-For, as configured."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from dinas.login import client_ip
from tests.conftest import Client

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-123"
# Addresses from the documentation ranges (RFC 5737): only strings in request.META here.
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "203.0.113.8"
LOCKED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 30 menit atau hubungi admin."
WRONG = "Nama pengguna atau kata sandi salah."


@pytest.fixture
def user():
    return get_user_model().objects.create_user("operator-uji", password=PASSWORD, is_staff=True)


@pytest.fixture
def other_user():
    return get_user_model().objects.create_user("operator-lain", password=PASSWORD)


def attempt(username: str, password: str, address: str = ADDRESS, path: str = "/login/", **headers):
    client = Client()
    response = client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)
    response.logged_in = "_auth_user_id" in client.session
    return response


def lock(username: str, address: str = ADDRESS, **headers) -> None:
    for _ in range(5):
        attempt(username, "salah", address, **headers)


def test_five_failures_lock_that_username_from_that_address(user):
    for _ in range(4):
        response = attempt(user.username, "salah")
        assert response.status_code == 200
        assert WRONG in response.text
    fifth = attempt(user.username, "salah")
    assert fifth.status_code == 429
    assert LOCKED in fifth.text

    right = attempt(user.username, PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.text
    assert not right.logged_in
    assert 'name="username"' in right.text and 'value="operator-uji"' in right.text  # the login form again


def test_fewer_failures_then_the_right_password_logs_in_and_forgets_them(user):
    for _ in range(4):
        attempt(user.username, "salah")
    assert attempt(user.username, PASSWORD).logged_in
    for _ in range(4):  # counted from zero again
        assert attempt(user.username, "salah").status_code == 200
    assert attempt(user.username, PASSWORD).logged_in


def test_the_lock_holds_only_for_that_username_and_that_address(user, other_user):
    lock(user.username)
    from_elsewhere = attempt(user.username, PASSWORD, OTHER_ADDRESS)
    assert from_elsewhere.status_code == 302 and from_elsewhere.logged_in
    colleague = attempt(other_user.username, PASSWORD, ADDRESS)
    assert colleague.status_code == 302 and colleague.logged_in


def test_the_admin_login_is_locked_too(user):
    lock(user.username)
    response = attempt(user.username, PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert not response.logged_in


def test_the_lock_ends_after_30_minutes(user):
    lock(user.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert attempt(user.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert attempt(user.username, PASSWORD).logged_in


def test_axes_reset_username_unlocks(user):
    lock(user.username)
    call_command("axes_reset_username", user.username, stdout=io.StringIO())
    assert attempt(user.username, PASSWORD).logged_in


def test_an_admin_unlocks_by_deleting_the_attempt(user, admin_client):
    lock(user.username)
    attempts = admin_client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200
    assert "operator-uji" in attempts.text
    [locked] = AccessAttempt.objects.filter(username=user.username)
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [locked.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert attempt(user.username, PASSWORD).logged_in


# -- the client address ----------------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/login/", **headers)


def test_served_directly_the_address_is_remote_addr_whatever_the_header_says(settings):
    settings.POKIN_BEHIND_PROXY = 0
    assert client_ip(request_from(ADDRESS, "198.51.100.1")) == ADDRESS


def test_behind_one_proxy_the_address_is_the_one_the_proxy_appended(settings):
    settings.POKIN_BEHIND_PROXY = 1
    assert client_ip(request_from("127.0.0.1", ADDRESS)) == ADDRESS
    # what the client wrote itself, left of the proxy's entry, is never believed
    assert client_ip(request_from("127.0.0.1", f"198.51.100.1, {ADDRESS}")) == ADDRESS
    # no header, or a damaged one: the proxy's own address, which locks too much, never too little
    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", "bukan-alamat")) == "127.0.0.1"


def test_behind_two_proxies_the_address_is_second_from_the_right(settings):
    settings.POKIN_BEHIND_PROXY = 2
    assert client_ip(request_from("127.0.0.1", f"198.51.100.1, {ADDRESS}, 198.51.100.9")) == ADDRESS
    assert client_ip(request_from("127.0.0.1", ADDRESS)) == "127.0.0.1"


def test_behind_a_proxy_each_client_address_is_locked_on_its_own(settings, user):
    settings.POKIN_BEHIND_PROXY = 1
    lock(user.username, "127.0.0.1", HTTP_X_FORWARDED_FOR=ADDRESS)
    assert attempt(user.username, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=ADDRESS).status_code == 429
    other = attempt(user.username, PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR=OTHER_ADDRESS)
    assert other.status_code == 302 and other.logged_in
