"""Every public GET page answers junk in its query string and path with a 4xx, never a 500
(issue 14, finding 4: /normative/compile/?valid_on=abc raised AttributeError)."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# healthz answers 503 by design until a scheduled job has run (core/tests/test_health.py).
PRIVATE = ("admin/", "api/", "workbench/", "captcha/", "i18n/", "healthz")
PARAMS = [
    "q",
    "org",
    "category",
    "column",
    "type",
    "validity",
    "year",
    "date_from",
    "date_to",
    "sort",
    "page",
    "valid_on",
    "format",
    "sub_units",
    "number",
    "kind",
    "problems",
    "size",
    "next",
    "fmt",
]
JUNK = [
    "abc", "-1", "0", "9999-12-31", "0000-00-00", "1e309", "99999999999999999999",
    "'\"<script>", "%00", "\x00", "../../etc/passwd", "中文", "x" * 2000, "", " ",
]  # fmt: skip


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _fill(route: str, value: str) -> str:
    route = route.lstrip("^").rstrip("$")
    return "/" + re.sub(r"<(?:\w+:)?\w+>", value, route)


def public_routes():
    return sorted({r for r in _routes(get_resolver().url_patterns) if not r.startswith(PRIVATE)})


def test_the_public_routes_are_found():
    routes = public_routes()
    assert "normative/compile/" in routes and "search/" in routes and "foi/track/" in routes


@pytest.mark.django_db
def test_junk_never_gets_a_server_error(publish):
    document = publish()
    client = Client(raise_request_exception=False)
    failures = []
    for route in public_routes():
        paths = {_fill(route, v) for v in ("zzz", "1")}
        if "index_number" in route:
            paths.add(_fill(route, document.index_number))
        for path in sorted(paths):
            for i, junk in enumerate(JUNK):
                # Every parameter at once, then each alone (one bad value must not hide another).
                params = {name: junk for name in PARAMS}
                for query in (params, {PARAMS[i % len(PARAMS)]: junk}):
                    response = client.get(path, query)
                    if response.status_code >= 500:
                        failures.append(f"{path} {query} → {response.status_code}")
    assert failures == [], "\n".join(failures[:30])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "org=zzz&valid_on=abc&format=docx",
        "org=zzz&valid_on=2026-01-01&format=exe",
        "org=zzz&category=zzz&format=docx",
        "org=nonexist&format=docx",
        "org=zzz&valid_on=9999-12-31&format=docx",
    ],
)
def test_the_reported_compile_urls_are_client_errors(client, org, query):
    code = org("示范市教育局").code
    response = client.get("/normative/compile/?" + query.replace("zzz", code))
    assert 400 <= response.status_code < 500
    assert "charset" in response["Content-Type"]
