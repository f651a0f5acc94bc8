"""Adaptation and review of catalogs: reasons, permissions across regions, supersede."""

from __future__ import annotations

import pytest

from gongkai.catalogs import selectors, services
from gongkai.catalogs.models import Catalog, Item
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent

from .helpers import CITY, EAST, OP, WEST, approved_city_catalog, area, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_staff):
    return {
        "east_pub": make_staff(EAST, "publisher"),
        "east_sup": make_staff(EAST, "supervisor"),
        "west_sup": make_staff(WEST, "supervisor"),
        "city_sup": make_staff(CITY, "supervisor"),
    }


def _edit(item, **changes):
    data = {k: getattr(item, k) for k in services.TEXT_FIELDS} | {"number": item.number}
    return data | changes


def test_adaptation_copies_marks_and_needs_reasons(people):
    """A district's draft copies the city's approved items as kept; rewording, removing and
    adding each need a reason; the review shows exactly those differences."""
    city = approved_city_catalog()
    pub = people["east_pub"]
    draft = services.catalog_adapt(actor=pub, org=org(EAST), area=area("义务教育"))
    assert draft.base_id == city.pk and draft.version == 1
    items = list(draft.items.order_by("sort_order"))
    assert [i.change for i in items] == ["kept"] * 3
    assert all(i.origin_id for i in items)

    with pytest.raises(ApplicationError) as exc:
        services.item_update(actor=pub, item=items[2], data=_edit(items[2], elements="学区图"))
    assert exc.value.code == "reason_required"
    items[2].refresh_from_db()
    assert items[2].elements == "招生范围、学区划分" and items[2].change == "kept"
    services.item_update(actor=pub, item=items[2], data=_edit(items[2], elements="学区图"),
                         reason="细化")  # fmt: skip
    with pytest.raises(ApplicationError):
        services.item_remove(actor=pub, item=items[0], reason="")
    services.item_remove(actor=pub, item=items[0], reason="由市里公开")
    with pytest.raises(ApplicationError):
        services.item_add(actor=pub, catalog=draft, data={"level1": "课后服务"})
    services.item_add(actor=pub, catalog=draft, data={"level1": "课后服务"}, reason="群众关注")

    assert Item.objects.filter(catalog=draft).count() == 4  # the removed row is kept
    diffs = selectors.differences(draft)
    assert [(d.change, str(d.item)) for d in diffs] == [
        ("removed", "政策文件 / 规范性文件"),
        ("reworded", "招生管理 / 招生范围"),
        ("added", "课后服务"),
    ]
    assert diffs[1].fields == [("公开内容（要素）", "招生范围、学区划分", "学区图")]
    assert [i.level1 for i in selectors.public_items(draft)] == ["招生管理", "招生管理", "课后服务"]

    # Setting the text back makes it kept again, and the reason goes.
    item = Item.objects.get(pk=items[2].pk)
    services.item_update(actor=pub, item=item, data=_edit(item, elements="招生范围、学区划分"))
    item.refresh_from_db()
    assert (item.change, item.change_reason) == ("kept", "")


def test_review_is_by_the_supervisor_above_and_approval_supersedes(people):
    """Only the city's supervisor reviews 东城区's catalog: not 东城区's own supervisor, not
    西城区's. Returning needs a reason; approving a new version supersedes the old one."""
    approved_city_catalog()
    pub = people["east_pub"]
    draft = services.catalog_adapt(actor=pub, org=org(EAST), area=area("义务教育"))
    draft = services.catalog_submit(actor=pub, catalog=draft, note="对照市级目录调整")
    for outsider in (people["east_sup"], people["west_sup"], pub):
        with pytest.raises(PermissionDeniedError):
            services.catalog_approve(actor=outsider, catalog=draft)
    assert services.actions_for(draft, people["east_sup"]) == []
    assert services.actions_for(Catalog.objects.get(pk=draft.pk), people["city_sup"]) == [
        "approve", "return"]  # fmt: skip
    with pytest.raises(ApplicationError) as exc:
        services.catalog_return(actor=people["city_sup"], catalog=draft, reason=" ")
    assert exc.value.code == "reason_required"
    returned = services.catalog_return(actor=people["city_sup"], catalog=draft, reason="请细化")
    assert returned.status == "returned" and returned.review_note == "请细化"
    services.catalog_submit(actor=pub, catalog=returned)
    v1 = services.catalog_approve(actor=people["city_sup"], catalog=returned)
    assert v1.status == "approved" and v1.decided_by == people["city_sup"]

    v2 = services.catalog_new_version(actor=pub, catalog=v1)
    assert (v2.version, v2.status, v2.base_id) == (2, "draft", v1.base_id)
    assert v2.items.count() == v1.items.count()
    with pytest.raises(ApplicationError):
        services.catalog_new_version(actor=pub, catalog=v1)  # a draft exists already
    services.catalog_submit(actor=pub, catalog=v2)
    services.catalog_approve(actor=people["city_sup"], catalog=v2)
    v1.refresh_from_db()
    assert v1.status == "superseded"
    assert (
        Catalog.objects.filter(org=org(EAST), area=area("义务教育"), status="approved").get().pk
        == v2.pk
    )
    verbs = set(AuditEvent.objects.filter(target_id__in=[str(v1.pk), str(v2.pk)],
                                          target_type="catalogs.catalog")
                .values_list("verb", flat=True))  # fmt: skip
    assert {"catalogs.catalog.adapt", "catalogs.catalog.submit", "catalogs.catalog.return",
            "catalogs.catalog.approve", "catalogs.catalog.supersede",
            "catalogs.catalog.new_version"} <= verbs  # fmt: skip


def test_submit_refuses_an_empty_catalog(people):
    pub = people["east_pub"]
    empty = services.catalog_create(actor=pub, org=org(EAST), area=area("社会救助"))
    with pytest.raises(ApplicationError) as exc:
        services.catalog_submit(actor=pub, catalog=empty)
    assert exc.value.code == "empty"
    assert Catalog.objects.get(pk=empty.pk).status == "draft"


def test_nothing_editable_once_submitted(people):
    approved_city_catalog()
    pub = people["east_pub"]
    draft = services.catalog_adapt(actor=pub, org=org(EAST), area=area("义务教育"))
    services.catalog_submit(actor=pub, catalog=draft)
    item = draft.items.first()
    with pytest.raises(ApplicationError) as exc:
        services.item_update(actor=pub, item=item, data=_edit(item, level2="x"), reason="r")
    assert exc.value.code == "not_editable"


def test_adapt_needs_a_base_and_permission(people):
    with pytest.raises(ApplicationError) as exc:
        services.catalog_adapt(actor=people["east_pub"], org=org(EAST), area=area("义务教育"))
    assert exc.value.code == "no_base"
    approved_city_catalog()
    with pytest.raises(PermissionDeniedError):
        services.catalog_adapt(actor=people["west_sup"], org=org(EAST), area=area("义务教育"))


def test_township_adapts_the_nearest_approved_ancestor(people):
    """A township under 东城区 adapts 东城区's approved catalog, not the city's."""
    approved_city_catalog()
    district = services.catalog_adapt(actor=OP, org=org(EAST), area=area("义务教育"))
    services.catalog_submit(actor=OP, catalog=district)
    district = services.catalog_approve(actor=OP, catalog=district)
    township = org(EAST).children.filter(kind="township").first()
    assert services.base_for(township, area("义务教育")).pk == district.pk
    draft = services.catalog_adapt(actor=people["east_sup"], org=township, area=area("义务教育"))
    # The district's supervisor reviews its township's catalog.
    services.catalog_submit(actor=people["east_sup"], catalog=draft)
    assert services.catalog_approve(actor=people["east_sup"], catalog=draft).status == "approved"


def test_selectors_scope_catalogs_to_the_region(people):
    approved_city_catalog()
    east = services.catalog_adapt(actor=OP, org=org(EAST), area=area("义务教育"))
    west = services.catalog_adapt(actor=OP, org=org(WEST), area=area("义务教育"))
    seen = set(selectors.for_user(people["east_sup"]).values_list("pk", flat=True))
    assert east.pk in seen and west.pk not in seen
    with pytest.raises(Exception) as exc:
        selectors.staff_get(people["east_sup"], west.pk)
    assert getattr(exc.value, "status_code", None) == 404
    city_seen = set(selectors.for_user(people["city_sup"]).values_list("pk", flat=True))
    assert {east.pk, west.pk} <= city_seen
    services.catalog_submit(actor=OP, catalog=east)
    assert list(selectors.review_queue(people["city_sup"])) == [east]
    assert list(selectors.review_queue(people["east_sup"])) == []
