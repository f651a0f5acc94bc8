"""Check the external links found in published documents' bodies.

Bounded everywhere: at most `max_links` addresses, `workers` at a time, `timeout` seconds per
request and `deadline` seconds for the whole check; whatever has not answered by then is
"unknown". A host that does not answer, refuses or times out is "unknown" too — only an
answer of 404/410 or a server error marks a link broken. HEAD first, GET when HEAD is refused.
Redirects are not followed (a redirect is an answer): a public address cannot bounce the
checker onto the server's own network.
Addresses on private, loopback or link-local networks are not requested (unless allowed), so a
document cannot make the server probe its own network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

URL_RE = re.compile(r"""https?://[^\s"'<>（）()\[\]{}，。；、]+""", re.IGNORECASE)
OK, BROKEN, UNKNOWN = "ok", "broken", "unknown"


@dataclass
class LinkResult:
    url: str
    state: str
    status: int | None = None
    note: str = ""


def extract(text: str) -> list[str]:
    out = []
    for match in URL_RE.findall(text or ""):
        url = match.rstrip(".,;:!?'\"")
        if url not in out:
            out.append(url)
    return out


def _private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # unresolvable: the request itself will say so
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            return True
    return False


def check_one(url: str, *, timeout: float, allow_private: bool = False) -> LinkResult:
    host = urlsplit(url).hostname
    if not host:
        return LinkResult(url, BROKEN, note="bad address")
    if not allow_private and _private(host):
        return LinkResult(url, UNKNOWN, note="private address not checked")
    headers = {"User-Agent": "gongkai-site-check/1"}
    try:
        resp = requests.head(url, timeout=timeout, allow_redirects=False, headers=headers)
        status = resp.status_code
        if status >= 400:
            # Many servers refuse HEAD (405, 403, 501): ask again with GET, reading nothing.
            with requests.get(
                url, timeout=timeout, allow_redirects=False, headers=headers, stream=True
            ) as resp:
                status = resp.status_code
    except requests.Timeout:
        return LinkResult(url, UNKNOWN, note="timeout")
    except requests.ConnectionError:
        return LinkResult(url, UNKNOWN, note="no connection")
    except requests.RequestException as exc:
        return LinkResult(url, UNKNOWN, note=type(exc).__name__)
    if status in (404, 410) or status >= 500:
        return LinkResult(url, BROKEN, status)
    if status >= 400:
        return LinkResult(url, UNKNOWN, status, note="refused")
    return LinkResult(url, OK, status)


def check_all(
    urls: list[str],
    *,
    workers: int = 8,
    timeout: float = 5.0,
    deadline: float = 30.0,
    max_links: int = 200,
    allow_private: bool = False,
) -> list[LinkResult]:
    """Check each address; never waits much longer than `deadline` seconds in all."""
    urls = list(dict.fromkeys(urls))[:max_links]
    results: dict[str, LinkResult] = {}
    ends = time.monotonic() + deadline
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="sitecheck-link")
    try:
        futures = {
            pool.submit(check_one, u, timeout=timeout, allow_private=allow_private): u for u in urls
        }
        pending = set(futures)
        while pending:
            left = ends - time.monotonic()
            if left <= 0:
                break
            done, pending = wait(pending, timeout=left, return_when=FIRST_COMPLETED)
            for f in done:
                try:
                    results[futures[f]] = f.result()
                except Exception as exc:
                    results[futures[f]] = LinkResult(futures[f], UNKNOWN, note=type(exc).__name__)
    finally:
        # Requests still running finish on their own timeout; nobody waits for them.
        pool.shutdown(wait=False, cancel_futures=True)
    return [results.get(u) or LinkResult(u, UNKNOWN, note="not answered in time") for u in urls]
