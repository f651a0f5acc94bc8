"""Fetch the public pages gongkai serves and look at them: links, mobile viewport, accessibility.

Two fetchers answer `get(path)`: `ClientFetcher` asks Django in-process (no server needed, the
default), `HttpFetcher` asks a running site by its base URL. The crawl is breadth-first from
the start page, same host only, and stops after `max_pages` requests; every internal link found
on a crawled page is requested once (that is how a link is checked).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from django.conf import settings

# Staff and machine areas are not part of the public site; a logout link is never followed.
SKIP_PREFIXES = ("/workbench/", "/admin/", "/api/", "/captcha/", "/i18n/", "/prefs/", "/static/")
BROKEN_STATUSES = (404, 410)


@dataclass
class Response:
    status: int | None  # None: no answer (timeout, refused)
    content_type: str = ""
    text: str = ""
    error: str = ""
    seconds: float = 0.0


class ClientFetcher:
    """Ask the site gongkai serves, in-process, through Django's test client."""

    def __init__(self):
        from django.test import Client

        hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")]
        self.host = hosts[0] if hosts else "testserver"
        self.client = Client(HTTP_HOST=self.host, raise_request_exception=False)
        self.secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
        self.base_url = ""

    def get(self, path: str) -> Response:
        start = time.monotonic()
        try:
            resp = self.client.get(path, secure=self.secure)
        except Exception as exc:  # a page that raises is a broken page, not a broken check
            return Response(500, error=type(exc).__name__, seconds=time.monotonic() - start)
        ctype = resp.get("Content-Type", "")
        text = ""
        if "html" in ctype and not getattr(resp, "streaming", False):
            text = resp.content.decode(resp.charset or "utf-8", errors="replace")
        return Response(resp.status_code, ctype, text, seconds=time.monotonic() - start)


class HttpFetcher:
    """Ask a running site over HTTP (the live server in tests, or the production address)."""

    def __init__(self, base_url: str, *, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(base_url).netloc
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "gongkai-site-check/1"

    def get(self, path: str) -> Response:
        start = time.monotonic()
        try:
            with self.session.get(
                self.base_url + path, timeout=self.timeout, stream=True, allow_redirects=True
            ) as resp:
                ctype = resp.headers.get("Content-Type", "")
                text = ""
                if "html" in ctype:
                    # Pages are small; a huge body is cut rather than read whole.
                    raw = resp.raw.read(2_000_000, decode_content=True)
                    text = raw.decode(resp.encoding or "utf-8", errors="replace")
                return Response(resp.status_code, ctype, text, seconds=time.monotonic() - start)
        except requests.RequestException as exc:
            return Response(None, error=type(exc).__name__, seconds=time.monotonic() - start)


class PageParser(HTMLParser):
    """The parts of a page the check looks at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.lang = ""
        self.title = ""
        self.viewport = False
        self.images = 0
        self.images_without_alt = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = (a.get("lang") or "").strip()
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and (a.get("name") or "").lower() == "viewport":
            self.viewport = "width" in (a.get("content") or "")
        elif tag == "img":
            self.images += 1
            if a.get("alt") is None:
                self.images_without_alt += 1
        elif tag in ("a", "link") and a.get("href"):
            if tag == "link" and (a.get("rel") or "") not in ("alternate",):
                return
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data.strip()


@dataclass
class Page:
    path: str
    status: int | None
    is_html: bool = False
    lang: bool = True
    title: bool = True
    viewport: bool = True
    images_without_alt: int = 0
    links_from: list[str] = field(default_factory=list)  # pages linking here


@dataclass
class Crawl:
    pages: dict[str, Page]
    unchecked: int  # internal links found but not requested (the page budget ran out)
    start: str

    @property
    def html_pages(self) -> list[Page]:
        return [p for p in self.pages.values() if p.is_html and p.status == 200]

    def broken(self) -> list[Page]:
        return [
            p
            for p in self.pages.values()
            if p.status in BROKEN_STATUSES or (p.status is not None and p.status >= 500)
        ]


def internal_path(href: str, current: str, host: str) -> str | None:
    """The same-host path (with query) an href leads to, or None for other hosts and schemes."""
    href = href.strip()
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    url = urldefrag(urljoin("http://" + (host or "testserver") + current, href))[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    if host and parts.netloc and parts.netloc != host:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(fetcher, *, start: str = "/", max_pages: int = 500, deadline: float = 120.0) -> Crawl:
    """Breadth-first over the public pages, at most `max_pages` requests or `deadline` seconds."""
    ends = time.monotonic() + deadline
    pages: dict[str, Page] = {}
    # Plain pages first, then their filtered and paged variants (?page=, facets), which are many.
    queue: deque[str] = deque([start])
    later: deque[str] = deque()
    seen = {start}
    referrers: dict[str, list[str]] = {start: []}
    while (queue or later) and len(pages) < max_pages and time.monotonic() < ends:
        path = queue.popleft() if queue else later.popleft()
        resp = fetcher.get(path)
        page = Page(path, resp.status, links_from=referrers.get(path, [])[:5])
        pages[path] = page
        if resp.status != 200 or "html" not in resp.content_type:
            continue
        parser = PageParser()
        try:
            parser.feed(resp.text)
        except Exception:  # noqa: S112 — an unreadable page still counts as fetched
            continue
        page.is_html = True
        page.lang = bool(parser.lang)
        page.title = bool(parser.title)
        page.viewport = parser.viewport
        page.images_without_alt = parser.images_without_alt
        for href in parser.links:
            target = internal_path(href, path, fetcher.host)
            if target is None:
                continue
            referrers.setdefault(target, [])
            if len(referrers[target]) < 5:
                referrers[target].append(path)
            if target not in seen:
                seen.add(target)
                (later if "?" in target else queue).append(target)
    return Crawl(pages, unchecked=len(seen) - len(pages), start=start)
