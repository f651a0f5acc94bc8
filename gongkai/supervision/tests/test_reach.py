"""A plan assigns only within its supervising organisation's subtree (issue 14, finding 2).

The attack as found: a district supervisor imports the city's plan text for the district,
maps "市教育局" to the city education bureau and confirms; the city bureau (and dozens of
departments) would get tasks and the district could read their reports. The same with a
bureau's office head naming a district government."""

from pathlib import Path

import pytest

from gongkai.core.exceptions import ApplicationError
from gongkai.orgs.models import Membership
from gongkai.supervision import services
from gongkai.supervision.models import Assignment, Task
from gongkai.supervision.resolve import Resolver
from gongkai.supervision.workflow import PlanStatus

DEMO_PLAN = Path(__file__).resolve().parents[1] / "demo" / "shifan-2026-plan.txt"
DISTRICT = "示范市东城区人民政府"


def _import(actor, org):
    return services.plan_import(
        actor=actor, org=org, year=2026, file_name=DEMO_PLAN.name, data=DEMO_PLAN.read_bytes()
    )


def test_a_district_plan_cannot_reach_city_departments(make_staff, org):
    district = org(DISTRICT)
    supervisor = make_staff(DISTRICT, Membership.Role.SUPERVISOR)
    plan = _import(supervisor, district)

    # Resolution never offers an organisation outside the district.
    resolver = Resolver(district)
    assert all(o.path.startswith(district.path) for o in resolver.orgs)
    assert not resolver.resolve("市教育局").orgs

    # Mapping a name to the city's bureau by hand is refused.
    with pytest.raises(ApplicationError) as refused:
        services.plan_map_unit(
            actor=supervisor, plan=plan, name="市教育局", org_ids=[org("示范市教育局").pk]
        )
    assert refused.value.code == "org_out_of_region"

    # Confirming cannot assign outside: the unresolved names block it, nothing is assigned.
    with pytest.raises(ApplicationError):
        services.plan_confirm(actor=supervisor, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not Assignment.objects.filter(task__plan=plan).exists()


def test_a_bureau_plan_cannot_name_a_district_government(make_staff, org):
    bureau = org("示范市教育局")
    head = make_staff(bureau.name, Membership.Role.OFFICE_HEAD)
    plan = _import(head, bureau)
    with pytest.raises(ApplicationError) as refused:
        services.plan_map_unit(actor=head, plan=plan, name="东城区", org_ids=[org(DISTRICT).pk])
    assert refused.value.code == "org_out_of_region"
    assert not any(o.path.startswith(org(DISTRICT).path) for o in Resolver(bureau).orgs)


def test_a_district_supervisor_cannot_import_for_the_city(make_staff, org):
    from gongkai.core.exceptions import PermissionDeniedError

    supervisor = make_staff(DISTRICT, Membership.Role.SUPERVISOR)
    with pytest.raises(PermissionDeniedError):
        _import(supervisor, org("示范市人民政府"))


def test_confirm_refuses_an_assignment_outside_even_if_the_map_holds_one(make_staff, org):
    """A unit map written before this check (or by hand in the database) is caught at confirm."""
    district = org(DISTRICT)
    supervisor = make_staff(DISTRICT, Membership.Role.SUPERVISOR)
    plan = _import(supervisor, district)
    from gongkai.supervision.models import WorkPlan

    names = {n for t in Task.objects.filter(plan=plan) for n in t.lead_names + t.responsible_names}
    outside = org("示范市教育局")
    WorkPlan.objects.filter(pk=plan.pk).update(unit_map={n: [outside.pk] for n in names})
    plan.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.plan_confirm(actor=supervisor, plan=plan)
    assert not Assignment.objects.filter(task__plan=plan).exists()
