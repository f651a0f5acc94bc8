"""Letters to applicants and third parties: editable templates, composition, DOCX and PDF.

A letter is written in three steps:

1. ``default_template(kind, outcome)`` gives the Django-template text an office starts from
   (plain text, one paragraph per block, blocks separated by a blank line). Offices may edit
   and store their own version; it is rendered the same way.
2. ``compose(...)`` renders that text with a context (autoescape OFF: the result is plain
   text) and returns a ``LetterDocument``: title, number, recipient line, paragraphs,
   signature, date.
3. ``to_docx(letter)`` / ``to_pdf(letter)`` write it out. Both escape the text themselves, so
   "<script>&" in an applicant's description prints literally.

Context variables the templates may use (all strings; ``compose`` formats ``datetime.date``
values as "2026年11月21日", numbers with ``str``, ``None`` as ""; a list is joined with line
breaks, except ``fee_lines``, which stays a list of str). A missing variable renders as "".

==========================  ===========================================================
org_name                    the answering office (行政机关名称)
org_address, org_phone      its address and telephone, for the contact line
applicant_name              the applicant (person or organisation)
request_number              the request's number (申请编号)
received_date               date of receipt under Art.31
description                 what the applicant asked for, in the applicant's words
document_number             the asked-for document's number, when known (文号)
letter_number               this letter's number (defaults to ``compose(number=...)``)
letter_date                 this letter's date (defaults to ``compose(date=...)``)
outcome_label               the outcome's label, e.g. "部分公开"
basis                       the articles cited, e.g. ``outcomes.ROWS[outcome].basis``
reason                      why (withheld parts, extension cause, clarification, …)
provision                   how and when the information is provided, or where to get it
review_body                 the administrative review body (行政复议机关)
court                       the court for administrative litigation
review_days                 review period in days (default in the text: 60)
litigation_months           litigation period in months (default in the text: 6)
transfer_org_name           Art.36(5): the competent office, when known
transfer_org_contact        …and its contact
clarification_items         Art.30: what must be corrected (one item per line)
answer_by                   date by which the correction / third-party opinion is due
extension_days              Art.33: working days added (default in the text: 20)
new_due_date                the new reply date after the extension
third_party_name            Art.32: the third party consulted
fee_lines                   RULES §2: list of str, one line per charge
fee_total                   total amount in yuan, a number without unit ("300.00")
pay_by                      payment due date
payment_instructions        how to pay (account, QR code place, counter)
due_date                    the reply due date (acknowledgement)
==========================  ===========================================================

Which kind uses which variables: see ``KIND_VARIABLES``.

Remedies (Art.51: complaint, administrative review, administrative litigation) close every
reply, for every one of the 21 outcomes — including the lapse outcomes in
``outcomes.LAPSE_OUTCOMES``: "不再处理" ends the applicant's request, which is an act the
applicant may contest (e.g. that the correction or payment did arrive in time). Among the
notices only the fee notice is a decision of its own (it imposes a charge) and carries them;
acknowledgement, clarification, extension and third-party consultation are procedural steps.

PDF fonts: WeasyPrint renders ``templates/foi/letter.html`` with ``@font-face`` rules whose
sources are ``local("Noto Serif CJK SC")`` then the ``.ttc`` file of Debian's fonts-noto-cjk,
with ``base_url`` set to that font directory and a URL fetcher that refuses anything but
files inside it: no network, ever. WeasyPrint subsets and embeds the font (FontFile3).
``lang="zh-CN"`` matters: a ``.ttc`` loaded through ``@font-face`` opens at its first face
(JP), and only the language makes Pango pick the Simplified Chinese glyph forms.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from gongkai.core.exceptions import ApplicationError
from gongkai.core.office import (
    BODY_FONT,
    FONT_FILES,
    TITLE_FONT,
)
from gongkai.core.office import LINE_PT as _LINE_PT
from gongkai.core.office import add_alt_names as _add_alt_names
from gongkai.core.office import font_dir as _font_dir
from gongkai.core.office import local_fetcher as _local_fetcher
from gongkai.core.office import set_fonts as _set_fonts
from gongkai.core.office import weasyprint_module as _weasyprint

from .outcomes import Outcome

logger = logging.getLogger(__name__)


TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


class LetterKind(models.TextChoices):
    REPLY = "reply", _("政府信息公开申请答复书")
    CLARIFICATION = "clarification", _("补正申请通知书")  # Art.30
    EXTENSION = "extension", _("延期答复告知书")  # Art.33
    THIRD_PARTY = "third_party", _("征求第三方意见书")  # Art.32, to the third party
    FEE = "fee", _("收费通知书")  # RULES §2
    ACKNOWLEDGEMENT = "acknowledgement", _("受理回执")


# The printed titles are Chinese whatever the interface language: a letter is a legal act.
TITLES = {
    LetterKind.REPLY: "政府信息公开申请答复书",
    LetterKind.CLARIFICATION: "政府信息公开申请补正通知书",
    LetterKind.EXTENSION: "政府信息公开申请延期答复告知书",
    LetterKind.THIRD_PARTY: "政府信息公开征求第三方意见书",
    LetterKind.FEE: "政府信息公开信息处理费收费通知书",
    LetterKind.ACKNOWLEDGEMENT: "政府信息公开申请受理回执",
}

_COMMON = ("org_name", "org_address", "org_phone", "request_number", "received_date")
_REMEDY_VARS = ("review_body", "review_days", "court", "litigation_months")
# What each kind's default template uses (an edited template may use any variable).
KIND_VARIABLES: dict[str, tuple[str, ...]] = {
    LetterKind.REPLY: (
        *_COMMON,
        "description",
        "document_number",
        "basis",
        "reason",
        "provision",
        "transfer_org_name",
        "transfer_org_contact",
        "answer_by",
        "pay_by",
        *_REMEDY_VARS,
    ),
    LetterKind.CLARIFICATION: (*_COMMON, "description", "clarification_items", "answer_by"),
    LetterKind.EXTENSION: (
        *_COMMON,
        "description",
        "reason",
        "extension_days",
        "new_due_date",
    ),
    LetterKind.THIRD_PARTY: (*_COMMON, "description", "reason", "answer_by"),
    LetterKind.FEE: (
        *_COMMON,
        "fee_lines",
        "fee_total",
        "pay_by",
        "payment_instructions",
        *_REMEDY_VARS,
    ),
    LetterKind.ACKNOWLEDGEMENT: (*_COMMON, "description", "document_number", "due_date"),
}

# ---------------------------------------------------------------------------------------------
# Default templates. Conditionals sit inside a paragraph or on lines of their own (an empty
# block only adds blank lines, and empty paragraphs are dropped).

_LAW = "《中华人民共和国政府信息公开条例》"

_INTRO = (
    "本机关于{{ received_date }}收到您提出的政府信息公开申请"
    "{% if request_number %}（申请编号：{{ request_number }}）{% endif %}，"
    "申请获取“{{ description }}”"
    "{% if document_number %}（文号：{{ document_number }}）{% endif %}。现答复如下："
)

_CONTACT = (
    "{% if org_phone %}联系电话：{{ org_phone }}{% endif %}"
    "{% if org_phone and org_address %}；{% endif %}"
    "{% if org_address %}通讯地址：{{ org_address }}{% endif %}"
)


def _remedies(act: str, paper: str) -> str:
    """Art.51, with the Administrative Review Law's 60 days and the Administrative Litigation
    Law's 6 months as the text's defaults (RULES §1: editable)."""
    return (
        f"如对{act}不服，您可以向{{{{ org_name|default:'本机关' }}}}的上一级行政机关或者"
        f"政府信息公开工作主管部门投诉、举报；也可以自收到{paper}之日起"
        "{{ review_days|default:'60' }}日内向{{ review_body|default:'有管辖权的行政复议机关' }}"
        f"申请行政复议，或者自收到{paper}之日起{{{{ litigation_months|default:'6' }}}}个月内"
        "向{{ court|default:'有管辖权的人民法院' }}提起行政诉讼。"
    )


def _reply(*decision: str) -> str:
    return "\n\n".join((_INTRO, *decision, _remedies("本答复", "本答复书"), "特此答复。", _CONTACT))


def _withheld(finding: str) -> str:
    return _reply(
        f"经审查，您申请获取的政府信息{finding}。根据{_LAW}{{{{ basis }}}}的规定，"
        "本机关决定不予公开。{% if reason %}具体理由：{{ reason }}{% endif %}"
    )


def _not_processed(finding: str, decision: str) -> str:
    return _reply(
        f"经审查，{finding}根据{_LAW}{{{{ basis }}}}的规定，{decision}"
        "{% if reason %}{{ reason }}{% endif %}"
    )


_REPLIES: dict[str, str] = {
    # (一) Art.36(1)/(2)
    Outcome.DISCLOSED: _reply(
        f"经审查，您申请获取的政府信息属于公开范围。根据{_LAW}{{{{ basis }}}}的规定，"
        "本机关决定予以公开。"
        "{% if provision %}{{ provision }}{% else %}现将该信息随本答复书一并提供给您。{% endif %}"
    ),
    # (二) Art.33, 36(2), 37: which parts are withheld and why; how the rest is provided.
    Outcome.PARTIAL: _reply(
        "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。"
        f"根据{_LAW}{{{{ basis }}}}的规定，本机关决定部分公开，对可以公开的内容予以公开，"
        "对不应当公开的内容不予公开，具体如下：",
        "一、不予公开的内容及理由：{{ reason }}",
        "二、予以公开的内容及提供方式："
        "{% if provision %}{{ provision }}{% else %}随本答复书一并提供给您。{% endif %}",
    ),
    # (三) Art.14–16, 36(3)
    Outcome.WITHHELD_STATE_SECRET: _withheld("属于依法确定为国家秘密的政府信息"),
    Outcome.WITHHELD_LAW_FORBIDS: _withheld("属于法律、行政法规禁止公开的政府信息"),
    Outcome.WITHHELD_SECURITY: _withheld("公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    Outcome.WITHHELD_THIRD_PARTY: _withheld(
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容，"
        "第三方不同意公开，且不公开不会对公共利益造成重大影响"
    ),
    Outcome.WITHHELD_INTERNAL: _withheld(
        "属于行政机关的人事管理、后勤管理、内部工作流程等方面的内部事务信息"
    ),
    Outcome.WITHHELD_PROCESS: _withheld(
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等"
        "过程性信息，且法律、法规、规章未规定应当公开"
    ),
    Outcome.WITHHELD_ENFORCEMENT: _withheld(
        "属于行政执法案卷信息，且法律、法规、规章未规定应当公开"
    ),
    # Art.36(7): registration records governed by a special law.
    Outcome.WITHHELD_QUERY: _reply(
        "经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对该信息的"
        f"获取有特别规定。根据{_LAW}{{{{ basis }}}}的规定，本机关不予公开，"
        "请您依照有关法律、行政法规的规定办理查询。"
        "{% if provision %}{{ provision }}{% endif %}"
    ),
    # (四) Art.36(4); Art.36(5) when the competent office is named.
    Outcome.UNAVAILABLE_NOT_HELD: _reply(
        "{% if transfer_org_name %}"
        "经审查，您申请获取的政府信息不属于本机关负责公开。"
        f"根据{_LAW}第三十六条第（五）项的规定，特此告知："
        "该信息由{{ transfer_org_name }}负责公开"
        "{% if transfer_org_contact %}（联系方式：{{ transfer_org_contact }}）{% endif %}，"
        "您可以向该机关提出申请。{% if reason %}{{ reason }}{% endif %}"
        "{% else %}"
        "经检索，本机关未制作或者获取您申请的政府信息。"
        f"根据{_LAW}{{{{ basis }}}}的规定，本机关告知您，该政府信息不存在。"
        "{% if reason %}{{ reason }}{% endif %}"
        "{% endif %}"
    ),
    Outcome.UNAVAILABLE_NEEDS_CREATION: _reply(
        "经审查，本机关没有您申请的现成信息，需要对现有政府信息进行加工、分析才能形成。"
        f"根据{_LAW}{{{{ basis }}}}的规定，本机关不予提供。"
        "{% if reason %}{{ reason }}{% endif %}"
    ),
    Outcome.UNAVAILABLE_UNCLEAR: _reply(
        "本机关已书面通知您对申请内容作出补正。经审查，补正后的申请内容仍不明确，"
        "本机关无法据此确定您所申请的政府信息。"
        f"根据{_LAW}{{{{ basis }}}}的规定，本机关无法提供。"
        "{% if reason %}{{ reason }}{% endif %}"
    ),
    # (五)
    Outcome.NOT_PROCESSED_PETITION: _not_processed(
        "您提出的申请实质上是以政府信息公开申请的形式进行信访、投诉、举报等活动，"
        "不属于政府信息公开申请。",
        "本机关不作为政府信息公开申请处理，请您按照信访、投诉、举报等有关规定的渠道提出。",
    ),
    Outcome.NOT_PROCESSED_REPEATED: _not_processed(
        "本机关已就您申请公开的政府信息作出过答复，您再次申请公开相同的政府信息。",
        "本机关不予重复处理。",
    ),
    Outcome.NOT_PROCESSED_PUBLICATION: _reply(
        "经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。"
        f"根据{_LAW}{{{{ basis }}}}的规定，本机关不作为政府信息公开申请处理，"
        "现告知您获取的途径：{% if provision %}{{ provision }}{% else %}"
        "您可以通过公开发行渠道或者公共图书馆、档案馆等场所获取。{% endif %}"
    ),
    Outcome.NOT_PROCESSED_EXCESSIVE: _not_processed(
        "您申请公开政府信息的数量、频次明显超过合理范围。本机关已要求您说明理由，"
        "您说明的理由不合理。",
        "本机关不予处理。",
    ),
    Outcome.NOT_PROCESSED_CONFIRMATION: _not_processed(
        "您的申请是要求本机关对您已获取的信息进行确认或者重新出具，"
        "不属于获取本机关已制作或者获取的政府信息的申请。",
        "本机关不予处理。",
    ),
    # (六)
    Outcome.OTHER_CLARIFICATION_LAPSED: _reply(
        "本机关已书面通知您对申请内容作出补正"
        "{% if answer_by %}，补正期限至{{ answer_by }}{% endif %}。"
        "您无正当理由逾期未补正，"
        f"根据{_LAW}{{{{ basis }}}}的规定，视为您放弃申请，"
        "本机关不再处理您的该项政府信息公开申请。"
    ),
    Outcome.OTHER_FEE_UNPAID: _reply(
        "本机关已向您发出信息处理费收费通知"
        "{% if pay_by %}，缴费期限至{{ pay_by }}{% endif %}。"
        "您逾期未按收费通知要求缴纳费用，"
        f"根据{_LAW}{{{{ basis }}}}和《政府信息公开信息处理费管理办法》的规定，"
        "视为您放弃申请，本机关不再处理您的该项政府信息公开申请。"
    ),
    Outcome.OTHER: _reply(
        "经审查，{% if reason %}{{ reason }}{% endif %}"
        f"{{% if basis %}}根据{_LAW}{{{{ basis }}}}的规定，{{% endif %}}"
        "本机关作出如下处理：{{ provision }}"
    ),
}

_NOTICES: dict[str, str] = {
    # Art.30: once, everything at once, with a reasonable period; the clock restarts.
    LetterKind.CLARIFICATION: "\n\n".join(
        (
            "本机关于{{ received_date }}收到您提出的政府信息公开申请"
            "{% if request_number %}（申请编号：{{ request_number }}）{% endif %}"
            "{% if description %}，申请获取“{{ description }}”{% endif %}。"
            "经审查，您的申请内容不够明确，本机关无法据此确定您所需要的政府信息。"
            f"根据{_LAW}第三十条的规定，请您对申请作出如下补正：",
            "{{ clarification_items }}",
            "请您于{{ answer_by }}前将补正后的申请提交本机关。答复期限自本机关收到补正后的"
            "申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理您的该项"
            "政府信息公开申请。",
            "特此通知。",
            _CONTACT,
        )
    ),
    # Art.33(2): one extension, at most 20 working days, with the head's consent.
    LetterKind.EXTENSION: "\n\n".join(
        (
            "本机关于{{ received_date }}收到您提出的政府信息公开申请"
            "{% if request_number %}（申请编号：{{ request_number }}）{% endif %}"
            "{% if description %}，申请获取“{{ description }}”{% endif %}。"
            "{% if reason %}因{{ reason }}，{% endif %}本机关不能在规定期限内作出答复。"
            f"经本机关政府信息公开工作机构负责人同意，根据{_LAW}第三十三条第二款的规定，"
            "答复期限延长{{ extension_days|default:'20' }}个工作日，"
            "本机关将于{{ new_due_date }}前作出答复。",
            "特此告知。",
            _CONTACT,
        )
    ),
    # Art.32: addressed to the third party; the applicant is not named to it.
    LetterKind.THIRD_PARTY: "\n\n".join(
        (
            "本机关于{{ received_date }}收到一项政府信息公开申请"
            "{% if request_number %}（申请编号：{{ request_number }}）{% endif %}，"
            "申请获取“{{ description }}”。经审查，该信息"
            "{% if reason %}{{ reason }}，{% endif %}"
            "可能涉及贵方的商业秘密、个人隐私等合法权益，公开后可能损害贵方合法权益。"
            f"根据{_LAW}第三十二条的规定，现书面征求贵方意见。",
            "请贵方自收到本意见书之日起15个工作日内"
            "{% if answer_by %}（即{{ answer_by }}前）{% endif %}"
            "书面答复是否同意公开；不同意公开的，请说明理由。逾期未提出意见的，"
            f"由本机关依照{_LAW}的规定决定是否公开。",
            "第三方不同意公开且有合理理由的，本机关不予公开；但本机关认为不公开可能对公共利益"
            "造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。",
            "特此函询。",
            _CONTACT,
        )
    ),
    # Art.42 and 国办函〔2020〕109号 (RULES §2). A decision: remedies follow.
    LetterKind.FEE: "\n\n".join(
        (
            "本机关于{{ received_date }}收到您提出的政府信息公开申请"
            "{% if request_number %}（申请编号：{{ request_number }}）{% endif %}。"
            "经审查，您申请公开政府信息的数量、频次明显超过合理范围。"
            f"根据{_LAW}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
            "的规定，本机关依法收取信息处理费，具体如下：",
            "{% for line in fee_lines %}{{ line }}\n{% endfor %}合计：{{ fee_total }}元。",
            "请您于{{ pay_by }}前缴纳。{% if payment_instructions %}缴费方式："
            "{{ payment_instructions }}{% endif %}",
            "您逾期未缴纳的，视为放弃申请，本机关不再处理您的该项政府信息公开申请。",
            _remedies("本通知", "本通知书"),
            "特此通知。",
            _CONTACT,
        )
    ),
    LetterKind.ACKNOWLEDGEMENT: "\n\n".join(
        (
            "本机关于{{ received_date }}收到您提出的政府信息公开申请，"
            "申请获取“{{ description }}”"
            "{% if document_number %}（文号：{{ document_number }}）{% endif %}。"
            "申请编号：{{ request_number }}。",
            f"根据{_LAW}第三十三条的规定，本机关将于{{{{ due_date }}}}前作出答复。"
            "需要补正申请、征求第三方或者其他机关意见、延长答复期限的，本机关将另行书面告知。",
            "请妥善保存本回执，凭申请编号查询办理进度。",
            _CONTACT,
        )
    ),
}


def default_template(kind: str, outcome: str = "") -> str:
    """The default template text of a letter kind; for a reply, of an outcome."""
    if kind == LetterKind.REPLY:
        try:
            return _REPLIES[Outcome(outcome)]
        except ValueError:
            raise ApplicationError(
                _("未知的办理结果：%(o)s") % {"o": outcome}, code="unknown_outcome"
            ) from None
    try:
        return _NOTICES[LetterKind(kind)]
    except ValueError:
        raise ApplicationError(
            _("未知的文书种类：%(k)s") % {"k": kind}, code="unknown_letter_kind"
        ) from None


def title_for(kind: str) -> str:
    try:
        return TITLES[LetterKind(kind)]
    except ValueError:
        raise ApplicationError(
            _("未知的文书种类：%(k)s") % {"k": kind}, code="unknown_letter_kind"
        ) from None


# ---------------------------------------------------------------------------------------------
# Composition


@dataclass(frozen=True)
class LetterDocument:
    title: str  # e.g. "政府信息公开申请答复书"
    number: str  # the letter's number, e.g. "示教依申请〔2026〕3号"; may be ""
    recipient: str  # "张三："
    paragraphs: tuple[str, ...]
    signature: str  # the office's name
    date: str  # "2026年11月21日"
    seal_note: str = "（印章）"


def format_date(value: dt.date) -> str:
    """GB/T 9704: Arabic numerals, no leading zeros."""
    return f"{value.year}年{value.month}月{value.day}日"


# XML 1.0 cannot hold these (python-docx refuses them; WeasyPrint's parser drops them).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BLANK_LINE_RE = re.compile(r"\n[ \t\u3000]*\n")

# Plain text in, plain text out: no autoescaping, no template loaders, no custom libraries.
_TEXT_ENGINE = Engine(autoescape=False)


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    return _CONTROL_RE.sub("", str(value))


def _normalise(context: dict) -> dict:
    out = {}
    for key, value in context.items():
        if key == "fee_lines":
            out[key] = [_plain(v) for v in (value or ())]
        elif isinstance(value, list | tuple):
            out[key] = "\n".join(_plain(v) for v in value)
        else:
            out[key] = _plain(value)
    return out


def _paragraphs(text: str) -> tuple[str, ...]:
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = []
    for block in _BLANK_LINE_RE.split(text):
        lines = [line.strip() for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return tuple(paragraphs)


def compose(
    *,
    kind: str,
    template_text: str,
    context: dict,
    number: str,
    recipient: str,
    signature: str,
    date: dt.date,
) -> LetterDocument:
    """Render a letter's template text into a LetterDocument (see the module docstring)."""
    title = title_for(kind)
    values = _normalise(context)
    values.setdefault("letter_number", number or "")
    values.setdefault("letter_date", format_date(date))
    try:
        text = _TEXT_ENGINE.from_string(template_text).render(Context(values, autoescape=False))
    except TemplateSyntaxError as exc:
        raise ApplicationError(
            _("文书模板有语法错误，请检查模板标记：%(error)s") % {"error": exc},
            code="letter_template_syntax",
        ) from None
    recipient = _plain(recipient).strip()
    if recipient and not recipient.endswith(("：", ":")):
        recipient += "："
    return LetterDocument(
        title=title,
        number=_plain(number).strip(),
        recipient=recipient,
        paragraphs=_paragraphs(text),
        signature=_plain(signature).strip(),
        date=format_date(date),
    )


# ---------------------------------------------------------------------------------------------
# DOCX (GB/T 9704-2012-like: A4, type area 156 × 225 mm, 22 lines of 28 characters)


def to_docx(letter: LetterDocument) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    # Document defaults and Normal: 仿宋_GB2312 三号, zh-CN, no theme fonts.
    styles_root = document.styles.element
    rpr_default = styles_root.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    if rpr_default is not None:
        _set_fonts(rpr_default, BODY_FONT)
        rpr = rpr_default.find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    _set_fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(16)
    _add_alt_names(document)

    def paragraph(text, *, font=BODY_FONT, size=16, bold=False, align=None, indent=False):
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(_LINE_PT)
        if align is not None:
            p.alignment = align
        if indent:
            fmt.first_line_indent = Pt(size * 2)
            ind = p._p.get_or_add_pPr().get_or_add_ind()
            ind.set(qn("w:firstLineChars"), "200")  # 2 characters, whatever the font size
        for i, line in enumerate(text.split("\n")):
            if i:
                p.runs[-1].add_break()
            run = p.add_run(line)
            run.font.size = Pt(size)
            run.bold = bold or None
            _set_fonts(run._r, font)
        return p

    paragraph(letter.title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    if letter.number:
        paragraph(letter.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("")
    if letter.recipient:
        paragraph(letter.recipient)
    for text in letter.paragraphs:
        paragraph(text, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph("")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for text in (letter.seal_note, letter.signature, letter.date):
        if text:
            p = paragraph(text, align=right)
            p.paragraph_format.right_indent = Pt(32)

    props = document.core_properties
    props.title = letter.title
    props.author = props.last_modified_by = letter.signature
    props.subject = letter.number
    props.comments = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF


_HTML_ENGINE = Engine(dirs=[str(TEMPLATE_DIR)], autoescape=True)


def to_pdf(letter: LetterDocument) -> bytes:
    font_dir = _font_dir()
    weasyprint = _weasyprint()
    html = _HTML_ENGINE.get_template("foi/letter.html").render(
        Context(
            {"letter": letter, "font_regular": FONT_FILES[400], "font_bold": FONT_FILES[700]},
            autoescape=True,
        )
    )
    root = font_dir.resolve()
    document = weasyprint.HTML(
        string=html,
        base_url=root.as_uri() + "/",
        url_fetcher=_local_fetcher(root),
    )
    return document.write_pdf()
