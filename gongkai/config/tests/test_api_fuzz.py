"""Schemathesis over the whole API: generated requests, valid and not, never get a 5xx
(issue 14, finding 4). Bounded (25 examples an operation) so that it runs in every CI run.

The operations are walked by hand with Hypothesis rather than through schemathesis' pytest
plugin, which does not load under this pytest version."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 25


@pytest.fixture
def keep_connection():
    """As Django's test client does: the request must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_request_gets_a_server_error(keep_connection):
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query} {case.body!r:.200}"
                    f" → {response.status_code}"
                )

        check()
    assert failures == [], "\n".join(failures[:20])


@pytest.mark.django_db
def test_a_nul_character_is_a_client_error(client):
    """Found by the fuzzer on PostgreSQL, which cannot store NUL: a 500 before."""
    response = client.post(
        "/api/v1/foi/requests", '{"org": "\\u0000x"}', content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_characters"
    assert client.get("/search/?q=a%00b").status_code == 400
