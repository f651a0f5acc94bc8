import datetime as dt

import pytest

from gongkai.documents import services
from gongkai.orgs.models import Membership


@pytest.fixture
def publish(make_staff, org):
    """publish(org_name, title, **fields) → a document taken through the real workflow."""
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
