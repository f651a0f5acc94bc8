import pytest

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.orgs import permissions, selectors, services
from gongkai.orgs.models import GroupAlias, Membership, Org
from gongkai.orgs.validators import is_valid_org_code, org_code_check_char, uscc_check_char

Role = Membership.Role
EDU, CIVIL = "示范市教育局", "示范市民政局"


def test_org_code_check_characters():
    """GB 11714 (9 characters) and GB 32100 (18 characters) check characters are verified."""
    assert is_valid_org_code("41604893X")  # the example index number in RULES §5
    assert not is_valid_org_code("416048930")
    body = "91350100M000100Y4"
    assert is_valid_org_code(body + uscc_check_char(body))
    assert not is_valid_org_code(body + ("0" if uscc_check_char(body) != "0" else "1"))
    assert not is_valid_org_code("12345")
    assert org_code_check_char("11520001") in "0123456789X"


@pytest.mark.django_db
def test_demo_region_shape():
    """About 40 city departments, 6 districts/counties, 30 townships, with valid unique codes."""
    root = Org.objects.get(parent=None)
    assert root.name == "示范市人民政府"
    assert Org.objects.filter(parent=root, kind=Org.Kind.DEPARTMENT).count() == 40
    assert Org.objects.filter(kind=Org.Kind.DISTRICT).count() == 6
    assert Org.objects.filter(kind=Org.Kind.TOWNSHIP).count() == 30
    assert all(is_valid_org_code(code) for code in Org.objects.values_list("code", flat=True))
    for org in Org.objects.all():
        assert org.path.endswith(f"/{org.pk}/")
        if org.parent_id:
            assert org.path.startswith(org.parent.path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("市政府各部门", 40),
        ("各区县〔市〕政府", 6),
        ("各镇人民政府(街道办事处)", 30),
        ("各开发区管委会", 2),
        ("各区县（市）政府各部门", 48),
    ],
)
def test_group_aliases_resolve(name, count):
    """Work-plan group names resolve to organisations, whatever brackets the plan used."""
    alias = selectors.group_alias_lookup(name)
    assert alias is not None
    assert selectors.group_alias_resolve(alias).count() == count


@pytest.mark.django_db
def test_alias_excludes_inactive_orgs(org):
    alias = GroupAlias.objects.get(name="各区县（市）政府")
    services.org_update(actor=None, org=org("云岭市人民政府"), data={"is_active": False})
    assert selectors.group_alias_resolve(alias).count() == 5


# --- the permission matrix: one department's staff can see and change nothing of another ---


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r not in Membership.REGION_ROLES])
@pytest.mark.parametrize("action", list(permissions.ACTIONS))
def test_department_staff_never_reach_another_department(make_staff, org, role, action):
    user = make_staff(EDU, role)
    for other in [
        CIVIL,
        "示范市民政局办公室",
        "示范市人民政府",
        "示范市东城区人民政府",
        "东城区教育局",
    ]:
        assert not permissions.can(user, action, org(other)), (role, action, other)
    own = permissions.can(user, action, org(EDU))
    assert own == (role in permissions.ACTIONS[action])
    # Their own internal units are theirs too.
    assert permissions.can(user, action, org("示范市教育局政策法规科")) == own


@pytest.mark.django_db
def test_supervisor_reach_is_the_region(make_staff, org):
    city = make_staff("示范市人民政府", Role.SUPERVISOR)
    district = make_staff("示范市东城区人民政府", Role.SUPERVISOR)
    for name in [EDU, "东城区教育局", "东城区新华街道办事处", "云岭市凤凰乡人民政府"]:
        assert permissions.can(city, "view_audit", org(name))
        assert not permissions.can(city, "change_profile", org(name))
    assert permissions.can(district, "view_audit", org("东城区新华街道办事处"))
    assert not permissions.can(district, "view_audit", org("西城区西关街道办事处"))
    assert not permissions.can(district, "view_audit", org("示范市人民政府"))


@pytest.mark.django_db
def test_government_publisher_does_not_reach_its_departments(make_staff, org):
    user = make_staff("示范市人民政府", Role.PUBLISHER)
    assert permissions.can(user, "change_profile", org("示范市人民政府"))
    assert not permissions.can(user, "change_profile", org(EDU))
    assert user.has_perm("orgs.change_profile", org("示范市人民政府"))
    assert not user.has_perm("orgs.change_profile", org(EDU))


@pytest.mark.django_db
def test_profile_update_checks_permission_and_audits(make_staff, org):
    user = make_staff(EDU, Role.PUBLISHER)
    with pytest.raises(PermissionDeniedError):
        services.org_update_profile(actor=user, org=org(CIVIL), data={"phone": "110"})
    assert org(CIVIL).phone != "110"
    before = AuditEvent.objects.count()
    services.org_update_profile(actor=user, org=org(EDU), data={"phone": "0371-12345678"})
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.verb == "org.update_profile"
    assert event.actor == user
    assert event.org == org(EDU)
    assert event.data["changes"]["phone"][1] == "0371-12345678"


@pytest.mark.django_db
def test_invalid_profile_data_is_refused_and_nothing_saved(make_staff, org):
    user = make_staff(EDU, Role.PUBLISHER)
    old = org(EDU).email
    with pytest.raises(ApplicationError):
        services.org_update_profile(actor=user, org=org(EDU), data={"email": "not-an-email"})
    with pytest.raises(ApplicationError):
        services.org_update_profile(actor=user, org=org(EDU), data={"code": "41604893X"})
    assert org(EDU).email == old


@pytest.mark.django_db
def test_moving_an_org_repaths_its_subtree(org):
    unit = org("示范市教育局基础教育科")
    services.org_update(actor=None, org=org(EDU), data={"parent": org("示范市东城区人民政府")})
    moved = org(EDU)
    assert moved.path.startswith(org("示范市东城区人民政府").path)
    assert Org.objects.get(pk=unit.pk).path.startswith(moved.path)
    with pytest.raises(ApplicationError):
        services.org_update(actor=None, org=org("示范市东城区人民政府"), data={"parent": moved})


@pytest.mark.django_db
def test_guide_update(make_staff, org):
    user = make_staff(CIVIL, Role.OFFICE_HEAD)
    guide = services.guide_update(
        actor=user, org=org(CIVIL), data={"office_phone": "0371-88886666"}
    )
    assert guide.office_phone == "0371-88886666"
    with pytest.raises(PermissionDeniedError):
        services.guide_update(actor=user, org=org(EDU), data={"office_phone": "1"})


@pytest.mark.django_db
def test_reach_is_computed_in_constant_queries(make_staff, django_assert_num_queries):
    user = make_staff(EDU, Role.PUBLISHER)
    permissions.forget(user)
    with django_assert_num_queries(2):
        permissions.org_ids_for(user, "change_profile")
        permissions.org_ids_for(user, "view_internal")
