"""Reading an account's RSS/Atom feed: the dates found, a served feed refreshing the register,
and every way a feed can fail ending as "unknown" quickly, never an error or a hang."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from gongkai.sites import feedreader as feeds
from gongkai.sites import services
from gongkai.sites.models import UpdateSource

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>\xe7\xa4\xba\xe8\x8c\x83\xe5\x8f\x91\xe5\xb8\x83</title>
<lastBuildDate>Mon, 02 Mar 2026 10:00:00 +0800</lastBuildDate>
<item><title>a</title><pubDate>Sun, 01 Mar 2026 09:00:00 +0800</pubDate></item>
<item><title>b</title><pubDate>Fri, 27 Feb 2026 09:00:00 +0800</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2026-03-01T00:00:00Z</updated>
<entry><title>a</title><updated>2026-02-20T08:30:00+08:00</updated></entry>
<entry><title>b</title><published>2026-02-25T08:30:00Z</published></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><item><dc:date>2026-01-05T10:00:00+08:00</dc:date></item>
</rdf:RDF>"""

BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>
<rss><channel><item><pubDate>&lol2;</pubDate></item></channel></rss>"""


def test_the_newest_item_date_of_each_feed_format():
    assert feeds.newest_in(RSS) == dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)
    assert feeds.newest_in(ATOM) == dt.datetime(2026, 2, 25, 8, 30, tzinfo=dt.UTC)
    assert feeds.newest_in(RDF) == dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    no_items = b"<rss><channel><lastBuildDate>Mon, 02 Mar 2026 10:00:00 GMT</lastBuildDate></channel></rss>"
    assert feeds.newest_in(no_items) == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    assert (
        feeds.newest_in(b"<rss><channel><item><pubDate>soon</pubDate></item></channel></rss>")
        is None
    )
    for junk in (b"", b"not xml", b"<html><body>hi</body></html>", BOMB):
        with pytest.raises(Exception) as error:
            feeds.newest_in(junk)
        assert type(error.value).__name__ == "_Refused"


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        body = self.routes.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        if body == "slow":
            time.sleep(3)
            body = RSS
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def served(settings):
    """A local HTTP server for feeds; private addresses allowed for it."""
    settings.GONGKAI_SITES_FEED_ALLOW_PRIVATE = True
    _Handler.routes = {
        "/rss.xml": RSS,
        "/atom.xml": ATOM,
        "/slow.xml": "slow",
        "/big.xml": b"<rss>" + b" " * (feeds.MAX_BYTES + 10) + b"</rss>",
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_reading_served_feeds_and_their_failures(served):
    ok = feeds.read(served + "/rss.xml", timeout=2)
    assert ok.state == feeds.OK and ok.newest.year == 2026
    assert feeds.read(served + "/missing.xml", timeout=2).problem == "HTTP 404"
    assert feeds.read(served + "/big.xml", timeout=5).problem == "订阅源过大"
    start = time.monotonic()
    slow = feeds.read(served + "/slow.xml", timeout=0.5)
    assert slow.state == feeds.UNKNOWN and slow.problem == "连接超时"
    assert time.monotonic() - start < 2


def test_an_unreachable_host_is_unknown_quickly(settings):
    settings.GONGKAI_SITES_FEED_ALLOW_PRIVATE = True
    start = time.monotonic()
    result = feeds.read(f"http://127.0.0.1:{_closed_port()}/rss.xml", timeout=1)
    assert result.state == feeds.UNKNOWN and result.newest is None
    # A listener that never answers: the timeout, not the peer, ends the wait.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        many = feeds.read_many(
            [f"http://127.0.0.1:{port}/a", f"http://127.0.0.1:{port}/b"], timeout=0.5, workers=2
        )
    assert {r.state for r in many.values()} == {feeds.UNKNOWN}
    assert time.monotonic() - start < 4


def test_internal_addresses_and_other_schemes_are_refused(settings):
    settings.GONGKAI_SITES_FEED_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1/rss", "http://10.1.2.3/rss", "http://[::1]/rss",
                "file:///etc/passwd", "ftp://example.org/x"):  # fmt: skip
        result = feeds.read(url, timeout=0.5)
        assert result.state == feeds.UNKNOWN and result.problem, url


def test_the_refresh_job_records_what_the_feeds_say(opened, publisher, account_data, served):
    good = opened()
    services.entry_record_update(actor=publisher, entry=good, feed_url=served + "/rss.xml")
    bad = opened(data=account_data(name="坏源", account_id="bad"))
    services.entry_record_update(
        actor=publisher, entry=bad, feed_url=f"http://127.0.0.1:{_closed_port()}/x",
        updated_on=timezone.localdate(),
    )  # fmt: skip
    done = services.feeds_refresh(actor=None, timeout=1, workers=2)
    assert {e.pk: r.state for e, r in done} == {good.pk: "ok", bad.pk: "unknown"}
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.last_update_source == UpdateSource.FEED
    assert good.last_updated_at == dt.datetime(2026, 3, 1, 1, tzinfo=dt.UTC)
    assert good.feed_checked_at is not None and good.feed_problem == ""
    # Unreachable: unknown, and what was entered before stays.
    assert bad.last_update_source == UpdateSource.ENTERED and bad.feed_problem == "无法访问"


def test_the_cli(run_cli, opened, publisher, served):
    entry = opened()
    services.entry_record_update(actor=publisher, entry=entry, feed_url=served + "/atom.xml")
    code, out, _err = run_cli("sites-refresh", "--timeout", "2")
    assert code == 0, _err
    assert f"{entry.pk}\tok\t" in out and "1 feeds read, 0 unknown" in out
    code, _out, err = run_cli("sites-refresh", "--timeout", "0")
    assert code == 2 and "超时时间" in err
    code, _out, err = run_cli("sites-refresh", "--workers", "many")
    assert code == 2
