import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from gongkai.documents import services
from gongkai.documents.models import Document
from gongkai.documents.workflow import Status
from gongkai.orgs.models import Membership, Org
from gongkai.orgs.services import membership_grant, org_create, staff_user_create

N_DOCUMENTS = 200
N_THREADS = 40


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_get_distinct_consecutive_serials():
    """200 publications from 40 threads at once: 200 distinct index numbers, serials 1..200."""
    org = org_create(actor=None, name="并发测试局", kind=Org.Kind.DEPARTMENT, code="41604893X")
    publisher = staff_user_create(actor=None, username="conc-pub", password="x", validate=False)
    reviewer = staff_user_create(actor=None, username="conc-rev", password="x", validate=False)
    membership_grant(actor=None, user=publisher, org=org, role=Membership.Role.PUBLISHER)
    membership_grant(actor=None, user=reviewer, org=org, role=Membership.Role.REVIEWER)
    ids = []
    for i in range(N_DOCUMENTS):
        doc = services.document_create(
            actor=publisher,
            org=org,
            data={
                "title": f"并发发布测试{i}",
                "date_signed": dt.date(2026, 1, 5),
                "attribute": Document.Attribute.PROACTIVE,
            },
        )
        doc = services.document_transition(actor=publisher, document=doc, action="submit")
        services.document_transition(actor=reviewer, document=doc, action="approve")
        ids.append(doc.pk)

    def publish(pk):
        try:
            user = type(publisher).objects.get(pk=publisher.pk)
            return services.document_transition(
                actor=user, document=Document.objects.get(pk=pk), action="publish"
            ).index_number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=N_THREADS) as pool:
        numbers = list(pool.map(publish, ids))

    assert len(set(numbers)) == N_DOCUMENTS
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, N_DOCUMENTS + 1))
    assert Document.objects.filter(status=Status.PUBLISHED).count() == N_DOCUMENTS
    from gongkai.core.audit import verify_chain

    assert verify_chain().ok
