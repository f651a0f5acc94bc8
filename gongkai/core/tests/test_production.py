"""Production settings (issue 14, finding 6): HTTPS, no-store, idle sessions, HEAD."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    env = {
        **os.environ,
        "GONGKAI_VAR_DIR": str(tmp_path),
        "GONGKAI_HTTPS": "1",
        "ALLOWED_HOSTS": "gongkai.example.gov.cn",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings",
    }
    env.pop("GONGKAI_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_staff_pages_are_never_stored_and_sessions_end_when_idle(client, settings):
    user = get_user_model().objects.get(username="demo-head")
    client.force_login(user)
    response = client.get("/workbench/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    public = client.get("/")
    assert "no-store" not in public.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/search/", "/normative/", "/orgs/", "/foi/apply/"])
def test_head_is_answered(client, path):
    assert client.head(path).status_code == 200


@pytest.mark.django_db
def test_activity_moves_the_session_end_on(client, monkeypatch):
    import time

    from django.contrib.sessions.models import Session

    client.force_login(get_user_model().objects.get(username="demo-head"))
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    later = time.time() + 2 * 3600  # two hours on, still active
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get("/workbench/")
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    assert Session.objects.get(session_key=key).expire_date > first
