"""The publication workflow, declared once (RULES §1 Art.26; the confidentiality review).

draft → submitted → reviewed (a reviewer of the organisation signs off) → published → withdrawn;
a reviewer may return a submitted document to draft. Only the kernel (`core.workflow`, through
`document_transition` and `document_import`) moves a document between these states.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import T, Workflow
from gongkai.orgs import permissions


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待保密审查")
    REVIEWED = "reviewed", _("审查通过")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


WORKFLOW = Workflow(
    name="document",
    noun=_("文件"),
    initial=[Status.DRAFT],
    org_of=lambda document: document.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("submit", Status.DRAFT, Status.SUBMITTED, "draft_document", _("提交审查")),
        T("return", Status.SUBMITTED, Status.DRAFT, "review_document", _("退回修改")),
        T("approve", Status.SUBMITTED, Status.REVIEWED, "review_document", _("审查通过")),
        T("publish", Status.REVIEWED, Status.PUBLISHED, "publish_document", _("发布")),
        T("withdraw", Status.PUBLISHED, Status.WITHDRAWN, "withdraw_document", _("撤回")),
        # Bringing in a document published elsewhere (bulk import, the office's own bulletins):
        # one step from the draft just made, with the import's own checks (document_import).
        T(
            "import_publish", Status.DRAFT, Status.PUBLISHED, "publish_document",
            _("导入并发布"), offered=False,
        ),
        T(
            "import_submit", Status.DRAFT, Status.SUBMITTED, "draft_document",
            _("导入并提交审查"), offered=False,
        ),
    ],
)  # fmt: skip

# Content can change only while nobody has signed off on it.
EDITABLE_STATUSES = frozenset({Status.DRAFT})
