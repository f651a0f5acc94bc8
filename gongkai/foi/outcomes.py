"""The outcomes of a disclosure request: exactly the leaf rows of the annual report (RULES §3).

Section 三 of the national annual-report format (国办公开办函〔2021〕30号) counts every closed
request in exactly one leaf row, so a request's outcome *is* one of these leaves; the report
is then a GROUP BY, never a reclassification. Each leaf also names the Art.36 reply kind the
reply letter takes and the legal basis it cites.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    # (一) 予以公开 — Art.36(1)/(2)
    DISCLOSED = "disclosed", _("予以公开")
    # (二) 部分公开 — Art.37
    PARTIAL = "partial", _("部分公开")
    # (三) 不予公开
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("不予公开：属于国家秘密")
    WITHHELD_LAW_FORBIDS = "withheld_law_forbids", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "withheld_security", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld_internal", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld_process", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT = "withheld_enforcement", _("不予公开：属于行政执法案卷")
    WITHHELD_QUERY = "withheld_query", _("不予公开：属于行政查询事项")
    # (四) 无法提供
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATION = (
        "unavailable_needs_creation",
        _("无法提供：没有现成信息需要另行制作"),
    )
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("无法提供：补正后申请内容仍不明确")
    # (五) 不予处理
    NOT_PROCESSED_PETITION = "not_processed_petition", _("不予处理：信访举报投诉类申请")
    NOT_PROCESSED_REPEATED = "not_processed_repeated", _("不予处理：重复申请")
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", _("不予处理：要求提供公开出版物")
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", _("不予处理：无正当理由大量反复申请")
    NOT_PROCESSED_CONFIRMATION = (
        "not_processed_confirmation",
        _("不予处理：要求行政机关确认或重新出具已获取信息"),
    )
    # (六) 其他处理
    OTHER_CLARIFICATION_LAPSED = (
        "other_clarification_lapsed",
        _("其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )
    OTHER_FEE_UNPAID = (
        "other_fee_unpaid",
        _("其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "other", _("其他处理：其他")


@dataclass(frozen=True)
class Row:
    """Where an outcome sits in the annual report, and what its letter says in law."""

    group: str  # "一" … "六": the report's (一)…(六)
    group_label: str
    item: int  # 1-based leaf number inside the group; 0 when the group is itself the leaf
    reply_kind: str  # the Art.36 item the reply falls under, e.g. "36(3)"
    basis: str  # the articles the letter cites


ROWS: dict[str, Row] = {
    Outcome.DISCLOSED: Row("一", "予以公开", 0, "36(2)", "第三十三条、第三十六条第（二）项"),
    Outcome.PARTIAL: Row(
        "二", "部分公开", 0, "36(2)", "第三十三条、第三十六条第（二）项、第三十七条"
    ),
    Outcome.WITHHELD_STATE_SECRET: Row(
        "三", "不予公开", 1, "36(3)", "第十四条、第三十六条第（三）项"
    ),
    Outcome.WITHHELD_LAW_FORBIDS: Row(
        "三", "不予公开", 2, "36(3)", "第十四条、第三十六条第（三）项"
    ),
    Outcome.WITHHELD_SECURITY: Row("三", "不予公开", 3, "36(3)", "第十四条、第三十六条第（三）项"),
    Outcome.WITHHELD_THIRD_PARTY: Row(
        "三", "不予公开", 4, "36(3)", "第十五条、第三十二条、第三十六条第（三）项"
    ),
    Outcome.WITHHELD_INTERNAL: Row(
        "三", "不予公开", 5, "36(3)", "第十六条第一款、第三十六条第（三）项"
    ),
    Outcome.WITHHELD_PROCESS: Row(
        "三", "不予公开", 6, "36(3)", "第十六条第二款、第三十六条第（三）项"
    ),
    Outcome.WITHHELD_ENFORCEMENT: Row(
        "三", "不予公开", 7, "36(3)", "第十六条第二款、第三十六条第（三）项"
    ),
    Outcome.WITHHELD_QUERY: Row("三", "不予公开", 8, "36(7)", "第三十六条第（七）项"),
    Outcome.UNAVAILABLE_NOT_HELD: Row("四", "无法提供", 1, "36(4)", "第三十六条第（四）项"),
    Outcome.UNAVAILABLE_NEEDS_CREATION: Row("四", "无法提供", 2, "38", "第三十八条"),
    Outcome.UNAVAILABLE_UNCLEAR: Row("四", "无法提供", 3, "30", "第三十条"),
    Outcome.NOT_PROCESSED_PETITION: Row("五", "不予处理", 1, "39", "第三十九条第一款"),
    Outcome.NOT_PROCESSED_REPEATED: Row("五", "不予处理", 2, "36(6)", "第三十六条第（六）项"),
    Outcome.NOT_PROCESSED_PUBLICATION: Row("五", "不予处理", 3, "39", "第三十九条第二款"),
    Outcome.NOT_PROCESSED_EXCESSIVE: Row("五", "不予处理", 4, "35", "第三十五条"),
    Outcome.NOT_PROCESSED_CONFIRMATION: Row("五", "不予处理", 5, "38", "第三十八条"),
    Outcome.OTHER_CLARIFICATION_LAPSED: Row("六", "其他处理", 1, "30", "第三十条"),
    Outcome.OTHER_FEE_UNPAID: Row("六", "其他处理", 2, "42", "第四十二条"),
    Outcome.OTHER: Row("六", "其他处理", 3, "", ""),
}

# Outcomes the system sets itself when a period lapses; a handler never picks them in a reply.
LAPSE_OUTCOMES = frozenset({Outcome.OTHER_CLARIFICATION_LAPSED, Outcome.OTHER_FEE_UNPAID})
# Outcomes for which information is given to the applicant (the letter says how).
PROVIDING_OUTCOMES = frozenset({Outcome.DISCLOSED, Outcome.PARTIAL})


class ApplicantKind(models.TextChoices):
    """The annual report's columns: 自然人, then the five kinds of 法人或其他组织."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMPANY = "company", _("商业企业")
    RESEARCH = "research", _("科研机构")
    NONPROFIT = "nonprofit", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")
