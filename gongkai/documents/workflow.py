"""The publication workflow, declared once (RULES §1 Art.26; the confidentiality review).

draft → submitted → reviewed (a reviewer of the organisation signs off) → published → withdrawn;
a reviewer may return a submitted document to draft. Only `document_transition` moves a
document between these states.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待保密审查")
    REVIEWED = "reviewed", _("审查通过")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str  # the permission action in gongkai.orgs.permissions
    label: str


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(Status.DRAFT, Status.SUBMITTED, "draft_document", _("提交审查")),
    "return": Transition(Status.SUBMITTED, Status.DRAFT, "review_document", _("退回修改")),
    "approve": Transition(Status.SUBMITTED, Status.REVIEWED, "review_document", _("审查通过")),
    "publish": Transition(Status.REVIEWED, Status.PUBLISHED, "publish_document", _("发布")),
    "withdraw": Transition(Status.PUBLISHED, Status.WITHDRAWN, "withdraw_document", _("撤回")),
}

# Content can change only while nobody has signed off on it.
EDITABLE_STATUSES = frozenset({Status.DRAFT})
