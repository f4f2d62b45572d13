"""Signing in under django-axes: the client address a failed login is counted against, and the
page a locked-out user sees.

Axes locks a username from one address after ``AXES_FAILURE_LIMIT`` failures (config/settings.py).
An admin lifts a lock by deleting the access attempt in the admin (Axes > Access attempts) or with
``python manage.py axes_reset_username USERNAME``.
"""

import ipaddress
import logging
from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LOGIN_TEMPLATE = "registration/login.html"


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (``AXES_CLIENT_IP_CALLABLE``).

    Served directly, that is REMOTE_ADDR. Behind ``POKIN_BEHIND_PROXY`` trusted reverse proxies
    (nginx with ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``), REMOTE_ADDR is
    the proxy's and each proxy appends the address it received the request from to
    X-Forwarded-For: the client is the entry that many places from the right. Entries further
    left come from the client itself and could be forged to dodge the lock, so they are never
    read. A header shorter than the proxy count, or not an address, means the proxy is not set up
    as configured: REMOTE_ADDR is used, which locks per proxy (too strict, never too lax).
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.POKIN_BEHIND_PROXY
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies or not _is_address(forwarded[-proxies]):
        logger.warning("POKIN_BEHIND_PROXY=%s but X-Forwarded-For is %r; using REMOTE_ADDR", proxies, forwarded)
        return remote
    return forwarded[-proxies]


def lockout_message(cool_off: timedelta | None) -> str:
    if cool_off is None:
        return _("Terlalu banyak percobaan masuk yang gagal. Hubungi admin untuk membuka akun ini.")
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(menit)s menit atau hubungi admin.") % {
        "menit": minutes
    }


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login page again, with the lockout message and status 429,
    for our login page and the admin's alike."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "lockout_message": lockout_message(get_cool_off(request)),
    }
    return render(request, LOGIN_TEMPLATE, context, status=429)  # Too Many Requests
