"""The review of a standard disclosure catalog, declared once (DESIGN § Conventions 3).

An organisation's catalog for one area is drafted (imported, or adapted from the catalog of the
government above it), submitted, and approved or returned by the openness office of the region
(000 二(三): 区县、乡镇 adapt the city's catalog, the city reviews it). A returned catalog is
edited and submitted again. Each approval is a version; approving a newer version supersedes the
older one, so the approved catalogs of an organisation are exactly one per area.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.workflow import SCHEDULER, T, Workflow
from gongkai.orgs import permissions


class CatalogStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审定")
    SUPERSEDED = "superseded", _("已被新版本替代")


CATALOG = Workflow(
    name="catalogs.catalog",
    noun=_("标准目录"),
    initial=[CatalogStatus.DRAFT],
    org_of=lambda c: c.org,
    can=permissions.can,
    select_related=("org", "area"),
    transitions=[
        T("submit", (CatalogStatus.DRAFT, CatalogStatus.RETURNED), CatalogStatus.SUBMITTED,
          "manage_catalog", _("提交审核")),
        T("approve", CatalogStatus.SUBMITTED, CatalogStatus.APPROVED, "review_catalog",
          _("审定通过")),
        T("return", CatalogStatus.SUBMITTED, CatalogStatus.RETURNED, "review_catalog",
          _("退回修改")),
        # Taken by the approval of a newer version, never a button of its own.
        T("supersede", CatalogStatus.APPROVED, CatalogStatus.SUPERSEDED, "review_catalog",
          _("替代"), system=[SCHEDULER.name], offered=False),
    ],
)  # fmt: skip
