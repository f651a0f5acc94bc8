"""The register's two state machines walked by the kernel's own table test (every
transition: who may, who may not, from which states), with the makers proposed for
core/tests/test_workflow.py."""

import itertools

import pytest

from gongkai.core.tests import test_workflow as kernel
from gongkai.sites.workflow import CHANGE_REQUEST, ENTRY

pytestmark = pytest.mark.django_db
numbers = itertools.count(1)


def _site_entry(org, status):
    from gongkai.sites.models import Entry

    return Entry.objects.create(
        org=org,
        kind="website",
        name=f"示范网站{next(numbers)}",
        address="https://www.example.gov.cn/",
        status=status,
    )


def _site_request(org, status):
    from gongkai.sites.models import ChangeRequest

    return ChangeRequest.objects.create(org=org, action="close", reason="整合", status=status)


MAKERS = {"sites.entry": _site_entry, "sites.request": _site_request}
CASES = [(w.name, t.name) for w in (CHANGE_REQUEST, ENTRY) for t in w]


@pytest.mark.parametrize(("table", "action"), CASES)
def test_transition(table, action, make_staff, org, monkeypatch):
    monkeypatch.setitem(kernel.MAKERS, table, MAKERS[table])
    staff = kernel.staff.__wrapped__(make_staff)
    kernel.test_transition(table, action, staff, org)
