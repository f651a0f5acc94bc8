"""The XLSX importer: real published catalogs, the usual layouts, and hostile files."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from gongkai.catalogs import importer, services
from gongkai.catalogs.models import Catalog, Item
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError

from .helpers import DATA, EAST, OP, T20, area, header, org, row, xlsx

pytestmark = pytest.mark.django_db


def _import(data, name="catalog.xlsx", area_name=None, where=EAST):
    return services.catalog_import(
        actor=OP, org=org(where), file_name=name, data=data,
        area=area(area_name) if area_name else None,
    )  # fmt: skip


def test_real_puer_catalog_reproduces_its_items():
    """普洱市's published 义务教育 catalog: five items, merged 一级事项, 序号 and 公开依据, a matter
    with no second level, √ marks under 全社会/主动/县(区)级."""
    data = (DATA / "puer-compulsory-education.xlsx").read_bytes()
    result = _import(data, "puer.xlsx", "义务教育")
    assert result.items == 5
    (catalog,) = result.catalogs
    assert catalog.status == "draft" and catalog.area.name == "义务教育" and catalog.version == 1
    items = list(catalog.items.order_by("sort_order"))
    assert [(i.number, i.level1, i.level2) for i in items] == [
        ("1", "政策文件", "规范性文件"),
        ("2", "教育概况", "教育事业发展主要情况"),
        ("2", "教育概况", "教育统计数据"),
        ("2", "教育概况", "义务教育学校名录"),
        ("3", "民办学校信息", ""),
    ]
    stats = items[2]
    assert stats.elements == "1.学校数据\n2.在校生数据\n3.教师数据"
    assert (
        stats.basis
        == "《中华人民共和国统计法》《中华人民共和国政府信息公开条例》《教育统计管理规定》"
    )
    assert stats.time_limit == "信息形成或者变更之日起20个工作日内"
    assert stats.subject == "县(区)级教育体育局"
    assert stats.channels == "政府网站"
    assert (stats.audience, stats.mode, stats.levels) == ("全社会", "主动", ["县级"])
    assert items[3].basis == "《中华人民共和国政府信息公开条例》"
    private = items[4]
    assert private.elements.startswith("1. 民办学校办学基本信息\n2. 民办学校设立、变更、终止")
    assert private.basis.endswith("《云南省实施〈中华人民共和国义务教育法〉办法》")


def test_real_township_catalog_takes_its_area_from_the_title():
    """香山街道's catalog: a title row naming the area, channels as ■/□ text."""
    data = (DATA / "xiangshan-compulsory-education.xlsx").read_bytes()
    result = _import(data, "xiangshan.xlsx")
    (catalog,) = result.catalogs
    assert catalog.area.name == "义务教育"
    first, second = catalog.items.order_by("sort_order")
    assert (first.level1, first.level2, second.level1, second.level2) == (
        "招生管理", "招生政策", "招生管理", "招生范围")  # fmt: skip
    assert second.elements == "●招生范围 ●学区划分详细情况"
    assert first.channels.startswith("■政府网站 □政府公报 ■两微一端")
    assert first.subject == "翔安区教育局" and first.levels == []
    assert (first.audience, first.mode) == ("全社会", "主动")


def test_real_wenchang_disaster_relief_catalog_whole_table():
    """文昌市's 救灾 catalog, all four items: no 序号 column, the page's own column order
    (公开主体 before 公开时限, 公开依据 last), 一级事项 merged over every row and the short
    sub-header 特定 under 公开对象."""
    data = (DATA / "wenchang-disaster-relief.xlsx").read_bytes()
    result = _import(data, "wenchang.xlsx", "救灾")
    assert result.items == 4
    (catalog,) = result.catalogs
    assert catalog.area.name == "救灾"
    items = list(catalog.items.order_by("sort_order"))
    assert [(i.number, i.level1, i.level2) for i in items] == [
        ("", "救灾", "政策文件"),
        ("", "救灾", "备灾管理"),
        ("", "救灾", "灾后救助"),
        ("", "救灾", "款物管理"),
    ]
    assert [i.elements for i in items] == [
        "1.法律法规:与救灾有关的法律、法规",
        "1.综合减灾示范社区:综合减灾示范社区分布情况(其具体位置、创建时间、创建级别等)",
        "1.本行政区域内因自然灾害造成的损失情况(受灾时间、灾害种类、受灾范围、灾害造成的损失等)",
        "1.年度捐赠款物信息以及款物使用情况",
    ]
    for item in items:
        assert item.subject == "市应急管理局"
        assert item.time_limit == (
            "信息产生、变更之日起20个工作日内公开,保持长期公开(相关政策法规另有规定的应从其规定)"
        )
        assert item.channels == "■ 政府网站 ■ 政务服务中心"
        assert item.basis == "《中华人民共和国政府信息公开条例》(国务院令第711号)等"
        assert (item.audience, item.mode, item.levels) == ("全社会", "主动", [])


def test_real_duodao_rural_housing_catalog_whole_table():
    """荆门市掇刀区's 农村危房改造 catalog, both items: 公开层级 县级 / 乡、村级 headers, and no
    marks under 对象/方式/层级 (the page shows none), so none are invented."""
    data = (DATA / "duodao-rural-housing.xlsx").read_bytes()
    result = _import(data, "duodao.xlsx", "农村危房改造")
    assert result.items == 2
    first, second = result.catalogs[0].items.order_by("sort_order")
    assert [(i.number, i.level1, i.level2) for i in (first, second)] == [
        ("1", "部门文件", "农村危房改造相关文件"),
        ("2", "条件与标准", "农村危房改造对象申请条件"),
    ]
    assert first.elements == "文件分类、生成日期、标题、文号、有效性、关键词和具体内容等"
    assert second.elements == "农村危房改造农户申请条件"
    assert first.basis == "《政府信息公开条例》、《关于全面推进政务公开工作的意见》及其实施细则"
    assert second.basis.startswith("《预算法》、《政府信息公开条例》、《住房城乡建设部 财政部")
    assert second.basis.endswith("重点对象农村危房改造若干问题的通知》等")
    for item in (first, second):
        assert item.time_limit == "信息形成之日起20个工作日内"
        assert item.subject == "荆门市掇刀区住房和城乡建设局"
        assert item.channels == "高新区(掇刀区)政府网站"
        assert (item.audience, item.mode, item.levels) == ("", "", [])


@pytest.mark.parametrize(
    ("audience", "mode", "levels", "level"),
    [
        (("社会", "特定 群体"), ("主动", "申请"), ("县级", "乡级"), "乡级"),
        (("全社会", "特定群众"), ("主动", "依申请公开"), ("区 级", "镇街级"), "乡级"),
        (("全社会", "特定"), ("主动公开", "申请公开"), ("县级", "、村级"), "村级"),
    ],
    ids=["tengchong", "hechuan", "fsxf"],
)
def test_sub_header_wordings_of_published_catalogs(audience, mode, levels, level):
    """The sub-headers under 公开对象/公开方式/公开层级 as published pages word them (腾冲 "社会 /
    特定 群体 / 申请", 合川 "镇街级", 方山 "申请公开"): the marks land in the right columns."""
    book = Workbook()
    ws = book.active
    ws.append(["序号", "公开事项", None, "公开内容(要素)", "公开时限", "公开对象", None,
               "公开方式", None, "公开层级", None])  # fmt: skip
    ws.append([None, "一级事项", "二级事项", None, None, *audience, *mode, *levels])
    for c in (1, 4, 5):
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    for a, b in ((2, 3), (6, 7), (8, 9), (10, 11)):
        ws.merge_cells(start_row=1, start_column=a, end_row=1, end_column=b)
    ws.append([1, "综合业务", "政策法规", "要素", T20, None, "√", None, "√", None, "√"])
    (sheet,) = importer.parse_catalog(xlsx(book))
    (item,) = sheet.items
    assert (item.fields["level1"], item.fields["level2"]) == ("综合业务", "政策法规")
    assert (item.fields["audience"], item.fields["mode"]) == ("特定群体", "依申请")
    assert item.fields["levels"] == [level]


def test_one_long_sheet_with_an_area_column_and_section_titles():
    """One sheet holding several areas: an area column, carried-down 一级事项 without merges,
    blank rows and a note row; the import makes one draft per area."""
    book = Workbook()
    ws = book.active
    ws.append(["示范市东城区基层政务公开标准目录汇编"])
    ws.append(["领域", "序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限",
               "公开主体", "公开渠道和载体", "公开对象", "公开方式", "公开层级"])  # fmt: skip
    ws.append(["社会救助", 1, "最低生活保障", "办事指南", "申请条件", "条例", T20, "区民政局",
               "政府网站", "全社会", "主动", "县级、乡级"])  # fmt: skip
    ws.append(["社会救助", None, None, "低保对象名单", "姓名、金额", "条例", "每季度", "区民政局",
               "公示栏", "特定群体", "主动", "乡、村级"])  # fmt: skip
    ws.append([])
    ws.append(["义务教育", 1, "招生管理", "招生政策", "实施方案", "条例", T20, "区教育局",
               "政府网站", "全社会", "依申请", "县级"])  # fmt: skip
    ws.append(["注：本表由区政务公开办汇总。"])
    result = _import(xlsx(book), "long.xlsx")
    assert result.items == 3
    by_area = {c.area.name: c for c in result.catalogs}
    assert set(by_area) == {"社会救助", "义务教育"}
    names = list(by_area["社会救助"].items.order_by("sort_order"))
    assert names[1].level1 == "最低生活保障" and names[1].level2 == "低保对象名单"
    assert names[1].levels == ["乡级", "村级"] and names[1].audience == "特定群体"
    assert names[0].levels == ["县级", "乡级"]
    assert by_area["义务教育"].items.get().mode == "依申请"


def test_compilation_with_section_titles_and_repeated_headers():
    """A compilation: "（一）社会救助领域…" title rows between tables, the two-row header repeated
    on each printed page, and 一级事项 merged down."""
    book = Workbook()
    ws = book.active
    ws.append(["（一）社会救助领域基层政务公开标准目录"])
    header(ws, 2)
    ws.append(row(1, "最低生活保障", "办事指南"))
    ws.append(row(None, None, "低保对象名单", audience="特定群体", levels=("乡级", "村级")))
    ws.merge_cells("B4:B5")
    ws.append([v.value for v in ws[2]])
    ws.append([v.value for v in ws[3]])
    ws.append(row(2, "临时救助", "救助结果", mode="依申请"))
    ws.append(["（二）义务教育领域基层政务公开标准目录"])
    ws.append([v.value for v in ws[2]])
    ws.append([v.value for v in ws[3]])
    ws.append(row(1, "招生管理", "招生范围"))
    result = _import(xlsx(book), "compilation.xlsx")
    by_area = {c.area.name: list(c.items.order_by("sort_order")) for c in result.catalogs}
    assert [i.level2 for i in by_area["社会救助"]] == ["办事指南", "低保对象名单", "救助结果"]
    assert by_area["社会救助"][1].level1 == "最低生活保障"
    assert by_area["社会救助"][2].mode == "依申请"
    assert [i.level2 for i in by_area["义务教育"]] == ["招生范围"]


def test_one_sheet_per_area_named_by_the_sheet():
    book = Workbook()
    for i, name in enumerate(("社会救助", "重大建设项目")):
        ws = book.active if i == 0 else book.create_sheet()
        ws.title = name
        header(ws)
        ws.append(row(1, f"{name}事项", "二级"))
    result = _import(xlsx(book))
    assert sorted(c.area.name for c in result.catalogs) == ["社会救助", "重大建设项目"]


def test_reimport_replaces_the_draft_and_approved_gets_a_new_version():
    data = (DATA / "puer-compulsory-education.xlsx").read_bytes()
    first = _import(data, area_name="义务教育").catalogs[0]
    again = _import(data, area_name="义务教育").catalogs[0]
    assert again.pk == first.pk and again.items.count() == 5
    services.catalog_submit(actor=OP, catalog=first)
    with pytest.raises(ApplicationError) as exc:
        _import(data, area_name="义务教育")
    assert exc.value.code == "under_review"
    services.catalog_approve(actor=OP, catalog=first)
    new = _import(data, area_name="义务教育").catalogs[0]
    assert new.version == 2 and new.status == "draft"


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<" + "a" * 60_000_000 + "/>")
    return out.getvalue()


def _formula() -> bytes:
    book = Workbook()
    ws = book.active
    header(ws)
    ws.append(row(1, "事项", "二级"))
    ws["D3"] = "=1+1"
    return xlsx(book)


def _no_header() -> bytes:
    book = Workbook()
    book.active.append(["姓名", "电话"])
    book.active.append(["张三", "123"])
    return xlsx(book)


def _too_many_items() -> bytes:
    book = Workbook()
    ws = book.active
    header(ws)
    for n in range(importer.MAX_ITEMS + 1):
        ws.append(row(n, "事项", f"二级{n}"))
    return xlsx(book)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7 not a spreadsheet", "not_xlsx"),
        (b"PK\x03\x04 broken zip", "corrupt"),
        (_zip_bomb(), "archive_too_large"),
        (b"PK" + b"0" * (importer.MAX_BYTES + 1), "file_too_large"),
        (_formula(), "formula"),
        (_no_header(), "no_header"),
    ],
    ids=["pdf", "broken-zip", "zip-bomb", "too-big", "formula", "no-header"],
)
def test_hostile_files_are_refused_with_nothing_saved(data, code):
    before = (Catalog.objects.count(), Item.objects.count())
    with pytest.raises(ApplicationError) as exc:
        _import(data, area_name="义务教育")
    assert exc.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value.message))
    assert (Catalog.objects.count(), Item.objects.count()) == before


def test_too_many_items_are_refused():
    with pytest.raises(ApplicationError) as exc:
        importer.parse_catalog(_too_many_items())
    assert exc.value.code in ("too_many_items", "archive_too_large")


def test_unknown_area_is_a_clear_error():
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    header(ws)
    ws.append(row(1, "事项", "二级"))
    with pytest.raises(ApplicationError) as exc:
        _import(xlsx(book))
    assert exc.value.code == "area_unknown"


def test_import_needs_manage_catalog(make_staff):
    outsider = make_staff(EAST.replace("东城", "西城"), "publisher")
    data = (DATA / "puer-compulsory-education.xlsx").read_bytes()
    with pytest.raises(PermissionDeniedError):
        services.catalog_import(actor=outsider, org=org(EAST), file_name="x.xlsx", data=data,
                                area=area("义务教育"))  # fmt: skip


def test_cli_imports_and_exits_2_on_bad_input(run_cli, tmp_path):
    code, out, _err = run_cli(
        "import-catalog", str(DATA / "puer-compulsory-education.xlsx"),
        "--org", org(EAST).code, "--area", "义务教育",
    )  # fmt: skip
    assert code == 0 and "5 items imported" in out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, _out, err = run_cli("import-catalog", str(bad), "--org", org(EAST).code)
    assert code == 2 and "XLSX" in err
    code, _out, err = run_cli("import-catalog", str(bad), "--org", "nope")
    assert code == 2
    code, _out, err = run_cli("import-catalog", str(DATA / "puer-compulsory-education.xlsx"),
                              "--org", org(EAST).code, "--area", "不存在")  # fmt: skip
    assert code == 2 and "不存在" in err


def test_a_sheet_longer_than_the_cap_is_refused(monkeypatch):
    """Rows are counted before any is read (the cap is lowered here to keep the test fast)."""
    monkeypatch.setattr(importer, "MAX_SHEET_ROWS", 50)
    book = Workbook()
    ws = book.active
    header(ws)
    for n in range(60):
        ws.append(row(n, "事项", f"二级{n}"))
    with pytest.raises(ApplicationError) as exc:
        importer.parse_catalog(xlsx(book))
    assert exc.value.code == "too_many_rows"


def test_hidden_sheets_and_text_marks():
    """Hidden sheets are skipped; 公开对象/公开方式 written as text are kept as text."""
    book = Workbook()
    ws = book.active
    ws.title = "社会救助"
    ws.append(["序号", "一级事项", "二级事项", "公开内容", "公开时限", "公开对象", "公开方式"])
    ws.append([1, "临时救助", "救助结果", "金额", T20, "特定群体", "依申请公开"])
    hidden = book.create_sheet("义务教育")
    header(hidden)
    hidden.append(row(1, "不应导入", "x"))
    hidden.sheet_state = "hidden"
    (sheet,) = importer.parse_catalog(xlsx(book))
    (item,) = sheet.items
    assert (item.fields["audience"], item.fields["mode"]) == ("特定群体", "依申请公开")
