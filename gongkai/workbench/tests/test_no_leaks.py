"""No internal names in the Chinese interface.

Every page of the portal and the workbench is rendered in Chinese, with the demo data of every
app loaded (as `gongkai demo` does): starting from each URL pattern without parameters, the
crawl follows the links it finds, one or two pages per URL pattern, as a citizen (portal) and
as the superuser and a publisher (workbench). The visible text (no attributes, scripts, styles
or code blocks) must not hold an ASCII field name (`document_number`, `attachment_added`), an
audit verb (`foi.send`), a model label (`documents.document`) or an actor code (`cli:demo`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from gongkai.core import verbs
from gongkai.core.workflow import REGISTRY

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"(?<![\w./:@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@-])")
MODEL_LABEL = re.compile(
    r"(?<![\w./@-])(?:auth|core|orgs|documents|search|normative|foi|supervision|participation"
    r"|reports|portal|workbench|workplan|document|gazette)\.[a-z_]+(?:\.[a-z_]+)?(?![\w.@-])"
)
ACTOR_CODE = re.compile(r"(?<![\w])(?:cli:[a-z-]+|system:scheduler)\b")
# Pages per URL pattern the crawl opens (details with different objects look alike).
PER_ROUTE = 2
# /healthz is for the load balancer, answers 503 until a job has run (core/tests/test_health.py).
SKIP_PATHS = ("/workbench/logout/", "/admin/", "/captcha/", "/static/", "/media/", "/healthz")


def known_verbs() -> set[str]:
    found = set(verbs.CATALOG) | {v.canonical for v in verbs.CATALOG.values()}
    for name, workflow in REGISTRY.items():
        for action in workflow.table:
            found.add(f"{name}.{action}")
            if name in verbs.WORKFLOWS:
                found.add(f"{verbs.WORKFLOWS[name]}.{action}")
    return found


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts, styles or code blocks."""

    HIDDEN = {"script", "style", "code", "pre", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def leaks(html: str, verb_names: set[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    found = SNAKE.findall(text) + MODEL_LABEL.findall(text) + ACTOR_CODE.findall(text)
    found += [v for v in verb_names if re.search(rf"(?<![\w.]){re.escape(v)}(?![\w.])", text)]
    return sorted(set(found))


def _links(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.links


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route + "|" + (match.view_name or "")


def _start_paths(prefixes: tuple[str, ...]) -> list[str]:
    """Every URL pattern without parameters under the given prefixes."""
    paths = []

    def walk(patterns, prefix):
        for p in patterns:
            route = str(p.pattern)
            if "<" in route or route.startswith("^") or "(?P" in route:
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return [p for p in paths if p.startswith(prefixes) and not p.startswith(SKIP_PATHS)]


def crawl(client, prefixes: tuple[str, ...], *, limit: int = 600):
    """Open every start page and follow links within `prefixes`; (path, status, leaks) each."""
    verb_names = known_verbs()
    queue = deque(_start_paths(prefixes))
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    results = []
    while queue and len(results) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        route = _route(urlsplit(path).path)
        if route is None:
            continue
        if per_route.get(route, 0) >= PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        kind = response.get("Content-Type", "")
        if response.status_code >= 300 or "text/html" not in kind:
            results.append((path, response.status_code, []))
            continue
        html = response.content.decode()
        results.append((path, response.status_code, leaks(html, verb_names)))
        for href in _links(html):
            href = urldefrag(href)[0]
            if href.startswith(prefixes) and not href.startswith(SKIP_PATHS) and href not in seen:
                queue.append(href)
    return results


@pytest.fixture
def all_demo(make_staff, org):
    """Every app's demo data (as `gongkai demo` loads it), and a draft returned by the reviewer
    with an attachment, so that 修订记录 and 办理记录 have each kind of line."""
    from gongkai.documents import services
    from gongkai.orgs.models import Membership
    from gongkai.portal.management.commands.demo import demo_loaders

    for _label, load in demo_loaders():
        for _line in load():
            pass
    pub = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    rev = make_staff("示范市教育局", Membership.Role.REVIEWER)
    doc = services.document_create(
        actor=pub,
        org=org("示范市教育局"),
        data={
            "title": "关于退回修改的测试通知",
            "document_number": "示教〔2026〕99号",
            "date_signed": dt.date(2026, 3, 2),
            "attribute": "proactive",
            "body": "<p>正文</p>",
        },
    )
    services.attachment_add(actor=pub, document=doc, name="附件1.txt", data="附件内容".encode())
    services.document_update(actor=pub, document=doc, data={"summary": "概述"})
    services.document_transition(actor=pub, document=doc, action="submit")
    services.document_transition(actor=rev, document=doc, action="return", reason="请补充依据")
    return doc


def _report(results) -> str:
    return "\n".join(f"{path} ({status}): {', '.join(found)}" for path, status, found in results)


def test_the_workbench_shows_no_internal_names(client, all_demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-admin"))
    results = crawl(client, ("/workbench/",))
    errors = [(p, s, f) for p, s, f in results if s >= 500]
    assert not errors, _report(errors)
    leaking = [(p, s, f) for p, s, f in results if f]
    assert len(results) > 40
    assert not leaking, "internal names in the Chinese interface:\n" + _report(leaking)


def test_a_publisher_sees_the_returned_draft_in_words(client, all_demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-publisher"))
    page = client.get(f"/workbench/documents/{all_demo.pk}/").content.decode()
    assert "请补充依据" in page and "已退回修改" in page
    assert "添加附件“附件1.txt”" in page and "修改了内容概述" in page
    assert not leaks(page, known_verbs())


def test_the_portal_shows_no_internal_names(client, all_demo):
    results = crawl(client, ("/",), limit=400)
    results = [r for r in results if not r[0].startswith("/workbench/")]
    errors = [(p, s, f) for p, s, f in results if s >= 500]
    assert not errors, _report(errors)
    leaking = [(p, s, f) for p, s, f in results if f]
    assert len(results) > 30
    assert not leaking, "internal names in the Chinese interface:\n" + _report(leaking)


def test_the_audit_log_reads_as_sentences(client, all_demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-admin"))
    page = client.get("/workbench/audit/").content.decode()
    assert "命令行（demo）" in page or "系统" in page
    assert not leaks(page, known_verbs())
    assert "documents.document" not in page and "cli:demo" not in page


@pytest.mark.parametrize("path", ["/workbench/audit/", "/workbench/ledger/"])
def test_a_bad_page_number_is_no_leak(client, path):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo-admin"))
    response = client.get(path + "?page=abc")
    assert response.status_code < 500
    assert "None" not in response.content.decode()


def test_the_leak_detector_finds_what_the_issue_names():
    page = (
        "<p>修订记录：title、document_number、attachment_added</p>"
        "<td>foi.send</td><td>documents.document 413</td><td>cli:demo</td>"
        '<a href="/x/?a_b=1" title="snake_case">链接</a><code>foi.send</code>'
    )
    found = leaks(page, known_verbs())
    assert {"document_number", "attachment_added", "foi.send", "documents.document"} <= set(found)
    assert "cli:demo" in found and "snake_case" not in found and "a_b" not in found
