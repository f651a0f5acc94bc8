"""The review screen of an imported work plan (issue 19): the order of its tasks by confidence,
and who may check tasks or create internal units — the plan's supervisors only, by POST with
a CSRF token, on a draft only, with a constant number of queries."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership, Org
from gongkai.supervision import selectors, services
from gongkai.supervision.models import Task

FORMATS = Path(__file__).resolve().parent / "formats"
BUREAU = "示范市教育局"


@pytest.fixture
def reviewer(make_staff):
    return make_staff(BUREAU, Membership.Role.SUPERVISOR)


@pytest.fixture
def plan(reviewer, org):
    return services.plan_import(
        actor=reviewer,
        org=org(BUREAU),
        year=2026,
        file_name="plan-table.docx",
        data=(FORMATS / "plan-table.docx").read_bytes(),
    )


def numbers(review) -> list[str]:
    return [r.task.number for r in review.tasks]


def test_review_lists_unchecked_tasks_low_then_medium_then_high_in_plan_order(plan, reviewer):
    """Task 4 names a unit not yet known (low); 1–3 name internal units matched as such
    (medium); 5 names the issuer itself (high). A checked task goes behind the unchecked."""
    review = selectors.plan_review(plan=plan)
    assert [(r.task.number, r.confidence) for r in review.tasks] == [
        ("4", "low"),
        ("1", "medium"),
        ("2", "medium"),
        ("3", "medium"),
        ("5", "high"),
    ]
    assert review.counts == {"low": 1, "medium": 3, "high": 1} and review.total == 5
    services.task_check(actor=reviewer, task=plan.tasks.get(number="4"))
    services.task_check(actor=reviewer, task=plan.tasks.get(number="1"))
    # The checked ones keep their own order by confidence, behind the rest.
    assert numbers(selectors.plan_review(plan=plan)) == ["2", "3", "5", "4", "1"]
    only = selectors.plan_review(plan=plan, confidence="medium")
    assert numbers(only) == ["2", "3", "1"] and only.total == 5
    assert selectors.plan_review(plan=plan, confidence="bogus").confidence == ""
    # Taking a check back is recorded too; checking twice records nothing more.
    services.task_check(actor=reviewer, task=plan.tasks.get(number="1"))
    services.task_check(actor=reviewer, task=plan.tasks.get(number="1"), checked=False)
    events = AuditEvent.objects.filter(verb="workplan.task_check").order_by("id")
    assert [e.data["checked"] for e in events] == [True, True, False]


def test_another_organisations_staff_cannot_see_check_or_create_units(
    client, plan, make_staff, org
):
    """A supervisor of another bureau gets 403/404 on the review screen and on both new
    POSTs, and the services refuse it: no organisation, no check, no event."""
    strangers = (
        make_staff("示范市财政局", Membership.Role.SUPERVISOR),
        make_staff("东城区新华街道办事处", Membership.Role.PUBLISHER),
    )
    before = Org.objects.count()
    events = AuditEvent.objects.count()
    task = plan.tasks.get(number="4")
    for user in strangers:
        client.force_login(user)
        assert client.get(reverse("workbench:plan_review", args=[plan.pk])).status_code in (
            403,
            404,
        )
        response = client.post(
            reverse("workbench:plan_internal_unit", args=[plan.pk]), {"name": "政务公开股"}
        )
        assert response.status_code in (403, 404)
        response = client.post(reverse("workbench:task_check", args=[task.pk]))
        assert response.status_code in (403, 404)
        with pytest.raises(PermissionDeniedError):
            services.plan_create_internal_unit(actor=user, plan=plan, name="政务公开股")
        with pytest.raises(PermissionDeniedError):
            services.task_check(actor=user, task=task)
    assert Org.objects.count() == before
    assert not Task.objects.filter(plan=plan, checked=True).exists()
    assert AuditEvent.objects.count() == events


def test_new_posts_need_the_csrf_token_and_post(plan, reviewer):
    """Without the page's CSRF token the POSTs are refused (403); GET is not allowed (405)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    task = plan.tasks.get(number="4")
    check = reverse("workbench:task_check", args=[task.pk])
    create = reverse("workbench:plan_internal_unit", args=[plan.pk])
    assert client.post(check).status_code == 403
    assert client.post(create, {"name": "政务公开股"}).status_code == 403
    assert client.get(check).status_code == 405
    assert client.get(create).status_code == 405
    page = client.get(reverse("workbench:plan_review", args=[plan.pk]))
    token = page.context["csrf_token"]
    assert client.post(check, {"csrfmiddlewaretoken": str(token)}).status_code == 302
    task.refresh_from_db()
    assert task.checked


def test_a_confirmed_plan_takes_no_check_and_no_new_internal_unit(plan, reviewer, org):
    """Once confirmed (the missing unit kept as text), the plan is no longer reviewed."""
    services.plan_map_unit(actor=reviewer, plan=plan, name="政务公开股", org_ids=[])
    services.plan_confirm(actor=reviewer, plan=plan)
    with pytest.raises(ApplicationError) as refused:
        services.task_check(actor=reviewer, task=plan.tasks.get(number="1"))
    assert refused.value.code == "plan_not_draft"
    plan.unit_map = {}  # the name unresolved again: only the plan's status can refuse it
    plan.save(update_fields=["unit_map"])
    with pytest.raises(ApplicationError) as refused:
        services.plan_create_internal_unit(actor=reviewer, plan=plan, name="政务公开股")
    assert refused.value.code == "plan_not_draft"
    assert not Org.objects.filter(name="示范市教育局政务公开股").exists()


def test_draft_review_screen_has_a_constant_number_of_queries(
    client, plan, reviewer, org, django_assert_max_num_queries
):
    """Twice the tasks (and units), the same queries."""
    client.force_login(reviewer)
    url = reverse("workbench:plan_review", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    queries = len(captured.captured_queries)  # now: the log is a bounded deque
    flat = (FORMATS / "plan-flat.txt").read_text()
    body, signature = flat.rsplit("示范市教育局办公室", 1)
    more = "".join(
        f"{n}\n做好第{n}项公开工作，按时更新专栏内容。\n{unit}\n2026年12月底前\n"
        for n, unit in zip(
            range(6, 11), ["办公室", "政策法规科", "基础教育科", "本局", "办公室"], strict=True
        )
    )
    bigger = services.plan_import(
        actor=reviewer,
        org=org(BUREAU),
        year=2026,
        file_name="plan-more.txt",
        data=(body + more + "示范市教育局办公室" + signature).encode(),
    )
    assert bigger.tasks.count() == 10
    url = reverse("workbench:plan_review", args=[bigger.pk])
    client.get(url)
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


def test_internal_unit_already_there_but_inactive_is_not_created_twice(plan, reviewer, org):
    """A deactivated 示范市教育局政务公开股 does not resolve the name, and is not duplicated:
    the reviewer is told to map the name to it."""
    first = services.plan_create_internal_unit(actor=reviewer, plan=plan, name="政务公开股")
    assert first.code.startswith("NB") and len(first.code) == 9
    Org.objects.filter(pk=first.pk).update(is_active=False)
    with pytest.raises(ApplicationError) as refused:
        services.plan_create_internal_unit(actor=reviewer, plan=plan, name="政务公开股")
    assert refused.value.code == "org_exists"
    assert Org.objects.filter(name="示范市教育局政务公开股").count() == 1
