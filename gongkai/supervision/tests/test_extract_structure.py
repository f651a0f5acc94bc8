"""Tables as tables: Word and HTML tables, flattened tables, roles, traditional characters and
the real development set (issue 19)."""

import io
import json
from pathlib import Path

import docx
import pytest

from gongkai.core import textextract
from gongkai.supervision.extract import (
    NotAWorkPlan,
    cell_role_units,
    extract_plan,
    sentence_subject,
)
from gongkai.supervision.extract_fold import SIMPLIFIED, TRADITIONAL, fold
from gongkai.supervision.structure import html_text, plan_text

REAL = Path(__file__).parent / "plans" / "real"

HEADER = ["序号", "工作任务", "具体要求", "责任科室", "完成时限"]
ROWS = [
    ["1", "强化政策解读", "对本局制发的规范性文件同步开展解读，提升解读质量。",
     "办公室牵头，各科室配合", "2023年6月底前"],
    ["2", "", "及时回应社会关切，做好舆情收集研判和回应工作。", "政策法规科", "持续推进"],
    ["3", "做好依申请公开", "依法依规办理政府信息公开申请，规范答复文书。", "办公室", "年底前"],
    ["4", "", "规范做好政府信息公开工作年度报告编制发布工作。", "办公室", "2023年1月31日前"],
]  # fmt: skip
EXPECTED = [
    ("1", ["办公室"], ["各科室"], "2023-06-30"),
    ("2", [], ["政策法规科", "办公室"], None),
    ("3", [], ["办公室"], "2023-12-31"),
    ("4", [], ["办公室"], "2023-01-31"),
]


def summary(plan):
    return [
        (
            t.number,
            t.lead_units,
            t.responsible_units,
            t.deadline.isoformat() if t.deadline else None,
        )
        for t in plan.tasks
    ]


def word_plan() -> bytes:
    """A DOCX with a real Word table: merged 工作任务 cells, two units in one cell."""
    document = docx.Document()
    document.add_paragraph("某局2023年政务公开重点工作任务清单")
    table = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    for i, name in enumerate(HEADER):
        table.cell(0, i).text = name
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(2, 1)).text = "强化政策解读"
    table.cell(3, 1).merge(table.cell(4, 1)).text = "做好依申请公开"
    table.cell(2, 3).add_paragraph("办公室")  # "政策法规科" / "办公室" in one cell
    document.add_paragraph("某局办公室")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_table_is_read_as_rows_with_merged_cells_written_once():
    data = word_plan()
    found = textextract.identify(data, "plan.docx")
    text = plan_text(data, found.kind)
    assert "| 2 |  | 及时回应社会关切" in text  # the merged task cell is not repeated
    assert "政策法规科、办公室" in text
    plan = extract_plan(text, year=2023)
    assert summary(plan) == EXPECTED
    assert {t.found_by for t in plan.tasks} == {"column"}
    assert {t.layout for t in plan.tasks} == {"table"}


HTML = """<html><head><title>x</title><style>p{}</style></head><body>
<p>某局2023年政务公开重点工作任务清单</p>
<table border=1>
<tr><th>序号</th><th>工作任务</th><th>具体要求</th><th>责任科室</th><th>完成时限</th></tr>
<tr><td>1</td><td rowspan="2">强化政策解读</td>
<td>对本局制发的规范性文件同步开展解读，提升解读质量。</td>
<td>办公室牵头，各科室配合</td><td>2023年6月底前</td></tr>
<tr><td>2</td><td>及时回应社会关切，做好舆情收集研判和回应工作。</td>
<td><p>政策法规科</p><p>办公室</p></td><td>持续推进</td></tr>
<tr><td>3</td><td rowspan="2">做好依申请公开</td>
<td>依法依规办理政府信息公开申请，规范答复文书。</td><td>办公室</td><td>年底前</td></tr>
<tr><td>4</td><td>规范做好政府信息公开工作年度报告编制发布工作。</td><td>办公室</td>
<td>2023年1月31日前</td></tr>
</table><p>某局办公室</p></body></html>"""


def test_html_table_is_read_as_rows_with_rowspan_placed():
    data = HTML.encode()
    found = textextract.identify(data, "plan.html")
    assert found.kind == "html"
    text = plan_text(data, found.kind)
    assert "x" not in text.splitlines()[0]  # <title> and <style> are no text
    assert summary(extract_plan(text, year=2023)) == EXPECTED


def test_html_colspan_and_unclosed_cells():
    text = html_text(
        "<table><tr><td>序号<td>工作任务<td>责任单位<td>完成时限"
        "<tr><td colspan=4>一、深化决策公开"
        "<tr><td>1<td>推进重大行政决策事项目录公开。<td>市司法局<td>6月底前</table>"
    )
    assert text.splitlines() == [
        "| 序号 | 工作任务 | 责任单位 | 完成时限 |",
        "| 一、深化决策公开 |  |  |  |",
        "| 1 | 推进重大行政决策事项目录公开。 | 市司法局 | 6月底前 |",
    ]
    plan = extract_plan(text, year=2021)
    assert summary(plan) == [("一/1", [], ["市司法局"], "2021-06-30")]


def test_plan_text_gives_none_for_other_kinds_and_broken_files():
    assert plan_text(b"plain", "txt") is None
    assert plan_text(b"PK\x03\x04broken", "docx") is None


def flattened(cells: list[str], joiner: str) -> str:
    if joiner == "pipe-lines":
        return "\n|\n".join(cells) + "\n|\n"
    if joiner == "pipe-ends":
        return "".join(f"{cell} |\n" for cell in cells)
    return "\n".join(cells) + "\n"


@pytest.mark.parametrize("joiner", ["pipe-lines", "pipe-ends", "bare-lines"])
def test_flattened_table_one_cell_per_line(joiner):
    """Copied from a web page: the header once, one cell per line, merged cells missing."""
    cells = ["某局2023年政务公开工作任务清单", *HEADER]
    for row in ROWS:
        cells += [cell for cell in row if cell]
    plan = extract_plan(flattened(cells, joiner), year=2023)
    assert summary(plan) == [
        ("1", ["办公室"], ["各科室"], "2023-06-30"),
        ("2", [], ["政策法规科"], None),
        ("3", [], ["办公室"], "2023-12-31"),
        ("4", [], ["办公室"], "2023-01-31"),
    ]


def test_rows_without_numbers_are_numbered_in_order():
    text = "\n".join(
        [
            "| 工作任务 | 具体内容 | 责任部门 |",
            "| 推进政策公开 | 常态化公开就业、教育、医疗等领域信息。 | 财政所、便民服务中心 |",
            "| 按要求做好惠农资金发放信息公开工作。 | 财政所 | |",
            "| 强化解读 | 拓展线下解读渠道，主动走进企业和社区开展宣讲。 | 党政办公室 |",
        ]
    )
    plan = extract_plan(text, year=2023)
    assert summary(plan) == [
        ("1", [], ["财政所", "便民服务中心"], None),
        ("2", [], ["财政所"], None),  # a row shifted left by the merged cell above
        ("3", [], ["党政办公室"], None),
    ]


def test_traditional_characters_are_matched_but_kept_as_printed():
    assert fold("負責單位 時限要求 辦公室") == "负责单位 时限要求 办公室"
    text = "\n".join(
        [
            "| 序號 | 工作任務 | 責任單位 | 時限要求 |",
            "| 1 | 編制完善基層政務公開事項目錄並按目錄公開各類信息。 | 市數據資源局，各縣市區政府 | 2020年10月底 |",
            "| 2 | 推行基層政務服務一次告知制度。 | 各鄉鎮政府、街道辦事處 | 2020年底 |",
        ]
    )  # fmt: skip
    plan = extract_plan(text, year=2020)
    assert summary(plan) == [
        ("1", [], ["市數據資源局", "各縣市區政府"], "2020-10-31"),
        ("2", [], ["各鄉鎮政府", "街道辦事處"], "2020-12-31"),
    ]


@pytest.mark.parametrize(
    ("cell", "lead", "responsible"),
    [
        ("办公室牵头，各科室配合", ["办公室"], ["各科室"]),
        ("市发改委牵头落实", ["市发改委"], []),
        ("市金融办、市财政局分别牵头落实", ["市金融办", "市财政局"], []),
        ("市政府各有关部门，各县市区人民政府负责落实", [], ["市政府各有关部门", "各县市区人民政府"]),
        ("市司法局、市政务办牵头，各镇（街）参照落实", ["市司法局", "市政务办"], ["各镇（街）"]),
        ("辦公室牽頭，各科室配合", ["辦公室"], ["各科室"]),
        ("牵头单位：市政务办；责任单位：各县区政府", ["市政务办"], ["各县区政府"]),
    ],
)  # fmt: skip
def test_roles_in_a_unit_cell(cell, lead, responsible):
    assert cell_role_units([cell], "responsible") == (lead, responsible)


def test_unit_parenthesis_with_a_verb_only():
    text = (
        "一、加强重点工作信息公开\n"
        "（一）围绕重点项目做好信息公开。制定发布城市设计导则等规划信息。（市规划委负责落实）"
        "推进区域协同发展信息公开。（市发展改革委牵头，市商务局）\n"
    )
    plan = extract_plan(text, year=2018)
    assert [(t.number, t.lead_units, t.responsible_units) for t in plan.tasks] == [
        ("一/(一)", [], ["市规划委"]),
        ("一/(一)#2", ["市发展改革委"], ["市商务局"]),
    ]
    assert {t.found_by for t in plan.tasks} == {"marks"}


def test_unit_named_as_the_subject_is_marked_lower_confidence():
    assert sentence_subject("秘書科要全面做好政府總值班工作") == "秘書科"
    assert sentence_subject("政務(wù)信息中心要全面做好網上公開") == "政務(wù)信息中心"
    assert sentence_subject("进一步做好政务公开工作") is None
    text = (
        "一、公开内容\n"
        "1、秘书科要全面做好政府总值班工作，抓好已公开现行文件利用工作。\n"
        "2、综合科要全面做好政务信息报送工作，做好依申请公开工作。\n"
    )
    plan = extract_plan(text, year=2021)
    assert [(t.responsible_units, t.found_by, t.low_confidence) for t in plan.tasks] == [
        (["秘书科"], "sentence", True),
        (["综合科"], "sentence", True),
    ]


def test_one_numbered_item_with_requirements_is_not_refused():
    text = (
        "一、紧扣经济发展大局深化公开\n（一）加强重大战略实施信息公开\n"
        "1.聚焦落实战略部署加强公开。紧紧围绕建设合作主阵地、都市圈产业发展，及时发布进展。\n"
    )
    plan = extract_plan(text, year=2023)
    assert [t.number for t in plan.tasks] == ["一/(一)/1"]


def test_run_on_pdf_line_is_split_at_its_item_numbers():
    text = (
        "为深入贯彻落实有关要求，结合实际，制定本方案。"
        * 12
        + "一、工作目标全面提升政务公开水平。二、工作任务（一）围绕建设法治政府，全面推进政务公开。"
        "1.把公开透明作为政府工作的基本要求，坚持以公开为常态、不公开为例外，及时公开政策文件。"
        "2.推进决策公开，重大决策事项按规定向社会公开征求意见，及时反馈意见采纳情况。"
    )
    plan = extract_plan(text, year=2018)
    assert [t.number for t in plan.tasks] == ["二/(一)/1", "二/(一)/2"]


def test_letters_and_novels_are_still_refused():
    with pytest.raises(NotAWorkPlan):
        extract_plan("亲爱的李老师：\n您好！最近身体还好吗？\n您的学生 小王\n", year=2021)


# --------------------------------------------------------------------------- development set


def test_real_plans_none_refused_and_tasks_found():
    """The development set of real plans (issue 19): nothing refused, task F1 at least 0.9."""
    tp = fp = fn = 0
    files = sorted(REAL.glob("*.txt"))
    assert len(files) >= 20
    for path in files:
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
        plan = extract_plan(path.read_text("utf-8"), year=expected["year"], source=path.name)
        got = {(t["number"], t["text"]) for t in plan.as_json()["tasks"]}
        want = {(t["number"], t["text"]) for t in expected["tasks"]}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.9, (tp, fp, fn)


@pytest.mark.parametrize("name", ["plan.docx", "plan.html"])
def test_flat_text_of_the_same_tables_reads_the_same(name):
    """Without the table reader (textextract's text, one cell per line), the rows come out
    the same: a unit cell of two lines stays one cell."""
    data = word_plan() if name.endswith("docx") else HTML.encode()
    assert summary(extract_plan(textextract.identify(data, name).text, year=2023)) == EXPECTED


def test_table_with_lead_and_partner_columns_and_remarks():
    text = "\n".join(
        [
            "某县2022年政务公开工作任务分工",
            "| 序号 | 重点任务 | 工作措施 | 牵头单位 | 配合单位 | 完成时限 | 备注 |",
            "| 一 | 深化决策公开 | | | | | |",
            "| 1 | 推进决策公开 | 完善重大行政决策事项目录并向社会公开。 | 县司法局 | 县直各部门 | 2022年6月底前 | |",
            "| 2 | | 做好决策草案公开征求意见工作。 | 县政府办 | 各乡镇人民政府 | 持续推进 | |",
        ]
    )  # fmt: skip
    plan = extract_plan(text, year=2022)
    assert summary(plan) == [
        ("一/1", ["县司法局"], ["县直各部门"], "2022-06-30"),
        ("一/2", ["县政府办"], ["各乡镇人民政府"], None),
    ]


def test_tab_table_with_a_remarks_column_left_empty():
    text = (
        "序号\t工作任务\t具体要求\t责任股室\t时限要求\t备注\n"
        "1\t主动公开\t及时公开本局规范性文件和政策解读材料。\t办公室\t2023年3月底前\t\n"
        "2\t依申请公开\t依法办理政府信息公开申请，规范答复。\t法规股\t持续推进\t\n"
        "3\t年度报告\t按时编制发布政府信息公开工作年度报告。\t政务公开股\t1月31日前\t\n"
    )
    assert summary(extract_plan(text, year=2023)) == [
        ("1", [], ["办公室"], "2023-03-31"),
        ("2", [], ["法规股"], None),
        ("3", [], ["政务公开股"], "2023-01-31"),
    ]


def test_units_named_by_you_in_the_text():
    text = (
        "一、重点工作\n"
        "1.加强政策解读。由县政府办公室负责，对重要政策文件开展多形式解读。\n"
        "2.做好年报工作。由县政务服务中心牵头，按时发布政府信息公开工作年度报告。\n"
    )
    plan = extract_plan(text, year=2022)
    assert [(t.lead_units, t.responsible_units, t.found_by) for t in plan.tasks] == [
        ([], ["县政府办公室"], "sentence"),
        (["县政务服务中心"], [], "sentence"),
    ]


def test_flattened_cells_over_several_lines():
    cells = [
        "工作任务", "具体要求", "责任股室", "完成时限",
        "1", "强化主动公开", "及时公开规范性文件，\n做好政策解读工作。", "办公室", "年底前",
        "2", "规范依申请公开", "依法依规办理申请。", "法规股\n政务公开股", "持续推进",
    ]  # fmt: skip
    plan = extract_plan("\n|\n".join(cells) + "\n|\n", year=2022)
    assert [(t.text, t.responsible_units) for t in plan.tasks] == [
        ("及时公开规范性文件，做好政策解读工作。", ["办公室"]),
        ("依法依规办理申请。", ["法规股", "政务公开股"]),
    ]


# --------------------------------------------------------------------------- layout invariance

PLANS = Path(__file__).parent / "plans"
TO_TRADITIONAL = {}
for _t, _s in zip(TRADITIONAL, SIMPLIFIED, strict=True):
    TO_TRADITIONAL.setdefault(_s, _t)


def traditional(text: str) -> str:
    return "".join(TO_TRADITIONAL.get(ch, ch) for ch in text)


@pytest.mark.parametrize("name", [p.stem for p in sorted(PLANS.glob("*.txt"))])
def test_own_plans_read_the_same_in_traditional_characters(name):
    text = (PLANS / f"{name}.txt").read_text("utf-8")
    expected = json.loads((PLANS / f"{name}.expected.json").read_text("utf-8"))
    plan = extract_plan(traditional(text), year=expected["year"])
    got = [
        (t.number, fold(t.text), [fold(u) for u in t.lead_units or []], t.deadline)
        for t in plan.tasks
    ]
    simplified = extract_plan(text, year=expected["year"])
    assert got == [
        (t.number, fold(t.text), [fold(u) for u in t.lead_units or []], t.deadline)
        for t in simplified.tasks
    ]


def test_hostile_html_tables_stay_bounded():
    """Huge spans are capped, unclosed and nested tables end, nothing raises."""
    text = html_text(
        '<table><tr><td rowspan="99999999" colspan="-3">序号<td colspan="5000">x'
        "<tr><td><table><tr><td>内层</table>" + "<table><tr><td>" * 200
    )
    lines = text.splitlines()
    assert lines and all(line.count("|") <= 2 * 100 + 2 for line in lines)
    assert plan_text(b"<table><tr><td>\xff\xfe</table>", "html") is not None


def test_copy_starting_mid_plan_keeps_its_items():
    """Page 2 of a plan: the first item is "4．", its label lines follow; a heading line that
    stops at "根据" runs on into the next line."""
    text = (
        "完成时间：2008年3月10日前。\n"
        "4．公示汇总。各地、各部门编制的《指南》和《目录》应及时发布到政府门户网站上公示。\n"
        "责任单位：市政府办公室，市政府各部门。\n"
        "完成时间：2008年3月20日前。\n"
        "（三）验收总结阶段根据\n"
        "《条例》规定做好验收总结工作，及时报送工作总结。\n"
        "责任单位：市政府办公室。\n"
        "完成时间：2008年3月底。\n"
    )
    plan = extract_plan(text, year=2008)
    assert [(t.number, t.text[:8], t.deadline.isoformat()) for t in plan.tasks] == [
        ("4", "公示汇总。各地、", "2008-03-20"),
        ("(三)", "验收总结阶段根据", "2008-03-31"),
    ]


def test_stray_number_in_a_preamble_does_not_open_the_outline():
    text = (
        "为做好今年政务公开工作，制定本要点。\n"
        "各单位要高度重视，认真组织实施。\n"
        "有关要求如下，请认真贯彻落实。\n"
        "3、本要点自印发之日起施行。\n"
        "一、深化决策公开\n"
        "1．推进重大行政决策事项目录公开，及时公开决策草案并征求意见。（区司法局负责）\n"
    )
    plan = extract_plan(text, year=2021)
    assert [t.number for t in plan.tasks] == ["一/1"]


def test_bare_line_table_with_a_row_missing_its_unit_and_time():
    """Number cells on their own lines are row numbers, not page numbers; a row whose unit
    and time cells are empty ends at the next number."""
    cells = [
        *HEADER,
        "1", "主动公开", "及时公开本局规范性文件和政策解读材料。", "办公室", "年底前",
        "2", "依申请公开", "依法办理政府信息公开申请，规范答复文书。",
        "3", "年度报告", "按时编制发布政府信息公开工作年度报告。", "办公室", "1月31日前",
    ]  # fmt: skip
    assert summary(extract_plan("\n".join(cells), year=2023)) == [
        ("1", [], ["办公室"], "2023-12-31"),
        ("2", [], [], None),
        ("3", [], ["办公室"], "2023-01-31"),
    ]
