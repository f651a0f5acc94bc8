"""The link checker and the crawl are bounded: a slow host or a refused port is "unknown"
within the deadline, never a hang; the crawl stops at its page budget and stays on the site."""

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gongkai.sitecheck import crawler, links


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, body: bool):
        path = self.path.split("?")[0]
        if path == "/slow":
            time.sleep(5)
        status = {"/ok": 200, "/missing": 404, "/gone": 410, "/error": 500}.get(path, 200)
        if path == "/nohead" and self.command == "HEAD":
            status = 405
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            with contextlib.suppress(OSError):  # the client gave up (the slow endpoint)
                self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def refused_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_states_of_links_with_slow_and_refused_hosts(server):
    urls = [f"{server}/ok", f"{server}/missing", f"{server}/gone", f"{server}/error",
            f"{server}/nohead", f"{server}/slow", f"http://127.0.0.1:{refused_port()}/x"]  # fmt: skip
    start = time.monotonic()
    found = links.check_all(urls, workers=8, timeout=0.5, deadline=3, allow_private=True)
    elapsed = time.monotonic() - start
    assert elapsed < 3
    state = {r.url.rsplit("/", 1)[-1]: r.state for r in found}
    assert state == {
        "ok": "ok", "missing": "broken", "gone": "broken", "error": "broken",
        "nohead": "ok", "slow": "unknown", "x": "unknown",
    }  # fmt: skip


def test_overall_deadline_ends_the_check(server):
    """Twenty slow links, two at a time, 0.8 s deadline: the check returns on time, each
    unanswered link unknown."""
    urls = [f"{server}/slow?{i}" for i in range(20)]
    start = time.monotonic()
    found = links.check_all(urls, workers=2, timeout=4, deadline=0.8, allow_private=True)
    assert time.monotonic() - start < 2
    assert len(found) == 20 and {r.state for r in found} == {"unknown"}


def test_private_addresses_are_not_requested_by_default(server):
    (result,) = links.check_all([f"{server}/missing"], timeout=1, deadline=2)
    assert result.state == "unknown" and "private" in result.note


def test_links_are_taken_from_bodies():
    body = '见 <a href="https://www.gov.cn/zhengce/a.htm">国务院</a>，（http://example.org/x）。'
    assert links.extract(body) == ["https://www.gov.cn/zhengce/a.htm", "http://example.org/x"]


def test_internal_paths_stay_on_the_public_site():
    host = "127.0.0.1"
    assert crawler.internal_path("/orgs/x/#top", "/", host) == "/orgs/x/"
    assert crawler.internal_path("page/?a=1", "/orgs/", host) == "/orgs/page/?a=1"
    assert crawler.internal_path("https://other.example/", "/", host) is None
    assert crawler.internal_path("/workbench/", "/", host) is None
    assert crawler.internal_path("mailto:a@b.c", "/", host) is None


@pytest.mark.django_db
def test_crawl_stops_at_its_page_budget(publish):
    for i in range(3):
        publish(title=f"通知{i}")
    result = crawler.crawl(crawler.ClientFetcher(), max_pages=6)
    assert len(result.pages) == 6
    assert result.unchecked > 0
    assert all(not p.startswith("/workbench/") for p in result.pages)
    home = result.pages["/"]
    assert home.status == 200 and home.viewport and home.lang and home.title


@pytest.mark.django_db
def test_crawl_reports_a_broken_internal_link():
    class Fake:
        host = "site.example"

        def get(self, path):
            if path == "/":
                html = ('<html lang="zh"><head><title>首页</title></head><body>'
                        '<a href="/a/">A</a><a href="/dead/">x</a><img src="/i.png"></body></html>')  # fmt: skip
                return crawler.Response(200, "text/html", html)
            return crawler.Response(404 if path == "/dead/" else 200, "image/png")

    result = crawler.crawl(Fake(), max_pages=10)
    assert [p.path for p in result.broken()] == ["/dead/"]
    assert result.broken()[0].links_from == ["/"]
    assert result.pages["/"].images_without_alt == 1 and not result.pages["/"].viewport
