"""The annual report's states, declared once (RULES §10; runs on core.workflow).

draft → submitted (to the government's openness office) → returned (with a comment) or
accepted → published; a published report is superseded when its correction is published.
Submitting requires every check of the computed tables to pass (reports.services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import T, Workflow
from gongkai.orgs import permissions


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("审核通过")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被更正")


WORKFLOW = Workflow(
    name="reports.annual",
    noun=_("年度报告"),
    initial=[Status.DRAFT],
    org_of=lambda report: report.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("submit", (Status.DRAFT, Status.RETURNED), Status.SUBMITTED, "prepare_report",
          _("报送")),
        T("return", Status.SUBMITTED, Status.RETURNED, "review_report", _("退回")),
        T("accept", Status.SUBMITTED, Status.ACCEPTED, "review_report", _("审核通过")),
        T("publish", Status.ACCEPTED, Status.PUBLISHED, "prepare_report", _("发布")),
        # Taken by publishing the correction, never on its own.
        T("supersede", Status.PUBLISHED, Status.SUPERSEDED, "prepare_report", _("被更正"),
          offered=False),
    ],
)  # fmt: skip
