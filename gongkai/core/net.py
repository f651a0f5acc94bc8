"""Who is asking: the client's address behind trusted proxies (one setting for every limit).

GONGKAI_TRUSTED_PROXIES is empty (the server faces the Internet: REMOTE_ADDR is the client),
a number N (N proxies in front, each appending to X-Forwarded-For: the client is the N-th
address from the right), or proxy addresses and networks ("10.0.0.0/8,127.0.0.1": the client
is the right-most address in X-Forwarded-For that is not one of them). Addresses a client
writes into the header itself are never believed: only the hops the proxies appended count.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _trusted(value: str) -> tuple[int, tuple]:
    value = (value or "").strip()
    if not value:
        return 0, ()
    if value.isdigit():
        return int(value), ()
    networks = tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(","))
    return 0, networks


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The address of the person at the other end (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count, networks = _trusted(settings.GONGKAI_TRUSTED_PROXIES)
    if not count and not networks:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if count:
        return _valid(hops[-count]) or remote if len(hops) >= count else remote
    if not _is_trusted(remote, networks):
        return remote  # not through our proxy: the header is the client's own words
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return _valid(hop) or remote
    return remote
