"""Shared builders of the catalog tests: XLSX files written with openpyxl, and catalogs taken
through the real services."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from gongkai.catalogs import services
from gongkai.catalogs.models import Area
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

DATA = Path(__file__).resolve().parent / "data"
CITY = "示范市人民政府"
EAST = "示范市东城区人民政府"
WEST = "示范市西城区人民政府"
OP = CommandLine("test")
T20 = "信息形成或者变更之日起20个工作日内"

HEAD1 = ["序号", "公开事项", None, "公开内容（要素）", "公开依据", "公开时限", "公开主体",
         "公开渠道和载体", "公开对象", None, "公开方式", None, "公开层级", None, None]  # fmt: skip
HEAD2 = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动",
         "依申请", "县级", "乡级", "村级"]  # fmt: skip


def xlsx(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def header(ws, row: int = 1) -> None:
    ws.append(HEAD1)
    ws.append(HEAD2)
    for c in (1, 4, 5, 6, 7, 8):
        ws.merge_cells(start_row=row, start_column=c, end_row=row + 1, end_column=c)
    for a, b in ((2, 3), (9, 10), (11, 12), (13, 15)):
        ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)


def row(n, l1, l2, elements="要素", time_limit=T20, audience="全社会", mode="主动",
        levels=("县级",)):  # fmt: skip
    marks = ["√" if audience == "全社会" else None, "√" if audience == "特定群体" else None,
             "√" if mode == "主动" else None, "√" if mode == "依申请" else None]  # fmt: skip
    return [n, l1, l2, elements, "《中华人民共和国政府信息公开条例》", time_limit, "区民政局",
            "■政府网站", *marks, *["√" if x in levels else None for x in ("县级", "乡级", "村级")]]  # fmt: skip


def area(name: str) -> Area:
    return Area.objects.get(name=name)


def org(name: str) -> Org:
    return Org.objects.get(name=name)


ITEMS = [
    {"number": "1", "level1": "政策文件", "level2": "规范性文件", "elements": "各类教育政策文件",
     "basis": "《中华人民共和国政府信息公开条例》", "time_limit": T20, "subject": "市教育局",
     "channels": "■政府网站", "audience": "全社会", "mode": "主动", "levels": ["县级"]},
    {"number": "2", "level1": "招生管理", "level2": "招生政策", "elements": "招生工作实施方案",
     "basis": "《中华人民共和国政府信息公开条例》", "time_limit": T20, "subject": "市教育局",
     "channels": "■政府网站", "audience": "全社会", "mode": "主动", "levels": ["县级", "乡级"]},
    {"number": "2", "level1": "招生管理", "level2": "招生范围", "elements": "招生范围、学区划分",
     "basis": "《中华人民共和国政府信息公开条例》", "time_limit": "每年招生工作开始前",
     "subject": "市教育局", "channels": "■政府网站", "audience": "全社会", "mode": "主动",
     "levels": ["县级"]},
]  # fmt: skip


def approved_city_catalog(area_name: str = "义务教育"):
    """The city's approved catalog of three items."""
    catalog = services.catalog_create(actor=OP, org=org(CITY), area=area(area_name))
    for data in ITEMS:
        services.item_add(actor=OP, catalog=catalog, data=dict(data))
    services.catalog_submit(actor=OP, catalog=catalog)
    return services.catalog_approve(actor=OP, catalog=catalog)
