import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "gongkai", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gongkai"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo region once into the test database; each test then runs in a rollback."""
    from django.conf import settings

    # Argon2 is the production hasher (see test_settings); tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from gongkai.orgs.demo import load_demo_region

    with django_db_blocker.unblock():
        load_demo_region()
        from django.db import connection

        # What `demo_data` puts back after a transactional test has emptied the database:
        # the migrations' data (calendar, categories) and the demo region.
        SNAPSHOT["default"] = connection.creation.serialize_db_to_string()


SNAPSHOT: dict[str, str] = {}


@pytest.fixture
def demo_data(transactional_db):
    """For transactional tests (live server): the session's data, restored if a flush took it."""
    from django.db import connection

    from gongkai.orgs.models import Org

    if not Org.objects.exists():
        from django.core.management import call_command

        # As Django's serialized_rollback does: empty without re-creating content types and
        # permissions, whose rows are in the snapshot.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        # The full-text table is not a Django model: flush leaves its rows, which would collide
        # with documents whose ids start again from 1 once the sequences are reset below.
        from gongkai.search.backends import get_backend

        get_backend().clear()
        connection.creation.deserialize_db_from_string(SNAPSHOT["default"])
        from django.apps import apps
        from django.core.management.color import no_style

        # The rows came back with their ids; PostgreSQL's sequences must move past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


def pytest_collection_modifyitems(config, items):
    # Transactional tests (the browser tests' live server, concurrency tests) empty the
    # database when they finish: run them last. Browser tests come first among them and use
    # the `demo_data` fixture, which restores the session's data when a flush took it.
    def order(item):
        if item.get_closest_marker("e2e"):
            return 1
        return 2 if item.get_closest_marker("transactional") else 0

    items.sort(key=order)


@pytest.fixture(autouse=True)
def _official_language():
    """A test that switches to English must not leave it on for the next one."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def org(db):
    from gongkai.orgs.models import Org

    return lambda name: Org.objects.get(name=name)


@pytest.fixture
def make_staff(db):
    """Create a staff user holding `role` in the organisation named `org_name`."""
    from gongkai.orgs.models import Org
    from gongkai.orgs.services import membership_grant, staff_user_create

    counter = iter(range(10_000))

    def make(org_name: str, role: str, *, username: str | None = None):
        user = staff_user_create(
            actor=None, username=username or f"staff{next(counter)}", password="x", validate=False
        )
        membership_grant(actor=None, user=user, org=Org.objects.get(name=org_name), role=role)
        return user

    return make


@pytest.fixture
def run_cli(db, capsys, monkeypatch):
    """Run the `gongkai` console command in-process; return (exit status, stdout, stderr).

    Django closes every connection after a command run from the command line, which would
    end the test's transaction on PostgreSQL; keep it open.
    """
    from django.db import connections

    from gongkai.cli import main

    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args):
        try:
            main(["gongkai", *args])
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def publish(make_staff, org):
    """publish(org_name, title, **fields) → a document taken through the real workflow."""
    from gongkai.documents import services
    from gongkai.orgs.models import Membership

    staff = {}

    def make(org_name="示范市教育局", title="关于做好有关工作的通知", **fields):
        if org_name not in staff:
            staff[org_name] = (
                make_staff(org_name, Membership.Role.PUBLISHER),
                make_staff(org_name, Membership.Role.REVIEWER),
            )
        pub, rev = staff[org_name]
        data = {"title": title, "date_signed": dt.date(2026, 3, 2), "attribute": "proactive"}
        doc = services.document_create(actor=pub, org=org(org_name), data=data | fields)
        for actor, action in ((pub, "submit"), (rev, "approve"), (pub, "publish")):
            doc = services.document_transition(actor=actor, document=doc, action=action)
        return doc

    make.staff = staff
    return make


CHROMIUM = "/usr/bin/chromium"
# Screenshots the browser tests leave for a human to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def login(page, base: str, username: str, password: str | None = None) -> None:
    """Browser tests: sign `username` in to the workbench (the demo password by default)."""
    from gongkai.orgs.demo import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(base + "/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/workbench/")


def captcha_answer(page) -> str:
    """Browser tests: the answer to the CAPTCHA on the page, read from its store."""
    from captcha.models import CaptchaStore

    key = page.locator('input[name="captcha_0"]').get_attribute("value")
    return CaptchaStore.objects.get(hashkey=key).response


@pytest.fixture(scope="session")
def browser():
    """One Debian chromium for every browser test, driven by Playwright (never downloaded)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(
                "chromium is not installed: CI must run the browser tests (make system-deps)"
            )
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are
    # still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
