"""GB/T 9704-2012 header parser: the three real samples and synthetic layouts (no database)."""

import datetime as dt
import random
import time
from pathlib import Path

import pytest

from gongkai.documents.gbt9704 import Header, parse_header, split_recipients

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"


def sample(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"sample {path} not available")
    return path.read_text(encoding="utf-8")


# --- the real documents ------------------------------------------------------------------


def test_zhengzhou_sample():
    h = parse_header(sample("zhengzhou-2020-plan.txt"))
    assert h.title == "郑州市人民政府办公厅关于印发2020年政务公开工作要点实施方案的通知"
    assert h.document_number == "郑政办〔2020〕43号"
    assert h.issuer == "郑州市人民政府办公厅"
    assert h.date_signed == dt.date(2020, 9, 2)
    assert h.main_recipients == [
        "各开发区管委会",
        "各区县(市)人民政府",
        "市人民政府各部门",
        "各有关单位",
    ]
    assert h.attachments_note is None
    assert h.doc_type == "notice"
    assert h.warnings == []


def test_zhangye_sample_keeps_the_title_as_printed():
    # 信函格式: "张掖市人民政府办公室" stands alone above the title (the 标志), and the
    # printed title starts with 关于.
    h = parse_header(sample("zhangye-2020-plan.txt"))
    assert h.title == "关于印发张掖市落实政务公开重点工作推进方案的通知"
    assert h.document_number == "张政办函〔2020〕100号"
    assert h.issuer == "张掖市人民政府办公室"
    assert h.date_signed == dt.date(2020, 9, 17)
    assert h.main_recipients == ["各县区人民政府", "市政府各部门", "市直及省属驻张各单位"]
    assert h.doc_type == "notice"
    assert h.warnings == []


def test_jiyuan_sample_is_an_attachment_without_header():
    h = parse_header(sample("jiyuan-2020-division-table.txt"))
    assert h.title == "贯彻落实国务院办公厅2020年政务公开工作要点责任分工"
    assert h.document_number is None
    assert h.issuer == "济源产城融合示范区管理委员会办公室"  # from the 印发 line
    assert h.date_signed == dt.date(2020, 8, 21)  # the 印发日期, as a fallback
    assert h.main_recipients == []
    assert h.doc_type == "other"
    assert any("document_number" in w for w in h.warnings)
    assert any("印发" in w for w in h.warnings)  # says the date is the 印发日期


def test_samples_do_not_take_dates_quoted_in_the_text():
    # jiyuan's table holds "2020年6月30日前" and "2020年11月底前": neither is the date.
    h = parse_header(sample("jiyuan-2020-division-table.txt"))
    assert h.date_signed == dt.date(2020, 8, 21)


# --- synthetic layouts -------------------------------------------------------------------

LONG_PARAGRAPH = (
    "为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步推进决策、执行、管理、服务、"
    "结果公开，2020年6月30日前各单位要完成目录梳理，现提出如下意见。" * 8
)

HTML_DOC = f"""郑州市人民政府关于进一步加强政务公开工作的意见
郑政〔2021〕5号
各县（市、区）人民政府，市人民政府各部门，各有关单位：
{LONG_PARAGRAPH}
一、总体要求。{LONG_PARAGRAPH}
二、重点任务。{LONG_PARAGRAPH}
郑州市人民政府
2021年3月15日
"""


def test_html_single_line_paragraphs():
    h = parse_header(HTML_DOC)
    assert h.title == "郑州市人民政府关于进一步加强政务公开工作的意见"
    assert h.document_number == "郑政〔2021〕5号"
    assert h.issuer == "郑州市人民政府"
    assert h.main_recipients == ["各县（市、区）人民政府", "市人民政府各部门", "各有关单位"]
    assert h.date_signed == dt.date(2021, 3, 15)
    assert h.doc_type == "opinion"
    assert h.warnings == []


def test_chinese_numeral_dates():
    for printed, expected in [
        ("二〇二〇年九月二日", dt.date(2020, 9, 2)),
        ("二○二一年十二月三十一日", dt.date(2021, 12, 31)),
        ("二零一九年十月二十日", dt.date(2019, 10, 20)),
        ("２０２０年９月２日", dt.date(2020, 9, 2)),
    ]:
        text = f"""豫政〔2019〕3号
河南省人民政府关于公布第二批省级历史文化名镇的批复
郑州市人民政府：
你市《关于申报省级历史文化名镇的请示》收悉。现批复如下。
河南省人民政府
{printed}
"""
        h = parse_header(text)
        assert h.date_signed == expected, printed
        assert h.doc_type == "reply"
        assert h.main_recipients == ["郑州市人民政府"]


def test_invalid_date_is_ignored_not_raised():
    h = parse_header("国办发〔2020〕17号\n国务院办公厅关于X的通知\n各省：\n正文。\n2020年2月30日\n")
    assert h.date_signed is None
    assert any("date_signed" in w for w in h.warnings)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("国办发[2020]17号", "国办发〔2020〕17号"),
        ("豫政（2019）3号", "豫政〔2019〕3号"),
        ("豫政(2019)3号", "豫政〔2019〕3号"),
        ("郑政办【2020】第043号", "郑政办〔2020〕43号"),
        ("郑政办 〔2020〕 43 号", "郑政办〔2020〕43号"),
        ("（郑政办〔2020〕43号）", "郑政办〔2020〕43号"),
    ],
)
def test_document_number_brackets(printed, expected):
    h = parse_header(f"{printed}\n\n郑州市人民政府办公厅关于X的通知\n\n各区县：\n\n正文。\n")
    assert h.document_number == expected
    assert h.title == "郑州市人民政府办公厅关于X的通知"


def test_pdf_title_on_three_lines_recipients_on_two_lines_and_page_numbers():
    text = """
000123
机密★1年
特急

郑州市人民政府文件

郑政 〔2020〕 12 号

郑州市人民政府

关于印发郑州市深化政务公开

推进政务服务工作方案

的通知

各县 （市、区）人民政府,市人民政府各部门,

各有关单位:

现将 《郑州市深化政务公开推进政务服务工作方案》印发给你们,请

认真贯彻执行。

— 1 —

郑州市人民政府

2020年6月1日

郑州市深化政务公开推进政务服务工作方案

为贯彻落实……,2020年6月30日前完成。
"""
    h = parse_header(text)
    assert h.title == "郑州市人民政府关于印发郑州市深化政务公开推进政务服务工作方案的通知"
    assert h.document_number == "郑政〔2020〕12号"
    assert h.issuer == "郑州市人民政府"
    assert h.main_recipients == ["各县（市、区）人民政府", "市人民政府各部门", "各有关单位"]
    assert h.date_signed == dt.date(2020, 6, 1)
    assert h.doc_type == "notice"


def test_title_that_forwards_another_notice():
    text = """郑政办〔2020〕7号
郑州市人民政府办公厅关于转发河南省人民政府办公厅关于加强政务公开工作的通知
的通知
各区县人民政府：
现将省政府办公厅通知转发给你们。
2020年3月2日
"""
    h = parse_header(text)
    assert h.title == (
        "郑州市人民政府办公厅关于转发河南省人民政府办公厅关于加强政务公开工作的通知的通知"
    )
    assert h.issuer == "郑州市人民政府办公厅"


def test_attachments_note_with_two_items():
    text = """张掖市人民政府办公室文件
张政办发〔2020〕88号
张掖市人民政府办公室关于印发张掖市政务公开工作考核办法的通知
各县区人民政府，市政府各部门：
现将有关文件印发给你们，请认真贯彻执行。
附件：1.张掖市政务公开工作考核
指标名单
2.张掖市政务公开工作评分表
张掖市人民政府办公室
2020年10月9日
（此件公开发布）
"""
    h = parse_header(text)
    assert h.attachments_note == "1.张掖市政务公开工作考核指标名单 2.张掖市政务公开工作评分表"
    assert h.date_signed == dt.date(2020, 10, 9)
    assert h.issuer == "张掖市人民政府办公室"


def test_single_attachment_and_signature_on_the_date_line():
    text = """国务院办公厅关于印发2020年政务公开工作要点的通知
国办发〔2020〕17号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《2020年政务公开工作要点》已经国务院同意，现印发给你们，请认真贯彻落实。
附件：2020年政务公开工作要点
国务院办公厅   2020年6月28日
"""
    h = parse_header(text)
    assert h.attachments_note == "2020年政务公开工作要点"
    assert h.date_signed == dt.date(2020, 6, 28)
    assert h.issuer == "国务院办公厅"
    assert h.main_recipients == [
        "各省",
        "自治区",
        "直辖市人民政府",
        "国务院各部委",
        "各直属机构",
    ]


def test_order_number_is_not_a_document_number():
    text = """郑州市人民政府令
第235号
《郑州市城市绿化管理办法》已经2020年8月20日市人民政府第45次常务会议审议通过，现予公布，自2020年10月1日起施行。
市长  王新伟
2020年9月2日
"""
    h = parse_header(text)
    assert h.document_number is None
    assert h.doc_type == "order"
    assert h.issuer == "郑州市人民政府"
    assert h.title == "郑州市人民政府令第235号"
    assert h.date_signed == dt.date(2020, 9, 2)
    assert h.main_recipients == []
    assert any("order" in w for w in h.warnings)


def test_request_with_signer_on_the_number_line():
    text = """
郑州市人民政府
郑政文〔2020〕101号          签发人：王新伟
郑州市人民政府关于申请设立政务公开示范点的请示
河南省人民政府：
为推进基层政务公开标准化规范化，特申请设立示范点。妥否，请批示。
郑州市人民政府
2020年5月6日
"""
    h = parse_header(text)
    assert h.document_number == "郑政文〔2020〕101号"
    assert h.title == "郑州市人民政府关于申请设立政务公开示范点的请示"
    assert h.main_recipients == ["河南省人民政府"]
    assert h.doc_type == "request"
    assert h.date_signed == dt.date(2020, 5, 6)


def test_public_notice_without_recipients():
    text = """郑州市公安局关于调整部分道路交通管理措施的通告
为保障道路交通安全畅通，根据有关法律法规，现就有关事项通告如下：
一、自2020年10月1日起，相关路段实行单向通行。
特此通告。
郑州市公安局
2020年9月20日
"""
    h = parse_header(text)
    assert h.title == "郑州市公安局关于调整部分道路交通管理措施的通告"
    assert h.doc_type == "public_notice"
    assert h.main_recipients == []
    assert h.issuer == "郑州市公安局"
    assert h.date_signed == dt.date(2020, 9, 20)
    assert h.document_number is None


def test_long_document_takes_the_date_and_signature_from_the_tail():
    body = "\n".join(
        f"（{i}）各单位要按要求完成第{i}项任务，2020年6月30日前报送。" for i in range(300)
    )
    text = f"""郑州市人民政府文件
郑政〔2020〕9号
郑州市人民政府关于加强数字政府建设的实施意见
各县（市、区）人民政府，市人民政府各部门：
{body}
郑州市人民政府
2020年4月3日
（此件公开发布）
抄送：市委各部门。
郑州市人民政府办公厅                2020年4月7日印发
"""
    assert len(text.encode()) > 15_000  # well past the head
    h = parse_header(text)
    assert h.title == "郑州市人民政府关于加强数字政府建设的实施意见"
    assert h.doc_type == "opinion"
    assert h.date_signed == dt.date(2020, 4, 3)  # 成文日期, not the 印发日期
    assert h.issuer == "郑州市人民政府"  # the 标志, not the 印发机关


def test_title_with_other_type_word():
    text = "郑州市政务公开工作考核办法（试行）\n第一条 为了规范考核，制定本办法。\n"
    h = parse_header(text)
    assert h.title == "郑州市政务公开工作考核办法（试行）"
    assert h.doc_type == "other"


def test_document_with_no_header_at_all():
    text = "为进一步做好政务公开工作，现将有关事项通知如下：\n一、提高认识。各单位要高度重视。\n二、抓好落实。\n"
    h = parse_header(text)
    assert h.title is None
    assert h.document_number is None
    assert h.issuer is None
    assert h.date_signed is None
    assert h.main_recipients == []
    assert h.doc_type is None
    assert {w.split(":")[0] for w in h.warnings} >= {
        "title",
        "document_number",
        "issuer",
        "date_signed",
    }


@pytest.mark.parametrize("text", ["", "   \n\n\t ", None, 42])
def test_empty_input(text):
    h = parse_header(text)
    assert h == Header(warnings=h.warnings)
    assert h.warnings


def test_random_garbage_never_raises():
    rng = random.Random(9704)
    for _ in range(30):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6000)))
        for text in (blob.decode("utf-8", errors="replace"), blob.decode("latin-1")):
            h = parse_header(text)
            assert isinstance(h, Header)
            assert h.document_number is None
    cjk = "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(20_000))
    h = parse_header(cjk)
    assert h.title is None
    assert h.warnings


def test_a_novel_gives_an_empty_header():
    text = "第一章 风起\n\n" + "那天夜里，雨下得很大。他推开门，看见院子里站着一个人。\n" * 500
    h = parse_header(text)
    assert (h.title, h.document_number, h.issuer, h.date_signed) == (None, None, None, None)
    assert h.main_recipients == []
    assert h.warnings


def test_split_recipients_respects_brackets():
    assert split_recipients("各县〔市、区〕政府、市直各单位，各有关单位:") == [
        "各县〔市、区〕政府",
        "市直各单位",
        "各有关单位",
    ]


def test_doc_types_are_document_doctype_values():
    from gongkai.documents.gbt9704 import _TYPE_BY_WORD
    from gongkai.documents.models import Document

    assert {value for _, value in _TYPE_BY_WORD} | {"other"} <= set(Document.DocType.values)
    assert len({value for _, value in _TYPE_BY_WORD}) == 15


def test_speed_of_a_20kb_document():
    # No time assertion (CI machines vary); the measured figure is printed with -s.
    text = sample_or_synthetic_20kb()
    assert len(text.encode()) >= 20_000
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        h = parse_header(text)
    per_doc = (time.perf_counter() - start) / runs
    print(f"parse_header: {per_doc * 1e6:.0f} µs per 20 KB document")
    assert h.title == "郑州市人民政府关于加强数字政府建设的实施意见"


def sample_or_synthetic_20kb() -> str:
    body = "\n\n".join(
        f"（{i}）各单位要按照要求完成第{i}项任务,2020年6月30日前报送工作进展情况。"
        for i in range(450)
    )
    return f"""郑州市人民政府文件

郑政〔2020〕9号

郑州市人民政府关于加强数字政府建设的实施意见

各县（市、区）人民政府，市人民政府各部门：

{body}

郑州市人民政府

2020年4月3日

郑州市人民政府办公厅 2020年4月7日印发
"""
