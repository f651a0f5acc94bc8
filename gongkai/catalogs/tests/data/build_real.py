"""Rebuild the published catalogs in README.md as XLSX, in the layout they were published in.

Run once (`.venv/bin/python gongkai/catalogs/tests/data/build_real.py`); the XLSX files are
committed, this script only documents how they were made. Texts are as published, except that
line breaks inside a cell are kept as line breaks (the web pages show them as spaces).
"""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
TIME = "信息形成或者变更之日起20个工作日内"
OGI = "《中华人民共和国政府信息公开条例》"
V = "√"


def puer():
    """普洱市 义务教育领域 (county/district level), with 公开层级 县(区)级/乡级."""
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(
        [
            "序号",
            "公开事项",
            None,
            "公开内容（要素）",
            "公开依据",
            "公开时限",
            "公开主体",
            "公开渠道和载体",
            "公开对象",
            None,
            "公开方式",
            None,
            "公开层级",
            None,
        ]
    )
    ws.append(
        [
            None,
            "一级事项",
            "二级事项",
            None,
            None,
            None,
            None,
            None,
            "全社会",
            "特定群体",
            "主动",
            "依申请",
            "县(区)级",
            "乡级",
        ]
    )
    for c in range(1, 15):
        if c not in (2, 3, 9, 10, 11, 12, 13, 14):
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    for a, b in ((2, 3), (9, 10), (11, 12), (13, 14)):
        ws.merge_cells(start_row=1, start_column=a, end_row=1, end_column=b)
    subject = "县(区)级教育体育局"
    marks = [V, None, V, None, V, None]
    ws.append(
        [
            1,
            "政策文件",
            "规范性文件",
            "1.部门和地方政府规章\n2.各类教育政策文件",
            OGI,
            TIME,
            subject,
            "政府网站",
            *marks,
        ]
    )
    ws.append(
        [
            2,
            "教育概况",
            "教育事业发展主要情况",
            "教育事业发展主要情况",
            "《中华人民共和国统计法》《中华人民共和国政府信息公开条例》《教育统计管理规定》",
            TIME,
            subject,
            "政府网站",
            *marks,
        ]
    )
    ws.append(
        [
            None,
            None,
            "教育统计数据",
            "1.学校数据\n2.在校生数据\n3.教师数据",
            None,
            TIME,
            subject,
            "政府网站",
            *marks,
        ]
    )
    ws.append(
        [
            None,
            None,
            "义务教育学校名录",
            "1.学校名称\n2.学校地址\n3.办学层次\n4.办学类型\n5.办公电话",
            OGI,
            TIME,
            subject,
            "政府网站",
            *marks,
        ]
    )
    ws.append(
        [
            3,
            "民办学校信息",
            None,
            "1. 民办学校办学基本信息\n2. 民办学校设立、变更、终止等事项行政审批、备案信息\n"
            "3. 日常监管信息",
            "《中华人民共和国民办教育促进法》《中华人民共和国政府信息公开条例》"
            "《国务院关于鼓励社会力量兴办教育 促进民办教育健康发展的若干意见》"
            "《云南省实施〈中华人民共和国义务教育法〉办法》",
            TIME,
            subject,
            "政府网站",
            *marks,
        ]
    )
    ws.merge_cells("A4:A6")
    ws.merge_cells("B4:B6")
    ws.merge_cells("E4:E5")
    ws.merge_cells("B7:C7")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    book.save(HERE / "puer-compulsory-education.xlsx")


def xiangshan():
    """翔安区香山街道 义务教育领域 (township level): title row, no 公开层级 columns."""
    book = Workbook()
    ws = book.active
    ws.title = "义务教育"
    ws.append(["香山街道义务教育领域基层政务公开标准目录"])
    ws.merge_cells("A1:L1")
    ws.append(
        [
            "序号",
            "公开事项",
            None,
            "公开内容\n(要素)",
            "公开依据",
            "公开\n时限",
            "公开\n主体",
            "公开渠道和载体",
            "公开对象",
            None,
            "公开方式",
            None,
        ]
    )
    ws.append(
        [
            None,
            "一级事项",
            "二级事项",
            None,
            None,
            None,
            None,
            None,
            "全社会",
            "特定群体",
            "主动",
            "依申请",
        ]
    )
    for c in (1, 4, 5, 6, 7, 8):
        ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    for a, b in ((2, 3), (9, 10), (11, 12)):
        ws.merge_cells(start_row=2, start_column=a, end_row=2, end_column=b)
    basis = (
        "《中华人民共和国政府信息公开条例》《教育部关于进一步做好小学升入初中免试就近入学工作的"
        "实施意见》《教育部关于推进中小学信息公开工作的意见"
    )
    ws.append(
        [
            1,
            "招生管理",
            "招生政策",
            "●随迁子女入学办法",
            basis,
            TIME,
            "翔安区教育局",
            "■政府网站 □政府公报 ■两微一端 □发布会/听证会 ■广播电视 ■纸质媒体 ■公开查阅点"
            "□政务服务中心 □便民服务站□入户/现场 ■社区/企事业单位/村公示栏(电子屏) □精准推送 □其他",
            V,
            None,
            V,
            None,
        ]
    )
    ws.append(
        [
            None,
            None,
            "招生范围",
            "●招生范围 ●学区划分详细情况",
            basis + "》",
            TIME,
            "翔安区教育局",
            "■政府网站 □政府公报 ■两微一端 □发布会/听证会 □广播电视 □纸质媒体 ■公开查阅点"
            "□政务服务中心 □便民服务站□入户/现场 ■社区/企事业单位/村公示栏(电子屏) □精准推送 □其他",
            V,
            None,
            V,
            None,
        ]
    )
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    book.save(HERE / "xiangshan-compulsory-education.xlsx")


def _wrap(ws):
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def wenchang():
    """文昌市 救灾领域 (city level), the whole table of four items: no 序号 column, columns in
    the page's order (公开主体 before 公开时限, 公开依据 last), 一级事项 救灾 merged over every row,
    the sub-header 特定 (not 特定群体), no 公开层级 columns."""
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["公开事项", None, "公开内容", "公开主体", "公开时限", "公开渠道", "公开依据",
               "公开对象", None, "公开方式", None])  # fmt: skip
    ws.append(["一级事项", "二级事项", None, None, None, None, None, "全社会", "特定", "主动",
               "依申请公开"])  # fmt: skip
    for c in range(3, 8):
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    for a, b in ((1, 2), (8, 9), (10, 11)):
        ws.merge_cells(start_row=1, start_column=a, end_row=1, end_column=b)
    subject = "市应急管理局"
    time = "信息产生、变更之日起20个工作日内公开,保持长期公开(相关政策法规另有规定的应从其规定)"
    channels = "■ 政府网站 ■ 政务服务中心"
    basis = "《中华人民共和国政府信息公开条例》(国务院令第711号)等"
    for level2, elements in (
        ("政策文件", "1.法律法规:与救灾有关的法律、法规"),
        ("备灾管理", "1.综合减灾示范社区:综合减灾示范社区分布情况(其具体位置、创建时间、创建级别等)"),
        ("灾后救助", "1.本行政区域内因自然灾害造成的损失情况(受灾时间、灾害种类、受灾范围、"
         "灾害造成的损失等)"),
        ("款物管理", "1.年度捐赠款物信息以及款物使用情况"),
    ):  # fmt: skip
        ws.append(["救灾", level2, elements, subject, time, channels, basis, V, None, V, None])
    ws.merge_cells("A3:A6")
    _wrap(ws)
    book.save(HERE / "wenchang-disaster-relief.xlsx")


def duodao():
    """荆门市掇刀区 农村危房改造领域 (district level), the whole table of two items; 公开层级
    县级 / 乡、村级. The page shows no mark in the 对象/方式/层级 cells, so none is written."""
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体",
               "公开渠道和载体", "公开对象", None, "公开方式", None, "公开层级", None])  # fmt: skip
    ws.append([None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群众",
               "主动", "依申请公开", "县级", "乡、村级"])  # fmt: skip
    for c in (1, 4, 5, 6, 7, 8):
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    for a, b in ((2, 3), (9, 10), (11, 12), (13, 14)):
        ws.merge_cells(start_row=1, start_column=a, end_row=1, end_column=b)
    time = "信息形成之日起20个工作日内"
    subject = "荆门市掇刀区住房和城乡建设局"
    channels = "高新区(掇刀区)政府网站"
    ws.append([1, "部门文件", "农村危房改造相关文件",
               "文件分类、生成日期、标题、文号、有效性、关键词和具体内容等",
               "《政府信息公开条例》、《关于全面推进政务公开工作的意见》及其实施细则",
               time, subject, channels])  # fmt: skip
    ws.append([2, "条件与标准", "农村危房改造对象申请条件", "农村危房改造农户申请条件",
               "《预算法》、《政府信息公开条例》、《住房城乡建设部 财政部关于印发农村危房改造"
               "脱贫攻坚三年行动方案的通知》、《住房城乡建设部 财政部 国务院扶贫办关于加强和"
               "完善建档立卡贫困户等重点对象农村危房改造若干问题的通知》等",
               time, subject, channels])  # fmt: skip
    _wrap(ws)
    book.save(HERE / "duodao-rural-housing.xlsx")


if __name__ == "__main__":
    puer()
    xiangshan()
    wenchang()
    duodao()
