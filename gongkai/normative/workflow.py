"""Validity of normative documents and the clean-up campaign workflow, declared once.

Validity (RULES §5): 有效 → 已修改 (amended by a later document, still in force as amended) →
废止 (repealed) / 失效 (expired, or declared so by a clean-up). A repealed or expired document
stays online, marked, linked to what replaced it. Changes are dated: a relation takes effect on
the new document's effective date, applied by `gongkai normative-apply-effects`.

A clean-up campaign (清理) is open while decisions are recorded, then published once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import T, Workflow
from gongkai.documents.models import Document
from gongkai.orgs import permissions

Validity = Document.Validity

# "Currently valid" on the public database: still in force, amended or not.
IN_FORCE = (Validity.VALID, Validity.AMENDED)


class RelationKind(models.TextChoices):
    AMENDS = "amends", _("修改")
    REPEALS = "repeals", _("废止")
    REPLACES = "replaces", _("替代")


# What the older document becomes when the relation takes effect.
RELATION_EFFECT = {
    RelationKind.AMENDS: Validity.AMENDED,
    RelationKind.REPEALS: Validity.REPEALED,
    RelationKind.REPLACES: Validity.REPEALED,
}


class Decision(models.TextChoices):
    CONTINUE = "continue", _("继续有效")
    AMEND = "amend", _("拟修改")
    REPEAL = "repeal", _("废止")
    EXPIRE = "expire", _("宣布失效")


# What a published clean-up decision does to the document's validity (None: unchanged).
DECISION_EFFECT = {
    Decision.CONTINUE: None,
    Decision.AMEND: None,  # in force until the amending document takes effect
    Decision.REPEAL: Validity.REPEALED,
    Decision.EXPIRE: Validity.EXPIRED,
}


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("清理中")
    PUBLISHED = "published", _("已公布结果")


CAMPAIGN_WORKFLOW = Workflow(
    name="normative.campaign",
    noun=_("清理工作"),
    initial=[CampaignStatus.OPEN],
    org_of=lambda campaign: campaign.org,
    can=permissions.can,
    select_related=("org",),
    transitions=[
        T("publish", CampaignStatus.OPEN, CampaignStatus.PUBLISHED, "manage_cleanup",
          _("公布清理结果")),
    ],
)  # fmt: skip
