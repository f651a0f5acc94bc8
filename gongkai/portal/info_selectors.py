"""Reads behind the 信息公开 columns every government site has: openness rules, notices,
interpretations with their policies. Public data only; each list is a constant number of
queries whatever its length."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from gongkai.documents.models import Document
from gongkai.documents.selectors import published_documents
from gongkai.documents.workflow import Status
from gongkai.orgs.models import Org

# 通知公告: the document types that announce (GB/T 9704 通知, 公告, 通告, 通报).
NOTICE_TYPES = (
    Document.DocType.NOTICE,
    Document.DocType.ANNOUNCEMENT,
    Document.DocType.PUBLIC_NOTICE,
    Document.DocType.BULLETIN,
)
# 信息公开制度: the office's own rules for its openness work, known by their titles
# (保密审查制度, 依申请公开办理规程, 政务公开工作办法 …).
RULE_TITLE = r"(政务公开|信息公开|保密审查|政策解读|公开工作).*(制度|办法|规定|规程|细则|规范|实施意见|工作方案|通知)"


def openness_rules(*, org: Org) -> QuerySet[Document]:
    """Published rules of `org` (and its sub-units) for its own disclosure work."""
    return published_documents(org_code=org.code).filter(title__regex=RULE_TITLE)


def notices(*, org: Org) -> QuerySet[Document]:
    """通知公告 of `org` and its sub-units, newest first."""
    return published_documents(org_code=org.code).filter(doc_type__in=NOTICE_TYPES)


def interpretations(*, org: Org | None = None) -> QuerySet[Document]:
    """Published interpretations (made by `org`'s subtree or in its charge), newest first, each
    with its published policies prefetched (`interpretation.public_policies`)."""
    qs = Document.objects.filter(status=Status.PUBLISHED, interpretation__isnull=False)
    if org is not None:
        qs = qs.filter(
            Q(org__path__startswith=org.path)
            | Q(interpretation__responsible_org__path__startswith=org.path)
        )
    return (
        qs.select_related("org", "interpretation")
        .prefetch_related(
            Prefetch(
                "interpretation__policies",
                queryset=Document.objects.filter(status=Status.PUBLISHED)
                .select_related("org")
                .order_by("-published_at", "-pk"),
                to_attr="public_policies",
            )
        )
        .order_by("-published_at", "-pk")
    )
