"""Catalog fixtures for the coverage and public-page tests (imported by them): rows made
directly (the importer and the review services are tested on their own)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

DISTRICT = "示范市东城区人民政府"
DEPT = "东城区教育局"
TOWNSHIP = "东城区新华街道办事处"
NOW = timezone.make_aware(dt.datetime(2026, 8, 14, 10, 0))


def at(y, m, d, hour=10):
    return timezone.make_aware(dt.datetime(y, m, d, hour))


def area_named(name, code):
    """The pilot area of that name (seeded data if present, else made here)."""
    from gongkai.catalogs.models import Area

    return Area.objects.filter(name=name).first() or Area.objects.create(name=name, code=code)


@pytest.fixture
def catalog_world(db, org, publish):
    """东城区's approved 义务教育 catalog with a covered, a stale, an empty, an unmapped, a
    keyword-mapped and a removed item, and the documents that decide them."""
    from gongkai.catalogs.models import Catalog, Item
    from gongkai.catalogs.workflow import CatalogStatus
    from gongkai.documents.models import Category, Column, Document

    livelihood = Category.objects.get(code="livelihood")
    child = Category.objects.create(code="t-compulsory-edu", name="义务教育", parent=livelihood)
    other_cat = Category.objects.create(code="t-enrolment", name="招生入学")
    column = Column.objects.create(name="教育经费公示", slug="t-edu-funds")
    area = area_named("义务教育", "t-compulsory-education")
    district = org(DISTRICT)
    catalog = Catalog.objects.create(
        org=district, area=area, status=CatalogStatus.APPROVED, decided_at=NOW
    )
    # A draft catalog of the same organisation: never counted, never shown.
    draft = Catalog.objects.create(
        org=district,
        area=area_named("社会救助", "t-relief"),
        status=CatalogStatus.DRAFT,
    )
    Item.objects.create(catalog=draft, level1="草稿事项", query="校车")

    def item(n, level1, **fields):
        return Item.objects.create(
            catalog=catalog,
            sort_order=n,
            number=str(n),
            level1=level1,
            elements=fields.pop("elements", "学校名称、学校地址"),
            basis="《中华人民共和国政府信息公开条例》",
            subject="东城区教育局",
            channels="■政府网站",
            audience="全社会",
            mode="主动",
            levels=["县级"],
            **fields,
        )

    items = {
        "covered": item(1, "政策文件", level2="规范性文件", category=livelihood,
                        time_limit="信息形成或者变更之日起20个工作日内"),
        "stale": item(2, "财务信息", level2="经费公示", column=column, time_limit="每季度"),
        "empty": item(3, "招生管理", level2="招生公告", category=other_cat,
                      doc_type=Document.DocType.ANNOUNCEMENT, time_limit="每月"),
        "unmapped": item(4, "教育概况", time_limit="长期"),
        "query": item(5, "学生管理", level2="校车安全", query="校车安全", time_limit="实时"),
        "removed": item(6, "已删除事项", category=livelihood, change=Item.Change.REMOVED,
                        change_reason="本区无此事项"),
    }  # fmt: skip

    def published(org_name, title, when, **fields):
        cols = fields.pop("columns", [])
        doc = publish(org_name, title, **fields)
        if cols:
            doc.columns.set(cols)
        Document.objects.filter(pk=doc.pk).update(published_at=when)
        doc.refresh_from_db()
        return doc

    docs = {
        # In a sub-category of the mapped one, by the district's department: covers item 1.
        "covered": published(DEPT, "东城区义务教育阶段学校管理办法", at(2026, 7, 1),
                             category=child),
        "older": published(DEPT, "东城区旧的管理办法", at(2025, 7, 1), category=livelihood),
        # In the column, last in Q1: item 2 is stale since 1 July.
        "stale": published(DEPT, "2026年第一季度教育经费公示", at(2026, 3, 2),
                           columns=[column]),
        # The right category and type but a township's, the right category but another type,
        # and the city's: none fulfils item 3.
        "township": published(TOWNSHIP, "新华街道招生公告", at(2026, 8, 1), category=other_cat,
                              doc_type=Document.DocType.ANNOUNCEMENT),
        "wrong_type": published(DEPT, "东城区招生工作通知", at(2026, 8, 1), category=other_cat,
                                doc_type=Document.DocType.NOTICE),
        "city": published("示范市教育局", "全市招生公告", at(2026, 8, 1), category=other_cat,
                           doc_type=Document.DocType.ANNOUNCEMENT),
        "query": published(DEPT, "关于加强校车安全管理的通知", at(2026, 6, 1)),
    }  # fmt: skip
    return {
        "district": district,
        "catalog": catalog,
        "area": area,
        "items": items,
        "docs": docs,
        "category": livelihood,
        "column": column,
    }
