import pytest
from django.conf import settings

from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership

Role = Membership.Role


def test_production_hasher_is_argon2():
    from gongkai.config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AXES_FAILURE_LIMIT == 5


@pytest.mark.django_db
def test_login_and_home_lists_memberships(client, make_staff, django_assert_max_num_queries):
    make_staff("示范市教育局", Role.PUBLISHER, username="alice")
    response = client.post("/workbench/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 302
    # The home page counts the user's pending work: one query per section it offers.
    with django_assert_max_num_queries(20):
        html = client.get("/workbench/").content.decode()
    assert "示范市教育局" in html and "信息发布员" in html


@pytest.mark.django_db
def test_failed_logins_are_throttled(client, make_staff):
    make_staff("示范市教育局", Role.PUBLISHER, username="bob")
    login = {"username": "bob", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/workbench/login/", login).status_code == 200
    # The failure that reaches the limit locks; then even the right password is refused.
    assert client.post("/workbench/login/", login).status_code == 429
    locked = client.post("/workbench/login/", {"username": "bob", "password": "x"})
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_edit_own_profile_but_not_another_departments(client, make_staff, org):
    user = make_staff("示范市教育局", Role.PUBLISHER)
    client.force_login(user)
    edu, civil = org("示范市教育局"), org("示范市民政局")
    assert client.get(f"/workbench/orgs/{civil.code}/profile/").status_code == 404
    response = client.post(f"/workbench/orgs/{civil.code}/profile/", {"phone": "110"})
    assert response.status_code == 404
    assert org("示范市民政局").phone == civil.phone
    assert (
        client.post(f"/workbench/orgs/{civil.code}/guide/", {"office_phone": "110"}).status_code
        == 404
    )

    form = client.get(f"/workbench/orgs/{edu.code}/profile/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["phone"] = "0371-66668888"
    response = client.post(f"/workbench/orgs/{edu.code}/profile/", data)
    assert response.status_code == 302
    assert org("示范市教育局").phone == "0371-66668888"
    assert AuditEvent.objects.filter(verb="org.update_profile", actor=user).count() == 1


@pytest.mark.django_db
def test_invalid_form_is_a_400_with_message(client, make_staff, org):
    user = make_staff("示范市教育局", Role.PUBLISHER)
    client.force_login(user)
    edu = org("示范市教育局")
    response = client.post(f"/workbench/orgs/{edu.code}/profile/", {"email": "nope"})
    assert response.status_code == 400
    assert org("示范市教育局").email == edu.email


@pytest.mark.django_db
def test_guide_edit_shows_on_portal(client, make_staff, org):
    user = make_staff("示范市民政局", Role.OFFICE_HEAD)
    client.force_login(user)
    civil = org("示范市民政局")
    response = client.post(
        f"/workbench/orgs/{civil.code}/guide/", {"office_name": "示范市民政局办公室（政务公开）"}
    )
    assert response.status_code == 302
    assert (
        "示范市民政局办公室（政务公开）"
        in client.get(f"/orgs/{civil.code}/guide/").content.decode()
    )


@pytest.mark.django_db
def test_audit_log_is_scoped_and_constant_in_queries(
    client, make_staff, org, django_assert_max_num_queries
):
    head = make_staff("示范市教育局", Role.OFFICE_HEAD)
    other = make_staff("示范市民政局", Role.OFFICE_HEAD)
    from gongkai.orgs import services

    services.org_update_profile(actor=other, org=org("示范市民政局"), data={"phone": "0371-1"})
    services.org_update_profile(actor=head, org=org("示范市教育局"), data={"phone": "0371-2"})
    client.force_login(head)
    with django_assert_max_num_queries(8):
        response = client.get("/workbench/audit/")
    events = list(response.context["page"])
    reach = {o.pk for o in org("示范市教育局").descendants()}
    assert any(e.verb == "org.update_profile" and e.actor == head for e in events)
    assert events and all(e.org_id in reach for e in events)
    assert not any(e.org_id == org("示范市民政局").pk for e in events)


@pytest.mark.django_db
def test_workbench_requires_login(client):
    response = client.get("/workbench/")
    assert response.status_code == 302 and "/workbench/login/" in response["Location"]
