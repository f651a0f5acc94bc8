"""Read the newest item's time from an RSS 2.0, RSS 1.0 (RDF) or Atom feed.

Bounded on every side: a total time limit per feed (not just per socket read), a size limit,
http(s) only, addresses of this machine's own networks refused unless allowed
(GONGKAI_SITES_FEED_ALLOW_PRIVATE), redirects checked the same way, XML parsed with
defusedxml (no entities, no external resources). Any failure is an answer, never an
exception: the feed's state is then unknown, with the reason in words.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import queue
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from defusedxml import ElementTree
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = 4
USER_AGENT = "gongkai-sites-refresh/1"

OK, UNKNOWN = "ok", "unknown"


@dataclass(frozen=True)
class FeedResult:
    url: str
    state: str  # OK or UNKNOWN
    newest: dt.datetime | None
    problem: str = ""


class _Refused(Exception):
    pass


def _allow_private() -> bool:
    return bool(getattr(settings, "GONGKAI_SITES_FEED_ALLOW_PRIVATE", False))


def _check_host(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Refused(_("只支持 http 或 https 地址"))
    if _allow_private():
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise _Refused(_("无法解析域名")) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise _Refused(_("地址指向内部网络，已拒绝"))


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 3

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_BYTES) -> bytes:
    """The body at `url`, within `timeout` seconds in all and `max_bytes`; raises on failure."""
    deadline = time.monotonic() + timeout
    _check_host(url)
    opener = urllib.request.build_opener(_CheckedRedirects())
    # The scheme and host were checked above (http/https only, no internal addresses).
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    with opener.open(request, timeout=max(timeout, 0.1)) as response:
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(_("读取超时"))
            chunk = response.read(64 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise _Refused(_("订阅源过大"))
            chunks.append(chunk)
    return b"".join(chunks)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _when(text: str | None) -> dt.datetime | None:
    """A feed date: RFC 822 (RSS pubDate) or ISO 8601 (Atom, dc:date); None if unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    moment = None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment is None or not 2000 <= moment.year <= 2100:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


DATE_TAGS = frozenset({"pubdate", "updated", "published", "date", "lastbuilddate", "modified"})


def newest_in(body: bytes) -> dt.datetime | None:
    """The newest date among the feed's items (or its own date when it has no item dates)."""
    try:
        root = ElementTree.fromstring(body, forbid_dtd=True)
    except Exception as exc:  # defusedxml raises several kinds, all meaning "not a feed"
        raise _Refused(_("不是有效的 RSS/Atom 订阅源")) from exc
    if _local(root.tag) not in ("rss", "feed", "rdf"):
        raise _Refused(_("不是有效的 RSS/Atom 订阅源"))
    item_dates, feed_dates = [], []
    for element in root.iter():
        if _local(element.tag) in ("item", "entry"):
            for child in element:
                if _local(child.tag) in DATE_TAGS:
                    moment = _when(child.text)
                    if moment:
                        item_dates.append(moment)
    if not item_dates:
        for element in root.iter():
            if _local(element.tag) in DATE_TAGS:
                moment = _when(element.text)
                if moment:
                    feed_dates.append(moment)
    found = item_dates or feed_dates
    return max(found) if found else None


def read(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> FeedResult:
    """Fetch and read one feed; never raises."""
    try:
        newest = newest_in(fetch(url, timeout=timeout))
    except _Refused as exc:
        return FeedResult(url, UNKNOWN, None, str(exc))
    except urllib.error.HTTPError as exc:
        return FeedResult(url, UNKNOWN, None, f"HTTP {exc.code}")
    except TimeoutError:
        return FeedResult(url, UNKNOWN, None, _("连接超时"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            return FeedResult(url, UNKNOWN, None, _("连接超时"))
        return FeedResult(url, UNKNOWN, None, _("无法访问"))
    except Exception:  # a feed must never stop the job
        return FeedResult(url, UNKNOWN, None, _("读取失败"))
    if newest is None:
        return FeedResult(url, UNKNOWN, None, _("订阅源中没有可识别的日期"))
    return FeedResult(url, OK, newest, "")


def read_many(
    urls: list[str], *, timeout: float = DEFAULT_TIMEOUT, workers: int = DEFAULT_WORKERS
) -> dict[str, FeedResult]:
    """Read many feeds with at most `workers` at once, in bounded total time.

    Daemon threads: a host that hangs where no timeout reaches (a slow DNS resolver) is given
    up at the overall deadline and cannot keep the process from ending."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    workers = max(1, min(workers, len(unique)))
    jobs: queue.Queue[str] = queue.Queue()
    for url in unique:
        jobs.put(url)
    results: dict[str, FeedResult] = {}
    lock = threading.Lock()

    def work():
        while True:
            try:
                url = jobs.get_nowait()
            except queue.Empty:
                return
            result = read(url, timeout=timeout)
            with lock:
                results[url] = result

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    rounds = -(-len(unique) // workers)
    deadline = time.monotonic() + rounds * (timeout + 1) + 1
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with lock:
        return {
            url: results.get(url) or FeedResult(url, UNKNOWN, None, _("连接超时")) for url in unique
        }
