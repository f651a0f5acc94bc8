import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from gongkai.core.audit import verify_chain
from gongkai.core.exceptions import ApplicationError
from gongkai.core.models import AuditEvent, Sequence
from gongkai.foi import services
from gongkai.foi.models import ClockEvent, Request
from gongkai.foi.seed import resident_id
from gongkai.orgs.models import Org
from gongkai.orgs.services import org_create

N_SUBMISSIONS = 40
N_THREADS = 10


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_numbers():
    """40 public submissions from 10 threads at once: 40 requests, 40 consecutive numbers.

    Its own organisation, as an earlier transactional test may have emptied the database
    (and a restored snapshot does not keep the audit chain's microseconds)."""
    org_pk = org_create(
        actor=None, name="并发申请测试局", kind=Org.Kind.DEPARTMENT, code="416049713"
    ).pk
    year = services.today().year
    before = Sequence.objects.filter(name=f"foi:{year}").values_list("value", flat=True).first()
    before = before or 0
    rng = random.Random(40)
    ids: set[str] = set()
    while len(ids) < N_SUBMISSIONS:
        ids.add(resident_id(rng))
    id_numbers = sorted(ids)

    def submit(i):
        try:
            data = services.ApplicationInput(
                org=Org.objects.get(pk=org_pk),
                applicant_kind="natural_person",
                name=f"并发申请人{i}",
                id_type="resident_id",
                id_number=id_numbers[i],
                phone="13800138000",
                description=f"并发提交测试第{i}号：所需信息的名称",
                form="electronic",
            )
            receipt = services.request_submit(data=data, source_address=f"10.40.{i}.1")
            return receipt.request.number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=N_THREADS) as pool:
        numbers = list(pool.map(submit, range(N_SUBMISSIONS)))

    assert len(set(numbers)) == N_SUBMISSIONS
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(before + 1, before + N_SUBMISSIONS + 1))
    created = Request.objects.filter(number__in=numbers)
    assert created.count() == N_SUBMISSIONS
    assert ClockEvent.objects.filter(request__in=created, kind="received").count() == N_SUBMISSIONS
    assert all(r.due_date for r in created)
    registered = AuditEvent.objects.filter(
        verb="foi.request_register",
        target_id__in=[str(pk) for pk in created.values_list("pk", flat=True)],
    )
    assert registered.count() == N_SUBMISSIONS
    assert verify_chain().ok


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
def test_a_burst_from_one_address_stops_at_the_limit(settings):
    """12 simultaneous submissions from one address with a limit of 5: exactly 5 registered,
    7 refused with 429 — the check runs under the number lock, so it cannot race."""
    settings.GONGKAI_FOI_SUBMISSIONS_PER_HOUR = 5
    org_pk = org_create(
        actor=None, name="限流测试局", kind=Org.Kind.DEPARTMENT, code="41604893X"
    ).pk
    rng = random.Random(12)
    id_numbers = [resident_id(rng) for _ in range(12)]

    def submit(i):
        try:
            data = services.ApplicationInput(
                org=Org.objects.get(pk=org_pk),
                applicant_kind="natural_person",
                name=f"限流申请人{i}",
                id_type="resident_id",
                id_number=id_numbers[i],
                phone="13800138000",
                description=f"限流测试第{i}号：所需信息的名称",
                form="electronic",
            )
            services.request_submit(data=data, source_address="10.99.0.1")
            return 201
        except ApplicationError as exc:
            return exc.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(submit, range(12)))
    assert sorted(results) == [201] * 5 + [429] * 7
    assert Request.objects.filter(org_id=org_pk).count() == 5
