"""The demo register: six websites and accounts, one awaiting approval to close, one flagged
as not updated; loading it again adds nothing."""

import pytest

from gongkai.orgs.models import Membership, Org
from gongkai.sites import demo, selectors
from gongkai.sites.models import ChangeRequest, Entry
from gongkai.sites.workflow import RequestStatus

pytestmark = pytest.mark.django_db


def test_the_demo_register(make_staff):
    lines = demo.load()
    assert lines and "6 websites" in lines[0]
    assert demo.load() == []
    assert Entry.objects.count() == 6
    pending = ChangeRequest.objects.get(status=RequestStatus.SUBMITTED)
    assert pending.action == "close" and pending.entry.name == demo.CLOSING
    supervisor = make_staff("示范市人民政府", Membership.Role.SUPERVISOR)
    flagged = list(selectors.flagged(user=supervisor).values_list("name", flat=True))
    assert flagged == [demo.STALE]
    counts = selectors.flag_counts_by_org(None)
    assert counts[Org.objects.get(name="示范市民政局").pk]["flagged"] == 1
    portal = Entry.objects.get(served_by_gongkai=True)
    assert portal.org.name == "示范市教育局"
