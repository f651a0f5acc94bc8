"""The work-plan extractor against the annotated samples, our own plans and the README rules.

The three public samples live outside the repository (../shared/samples); their tests are
skipped where that folder is absent. Our own plans in plans/ use other layouts: wrapped prose
with full-width "（牵头单位：…；责任单位：…）", a pipe table with 序号 and 时限要求 columns, a
plan without units, a TAB-cell table with only 责任单位 and 完成时限, label lines.
No database is used.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from gongkai.core.exceptions import ApplicationError
from gongkai.supervision.extract import (
    NotAWorkPlan,
    compact,
    extract_plan,
    find_deadline,
    find_recurring,
    join_broken_lines,
    resolve_deadline,
    split_cell_units,
    split_units,
)

PLANS = Path(__file__).parent / "plans"
SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"


def annotated(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob("*.txt") if p.with_name(p.stem + ".expected.json").exists()
    )


def run(path: Path) -> tuple[dict, dict]:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    plan = extract_plan(path.read_text("utf-8"), year=expected["year"], source=path.name)
    return plan.as_json(), expected


@pytest.mark.parametrize("path", annotated(PLANS), ids=lambda p: p.stem)
def test_own_plans_match_their_annotation_exactly(path):
    got, expected = run(path)
    assert got == expected


@pytest.mark.skipif(not annotated(SAMPLES), reason="../shared/samples is not here")
@pytest.mark.parametrize(
    "name", ["zhengzhou-2020-plan", "jiyuan-2020-division-table", "zhangye-2020-plan"]
)
def test_samples_match_their_annotation_exactly(name):
    got, expected = run(SAMPLES / f"{name}.txt")
    assert got["issuer"] == expected["issuer"]
    assert [t["number"] for t in got["tasks"]] == [t["number"] for t in expected["tasks"]]
    assert got == expected


def test_own_plans_cover_several_layouts():
    assert len(annotated(PLANS)) >= 3


# --------------------------------------------------------------------------- whitespace rule


def test_compact_removes_every_kind_of_whitespace():
    assert compact("开设 “六稳”\n\n工作\t专栏\u00a0和\u3000公开\r\n") == "开设“六稳”工作专栏和公开"


def test_strings_taken_from_the_source_carry_no_whitespace():
    text = (
        "一、聚焦政策落实\n\n(一)围绕权责清单\n\n市政府门户网站开设 “六稳”“六保”工作专栏,各相关单\n\n"
        "位要做好专栏信息保障工作，11 月底前完成。(牵头单位:市政 务办,责任单位:各区县 〔市〕政府、\n\n"
        "开发区管委会)\n\n(二)围绕规范性文件\n\n要完善郑州市规范性文件数据库及相关公开栏目，提供在线查阅"
        "服务。(责任单位:市\u00a0司法局)\n"
    )
    plan = extract_plan(text, year=2020)
    for task in plan.tasks:
        strings = [task.text, task.deadline_text or "", *task.lead_units, *task.responsible_units]
        assert all(s == compact(s) for s in strings)
    first = plan.tasks[0]
    assert first.text.startswith("市政府门户网站开设“六稳”“六保”工作专栏")
    assert first.lead_units == ["市政务办"]
    assert first.responsible_units == ["各区县〔市〕政府", "开发区管委会"]
    assert (first.deadline_text, first.deadline) == ("11月底前", dt.date(2020, 11, 30))
    assert plan.tasks[1].responsible_units == ["市司法局"]


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("printed", "units"),
    [
        ("各县〔市、区〕政府、市直各部门", ["各县〔市、区〕政府", "市直各部门"]),
        (
            "各镇人民政府（街道办事处）,各片区管理办公室",
            ["各镇人民政府（街道办事处）", "各片区管理办公室"],
        ),
        ("各县(市、区)人民政府", ["各县(市、区)人民政府"]),
        ("市市场监管局等", ["市市场监管局"]),
        ("市工信局、张掖银保监局等，各县区政府", ["市工信局", "张掖银保监局", "各县区政府"]),
        ("市金融局、市物流口岸局等相关部门", ["市金融局", "市物流口岸局等相关部门"]),
        ("市交通局等相关单位", ["市交通局等相关单位"]),
        ("市委网信办和市政府办公室", ["市委网信办", "市政府办公室"]),
        ("市自然资源和规划局和市统计局", ["市自然资源和规划局", "市统计局"]),
        ("市粮食和储备局", ["市粮食和储备局"]),
        ("人力资源和社会保障局", ["人力资源和社会保障局"]),
        ("工业和科技创新委员会", ["工业和科技创新委员会"]),
        (
            "市政府办公室，市政府各部门、单位，各县区政府",
            ["市政府办公室", "市政府各部门、单位", "各县区政府"],
        ),
        ("市直各部门；各县（区）人民政府", ["市直各部门", "各县（区）人民政府"]),
        ("市政府办公室；2021年6月底前完成", ["市政府办公室"]),
    ],
)
def test_split_units(printed, units):
    assert split_units(printed) == units


def test_broken_names_in_table_cells_are_joined():
    assert join_broken_lines(["党工委编办", "政务服务和大", "数据管理局"]) == [
        "党工委编办",
        "政务服务和大数据管理局",
    ]
    assert split_cell_units(["人力资源和社会", "保障局"]) == ["人力资源和社会保障局"]
    assert split_cell_units(["发展改革和统计局", "工业和科技创新", "委员会"]) == [
        "发展改革和统计局",
        "工业和科技创新委员会",
    ]
    assert split_cell_units(["市发展和改革委", "员会"]) == ["市发展和改革委员会"]
    assert split_cell_units(["管委会各部门", "各镇人民政府（街道办事处）"]) == [
        "管委会各部门",
        "各镇人民政府（街道办事处）",
    ]


def test_unit_parentheses_in_several_spellings():
    def units(parenthesis):
        text = (
            "一、重点任务\n1．全面梳理本机关依法行使的行政权力和公共服务职责，更新完善权责清单并公开。"
            f"{parenthesis}\n2．规范政府信息公开平台栏目设置，确保平台信息准确、完整。（责任单位：市政府办公室）\n"
        )
        task = extract_plan(text, year=2021).tasks[0]
        return task.lead_units, task.responsible_units

    both = (["市政务办"], ["各县区政府", "市直各部门"])
    assert units("（牵头单位：市政务办；责任单位：各县区政府、市直各部门）") == both
    assert units("(牵头单位:市政务办,责任单位:各县区政府,市直各部门)") == both
    assert units("（牵头单位 市政务办 责任单位 各县区政府、市直各部门）") == both
    assert units("（市政务办牵头，各县区政府、市直各部门负责）") == both
    assert units("（责任单位：各县区政府和市直各部门）") == ([], ["各县区政府", "市直各部门"])


def test_units_marked_lead_inside_one_list():
    assert split_units("市发改委（牵头）、市财政局") == ["市发改委（牵头）", "市财政局"]
    text = (
        "一、重点任务\n1．加强政策解读，落实政策性文件与解读材料同步组织、同步审签、同步部署。"
        "（责任单位：市发改委（牵头）、市财政局）\n"
        "2．规范政府信息公开平台栏目设置，确保平台信息准确、完整。（责任单位：市政府办公室）\n"
    )
    task = extract_plan(text, year=2021).tasks[0]
    assert (task.lead_units, task.responsible_units) == (["市发改委"], ["市财政局"])


def test_tab_separated_rows_with_the_section_number_in_its_own_column():
    rows = [
        "序号\t工作任务\t牵头单位\t责任单位\t完成时限",
        "一\t深化决策公开",
        "1\t制定并公开年度重大行政决策事项目录，对社会关注度高的决策事项广泛听取公众意见。"
        "\t区司法局\t区政府各部门\t2021年6月底前",
        "2\t涉及群众切身利益的决策草案，均在区政府门户网站公开征求意见。\t区政府办公室\t\t持续推进",
        "二\t强化政策解读",
        "1\t落实政策性文件与解读材料同步组织、同步审签、同步部署，政策文件全部开展解读。"
        "\t区政府办公室\t区政府各部门、各街道办事处\t三季度末",
    ]
    tasks = extract_plan("\n".join(rows), year=2021).tasks
    assert [t.number for t in tasks] == ["一/1", "一/2", "二/1"]
    assert [t.deadline for t in tasks] == [dt.date(2021, 6, 30), None, dt.date(2021, 9, 30)]
    assert tasks[1].responsible_units == []
    assert tasks[2].responsible_units == ["区政府各部门", "各街道办事处"]


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("phrase", "year", "date"),
    [
        ("11月底前", 2020, dt.date(2020, 11, 30)),
        ("10月底前", 2020, dt.date(2020, 10, 31)),
        ("年底前", 2020, dt.date(2020, 12, 31)),
        ("2020年底前", 2021, dt.date(2020, 12, 31)),
        ("2020年年底前", 2020, dt.date(2020, 12, 31)),
        ("2020年6月30日前", 2021, dt.date(2020, 6, 30)),
        ("2020年11月底前", 2020, dt.date(2020, 11, 30)),
        ("2021年3月底前", 2021, dt.date(2021, 3, 31)),
        ("2月底前", 2020, dt.date(2020, 2, 29)),
        ("2月底前", 2021, dt.date(2021, 2, 28)),
        ("2月底前", 2000, dt.date(2000, 2, 29)),
        ("2月底前", 1900, dt.date(1900, 2, 28)),
        ("十一月底前", 2020, dt.date(2020, 11, 30)),
        ("6月中旬前", 2020, dt.date(2020, 6, 20)),
        ("2021年12月", 2021, dt.date(2021, 12, 31)),
        ("三季度末", 2021, dt.date(2021, 9, 30)),
        ("2021年上半年", 2020, dt.date(2021, 6, 30)),
        ("明年底前", 2020, dt.date(2021, 12, 31)),
        ("2020 年 6 月 30 日前", 2020, dt.date(2020, 6, 30)),
        ("持续推进", 2020, None),
        ("长期坚持", 2020, None),
        ("3个工作日内", 2020, None),
        ("印发实施后20个工作日内", 2020, None),
        ("2月30日前", 2020, None),
        ("", 2020, None),
    ],
)
def test_resolve_deadline(phrase, year, date):
    assert resolve_deadline(phrase, year) == date


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("全市各级政府网站于2020年11月底前完成IPv6改造。", "2020年11月底前"),
        ("10月底前，组织编写本级政府行政机关机构职能目录", "10月底前"),
        ("2020年底前，法定主动公开内容全部公开到位。", "2020年底前"),
        ("严格执行“主动公开文件印发实施后20个工作日内上网发布”的时限要求。", None),
        ("对依申请公开在3个工作日内登记，5小时内回应。", None),
        ("截至2019年底，全市共公开信息1万条。", None),
        ("力争2021年6月底全部完成。", "2021年6月底"),
    ],
)
def test_find_deadline(text, phrase):
    assert find_deadline(text) == phrase


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("各区县政府每年至少举办1次集中培训工作。", "每年至少举办1次"),
        ("每季度公开1次重大项目资金使用情况。", "每季度公开1次"),
        (
            "实行半年工作总结报送制度和季度通报制度，掌握年报涉及数据。",
            "半年工作总结报送制度和季度通报制度",
        ),
        ("建立工作台账，定期核对、通报上网发布情况。", None),
        ("规范编制政府信息公开工作年度报告并按时发布。", None),
    ],
)
def test_find_recurring(text, phrase):
    assert find_recurring(text) == phrase


# --------------------------------------------------------------------------- not a work plan

NOVEL = """第一章

那年冬天，雪下得特别大。祖父坐在炉子旁边，慢慢地抽着旱烟，一句话也不说。母亲在灶间忙着，锅里的水咕嘟咕嘟地响。

一、童年

我小时候最喜欢跟着哥哥去山上砍柴。山路很陡，哥哥总是走在前面，不时回头看看我有没有跟上。有一次我摔了一跤，膝盖磕破了，哥哥背着我走了很远的路。

二、离家

十八岁那年，我离开了家乡，坐上了去省城的火车。母亲在站台上一直挥手，直到火车拐过了山脚。我把脸贴在车窗上，眼泪止不住地往下流。

三、归来

很多年以后，我又回到了那个小村庄。村口的老槐树还在，只是祖父已经不在了。
"""
LETTER = """亲爱的李老师：

您好！好久没有给您写信了，最近身体还好吗？我在北京的工作一切顺利，单位的同事们都很照顾我。等到年底前放假，我一定回去看您。

祝您身体健康，工作顺利！

您的学生 小王
2021年3月5日
"""
SHOPPING = "购物清单\n1. 苹果\n2. 香蕉\n3. 牛奶两盒\n4. 面包\n5. 鸡蛋一打\n"
DIARY = (
    "1. 今天天气很好，我们去公园散步，看见很多人在放风筝。\n"
    "2. 中午在湖边吃了午饭，妈妈做的三明治特别好吃。\n"
    "3. 下午去了动物园，大熊猫一直在睡觉，猴子跳来跳去。\n"
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty_work_plan"),
        (" \n\n\u00a0\t\u3000", "empty_work_plan"),
        (NOVEL, "not_a_work_plan"),
        (LETTER, "not_a_work_plan"),
        (SHOPPING, "not_a_work_plan"),
        (DIARY, "not_a_work_plan"),
    ],
    ids=["empty", "whitespace", "novel", "letter", "shopping-list", "numbered-diary"],
)
def test_not_a_work_plan(text, code):
    with pytest.raises(NotAWorkPlan) as caught:
        extract_plan(text, year=2021)
    assert isinstance(caught.value, ApplicationError)
    assert caught.value.code == code
    assert str(caught.value.message).startswith("未能在文件中识别出工作任务：")


# --------------------------------------------------------------------------- review fields


@pytest.mark.skipif(not annotated(SAMPLES), reason="../shared/samples is not here")
def test_source_text_and_heading_for_the_review_screen():
    path = SAMPLES / "zhengzhou-2020-plan.txt"
    tasks = extract_plan(path.read_text("utf-8"), year=2020).tasks
    first = tasks[0]
    assert first.number == "一/(一)"
    assert first.heading.startswith("一、聚焦政策落实") and "(一)围绕权责清单" in first.heading
    assert first.source_text.startswith("(一)围绕权责清单")
    assert first.source_text.endswith("开发区管委会)")
    assert compact(first.text) in compact(first.source_text)
    assert len(first.text) > 30  # the whole text is kept; as_json shows 30 characters


def test_heading_repeated_at_a_page_break_does_not_restart_the_section():
    text = (
        "一、推进决策公开\n1．完善重大行政决策事项目录管理，年度目录向社会公布并动态调整。\n"
        "责任单位：市司法局\n\n— 2 —\n\n一、推进决策公开\n"
        "2．严格落实重大行政决策预公开制度，决策草案通过政府网站向社会公开征求意见。\n"
        "责任单位：市政府办公室\n"
    )
    numbers = [task.number for task in extract_plan(text, year=2021).tasks]
    assert numbers == ["一/1", "一/2"]


def test_same_heading_under_another_section_is_a_new_item():
    text = (
        "一、重点任务\n（一）加强组织领导。各县区政府要明确分管负责同志，统筹推进政务公开工作。"
        "（责任单位：各县区政府）\n二、保障措施\n（一）加强组织领导。各县区政府要明确分管负责同志，"
        "统筹推进政务公开工作。（责任单位：市政府办公室）\n"
    )
    tasks = extract_plan(text, year=2021).tasks
    assert [t.number for t in tasks] == ["一/(一)", "二/(一)"]
    assert tasks[1].responsible_units == ["市政府办公室"]
