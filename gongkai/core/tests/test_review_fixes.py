"""Regressions for problems found in review: each test names the behaviour it pins down."""

import datetime as dt

import pytest

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent, CalendarDay
from gongkai.orgs import services as org_services
from gongkai.orgs.models import GroupAlias, Membership


@pytest.mark.django_db
def test_regional_rows_do_not_make_an_unloaded_year_final(org):
    """Local holidays for 2030 leave 2030 provisional until the national notice is loaded."""
    district = org("示范市东城区人民政府")
    CalendarDay.objects.create(
        date=dt.date(2030, 3, 5), kind="holiday", name="地方假日", region=district
    )
    result = workdays.add_working_days(dt.date(2030, 3, 4), 3, region=district)
    assert result.provisional and result.unloaded_years == (2030,)
    assert result.skipped[0].reason == "地方假日"


@pytest.mark.parametrize("bad", ["20200120", "2020-W04-1", "２０２０-01-20"])
def test_dates_must_be_yyyy_mm_dd(bad):
    with pytest.raises(ApplicationError):
        workdays.parse_date(bad)


@pytest.mark.parametrize("bad", ["1_0", "１０", "+5", "5.0"])
def test_days_must_be_plain_integers(bad):
    with pytest.raises(ApplicationError):
        workdays.parse_days(bad)


@pytest.mark.django_db
def test_deadline_past_the_range_is_named_as_such():
    with pytest.raises(ApplicationError) as exc:
        workdays.add_working_days(dt.date(2099, 12, 31), 1)
    assert "计算结果" in str(exc.value.message)


@pytest.mark.django_db
def test_negative_between_reads_sensibly():
    result = workdays.working_days_between(dt.date(2020, 2, 25), dt.date(2020, 1, 20))
    assert result.days == -20
    assert "第 -" not in result.explain()[0]


@pytest.mark.django_db
def test_over_long_calendar_names_exit_2(run_cli, tmp_path):
    f = tmp_path / "long.csv"
    f.write_text(
        "date,kind,name,source\n2031-01-01,holiday," + "元" * 80 + ",x\n", encoding="utf-8"
    )
    code, _, err = run_cli("calendar", "import", str(f))
    assert code == 2 and "过长" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["createadmin", "--username", "x" * 200, "--password", "Long-enough-pw-1"],
        ["createadmin", "--username", "bad user/中", "--password", "Long-enough-pw-1"],
        [
            "createadmin",
            "--username",
            "okname",
            "--email",
            "nope",
            "--password",
            "Long-enough-pw-1",
        ],
        ["serve", "--workers", "0"],
        ["serve", "--host", "not an address"],
        ["serve", "--port", "70000"],
        ["demo", "--no-serve", "--port", "0"],
    ],
)
def test_bad_command_arguments_exit_2(run_cli, args):
    code, _, err = run_cli(*args)
    assert code == 2, err


@pytest.mark.django_db
def test_createadmin_creates_a_root_administrator(run_cli):
    code, out, _ = run_cli(
        "createadmin", "--username", "root-admin", "--password", "Long-enough-pw-1"
    )
    assert code == 0 and "示范市人民政府" in out
    m = Membership.objects.get(user__username="root-admin")
    assert m.role == Membership.Role.ADMINISTRATOR and m.user.is_superuser


@pytest.mark.django_db
def test_group_alias_kinds_are_validated():
    with pytest.raises(ApplicationError):
        org_services.group_alias_save(
            actor=None, alias=GroupAlias(name="坏别名", kinds="department")
        )
    with pytest.raises(ApplicationError):
        org_services.group_alias_save(
            actor=None, alias=GroupAlias(name="坏别名2", kinds=["ministry"])
        )


@pytest.mark.django_db
def test_district_administrator_cannot_move_their_district_elsewhere(make_staff, org):
    admin = make_staff("示范市东城区人民政府", Membership.Role.ADMINISTRATOR)
    with pytest.raises(PermissionDeniedError):
        org_services.org_update(
            actor=admin, org=org("示范市东城区人民政府"), data={"parent": org("示范市民政局")}
        )
    with pytest.raises(PermissionDeniedError):
        org_services.org_update(
            actor=admin, org=org("东城区教育局"), data={"kind": "internal_unit"}
        )
    # Within their own region they may still edit master data.
    org_services.org_update(actor=admin, org=org("东城区教育局"), data={"sort_order": 9})


@pytest.mark.django_db
def test_admin_password_change_is_audited(client, make_staff):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.get(username="demo-admin")
    target = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    client.force_login(root)
    response = client.post(
        f"/admin/auth/user/{target.pk}/password/",
        {
            "password1": "An0ther-long-pass",
            "password2": "An0ther-long-pass",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="user.change_password", target_id=str(target.pk)).exists()


@pytest.mark.django_db
def test_api_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in html and "/static/ninja/" in html
