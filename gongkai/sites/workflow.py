"""The two state machines of the register, declared once each (DESIGN § Conventions 3).

Change request (开设 · 变更 · 关停申请): submitted → approved (the supervising office agrees;
the change is applied in the same transaction) or returned (with the reason); the proposer
may withdraw a request that is still waiting. 国办发〔2018〕123号 三(一): opening, merging and
closing a 政务新媒体 go through the supervising office.

Entry (a website or account of the inventory): active → closed, only as part of an approved
closing request (never a button of its own).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import T, Workflow
from gongkai.orgs import permissions


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已同意")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


CHANGE_REQUEST = Workflow(
    name="sites.request",
    noun=_("开设、变更、关停申请"),
    initial=[RequestStatus.SUBMITTED],
    org_of=lambda r: r.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("approve", RequestStatus.SUBMITTED, RequestStatus.APPROVED, "approve_sites",
          _("同意")),
        T("return", RequestStatus.SUBMITTED, RequestStatus.RETURNED, "approve_sites",
          _("退回")),
        T("withdraw", RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN, "manage_sites",
          _("撤回申请")),
    ],
)  # fmt: skip


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("运行中")
    CLOSED = "closed", _("已关停")


ENTRY = Workflow(
    name="sites.entry",
    noun=_("网站或政务新媒体"),
    initial=[EntryStatus.ACTIVE],
    org_of=lambda e: e.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("close", EntryStatus.ACTIVE, EntryStatus.CLOSED, "approve_sites", _("关停"),
          offered=False),
    ],
)  # fmt: skip
