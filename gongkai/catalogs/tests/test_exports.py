"""Export to XLSX in the published layout, opened again and re-imported to the same items."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongkai.catalogs import exports, selectors, services

from .helpers import DATA, EAST, OP, area, org

pytestmark = pytest.mark.django_db

COMPARED = ("number", "level1", "level2", "elements", "basis", "time_limit", "subject",
            "channels", "audience", "mode", "levels")  # fmt: skip


def _rows(catalog):
    return [tuple(getattr(i, k) for k in COMPARED) for i in catalog.items.order_by("sort_order")]


def test_export_has_the_published_layout_and_round_trips():
    data = (DATA / "puer-compulsory-education.xlsx").read_bytes()
    (catalog,) = services.catalog_import(
        actor=OP, org=org(EAST), file_name="puer.xlsx", data=data, area=area("义务教育")
    ).catalogs
    out = exports.catalog_xlsx(catalog, selectors.items_of(catalog))

    ws = openpyxl.load_workbook(io.BytesIO(out)).active
    assert ws.title == "义务教育"
    assert ws["A1"].value.endswith("义务教育领域基层政务公开标准目录")
    assert [ws.cell(2, c).value for c in (1, 2, 9, 11, 13)] == [
        "序号", "公开事项", "公开对象", "公开方式", "公开层级"]  # fmt: skip
    assert [ws.cell(3, c).value for c in (2, 3, 9, 10, 11, 12, 13, 14, 15)] == [
        "一级事项", "二级事项", "全社会", "特定群体", "主动", "依申请", "县级", "乡级", "村级"]  # fmt: skip
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B5:B7", "A5:A7", "B2:C2", "A2:A3"} <= merged  # 教育概况 spans its three items
    assert ws["I4"].value == "√" and ws["K4"].value == "√" and ws["M4"].value == "√"
    assert ws["J4"].value in (None, "") and ws["N4"].value in (None, "")

    (again,) = services.catalog_import(
        actor=OP, org=org("示范市西城区人民政府"), file_name="export.xlsx", data=out
    ).catalogs
    assert again.area.name == "义务教育"  # read from the title row
    assert _rows(again) == _rows(catalog)


def test_export_with_changes_adds_the_adaptation_columns():
    from .helpers import approved_city_catalog

    approved_city_catalog()
    draft = services.catalog_adapt(actor=OP, org=org(EAST), area=area("义务教育"))
    item = draft.items.order_by("sort_order").first()
    services.item_remove(actor=OP, item=item, reason="由市里公开")
    items = [i for i in selectors.items_of(draft) if i.change != "removed"]
    ws = openpyxl.load_workbook(
        io.BytesIO(exports.catalog_xlsx(draft, items, with_changes=True))
    ).active
    assert ws.cell(2, 16).value == "调整" and ws.cell(4, 16).value == "沿用"
    assert ws.max_row == 3 + 2
