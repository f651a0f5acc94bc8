"""Reads of documents, scoped to what the caller may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core import workdays
from gongkai.core.exceptions import NotFoundError
from gongkai.orgs import permissions

from .models import Document, GazetteEntry, GazetteIssue, Interpretation
from .workflow import WORKFLOW, Status

PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)


def _in_reach(qs: QuerySet[Document], user, action: str) -> QuerySet[Document]:
    ids = permissions.org_ids_for(user, action)
    return qs if ids is None else qs.filter(org_id__in=ids)


def documents_for_user(*, user) -> QuerySet[Document]:
    return _in_reach(Document.objects.select_related("org", "category"), user, "view_internal")


def document_get_for_user(*, user, pk) -> Document:
    try:
        return documents_for_user(user=user).get(pk=int(pk))
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def my_drafts(*, user) -> QuerySet[Document]:
    return (
        _in_reach(Document.objects.select_related("org"), user, "draft_document")
        .filter(status=Status.DRAFT)
        .order_by("publication_due")
    )


def waiting_for_my_review(*, user) -> QuerySet[Document]:
    return (
        _in_reach(Document.objects.select_related("org"), user, "review_document")
        .filter(status=Status.SUBMITTED)
        .order_by("publication_due")
    )


def with_return(qs: QuerySet[Document]) -> QuerySet[Document]:
    """Each document with the reviewer's latest return (`returned_at`, `return_reason`), from
    the audit trail of its workflow: a draft with one was sent back, not freshly made."""
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    from gongkai.core.models import AuditEvent

    returns = AuditEvent.objects.filter(
        target_type=Document._meta.label_lower,
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
        verb__exact=f"{WORKFLOW.name}.return",
    ).order_by("-seq")
    return qs.annotate(
        returned_at=Subquery(returns.values("time")[:1]),
        return_reason=Subquery(returns.values("data__reason")[:1]),
    )


def my_submitted(*, user) -> QuerySet[Document]:
    """已提交: the drafter's documents waiting for the reviewer or, signed off, to be published."""
    return (
        _in_reach(Document.objects.select_related("org"), user, "draft_document")
        .filter(status__in=[Status.SUBMITTED, Status.REVIEWED])
        .order_by("publication_due", "pk")
    )


def overdue_unpublished(*, user, today: dt.date | None = None) -> QuerySet[Document]:
    """Proactive documents past their Art.26 due date and still not published."""
    return (
        _in_reach(Document.objects.select_related("org"), user, "view_internal")
        .filter(
            attribute=Document.Attribute.PROACTIVE,
            status__in=[Status.DRAFT, Status.SUBMITTED, Status.REVIEWED],
            publication_due__lt=today or timezone.localdate(),
        )
        .order_by("publication_due", "pk")
    )


def to_publish(*, user) -> QuerySet[Document]:
    """Signed off by the reviewer, waiting for someone who may publish."""
    return (
        _in_reach(Document.objects.select_related("org"), user, "publish_document")
        .filter(status=Status.REVIEWED, attribute=Document.Attribute.PROACTIVE)
        .order_by("publication_due", "pk")
    )


def workflow_history(document: Document) -> list:
    """The document's steps through the workflow (submitted, returned with the reason, signed
    off, published, withdrawn), oldest first, from the audit trail."""
    from gongkai.core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(
            target_type=Document._meta.label_lower,
            target_id=str(document.pk),
            verb__in=[f"{WORKFLOW.name}.{name}" for name in WORKFLOW.table]
            + ["document.create", "document.import"],
        )
        .select_related("actor")
        .order_by("seq")
    )


def attachment_get_for_user(*, user, document_pk, pk):
    """An attachment of a document the user may see in the workbench (any status): the
    confidentiality reviewer reads the files before signing off."""
    from .models import Attachment

    document = document_get_for_user(user=user, pk=document_pk)
    attachment = Attachment.objects.filter(pk=pk, document=document).first()
    if attachment is None:
        raise NotFoundError()
    return attachment


def revision_lines(revisions) -> list[tuple]:
    """Each revision with what changed in words: field names become their labels, file
    events name the file (修订记录 shows no internal names)."""
    return [(r, describe_changes(r.changes)) for r in revisions]


_CHANGE_WORDS = {
    "attachment_added": _("添加附件“%(name)s”"),
    "attachment_removed": _("删除附件“%(name)s”"),
    "imported_from": _("从文件“%(name)s”导入"),
}


def describe_changes(changes: dict) -> str:
    from django.core.exceptions import FieldDoesNotExist

    parts = []
    fields = []
    for key, value in (changes or {}).items():
        if key in _CHANGE_WORDS:
            name = value[0] if isinstance(value, list | tuple) and value else ""
            parts.append(str(_CHANGE_WORDS[key]) % {"name": name})
        elif key == "masked":
            where = "、".join(_field_label(k) for k in (value or {}))
            parts.append(str(_("遮盖个人信息（%(w)s）")) % {"w": where})
        else:
            try:
                fields.append(_field_label(key, strict=True))
            except FieldDoesNotExist:
                fields.append(str(_("其他信息")))
    if fields:
        parts.insert(0, str(_("修改了%(f)s")) % {"f": "、".join(dict.fromkeys(fields))})
    return "；".join(parts) or str(_("无内容变化"))


def _field_label(name: str, *, strict: bool = False) -> str:
    from django.core.exceptions import FieldDoesNotExist

    try:
        return str(Document._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        if strict:
            raise
        return str(_("其他信息"))


def due_soon(*, user, within_working_days: int = 5) -> QuerySet[Document]:
    """Proactive documents not yet published whose Art.26 deadline falls within N working days."""
    limit = workdays.add_working_days(timezone.localdate(), within_working_days).due_date
    return (
        _in_reach(Document.objects.select_related("org"), user, "view_internal")
        .filter(
            attribute=Document.Attribute.PROACTIVE,
            status__in=[Status.DRAFT, Status.SUBMITTED, Status.REVIEWED],
            publication_due__lte=limit,
        )
        .order_by("publication_due")
    )


def allowed_actions(*, user, document: Document) -> list[tuple[str, str]]:
    return [(t.name, t.label) for t in WORKFLOW.allowed_actions(document, user)]


def attachment_get_public(*, pk: int):
    """An attachment of a published document only (not of drafts, not of withdrawn ones)."""
    from .models import Attachment

    attachment = Attachment.objects.filter(pk=pk, document__status=Status.PUBLISHED).first()
    if attachment is None:
        raise NotFoundError()
    return attachment


def document_get_public(*, index_number: str) -> Document:
    doc = (
        Document.objects.select_related("org", "category")
        .filter(index_number=index_number, status__in=PUBLIC_STATUSES)
        .first()
    )
    if doc is None:
        raise NotFoundError()
    return doc


# The document kinds of the search index (gongkai.search.tokens.KINDS), as ORM lookups.
KIND_LOOKUPS = {
    "normative": {"normative__isnull": False},
    "gazette": {
        "pk__in": GazetteEntry.objects.filter(issue__published_at__isnull=False).values(
            "document_id"
        )
    },
    "interpretation": {"interpretation__isnull": False},
}
CURRENT, IN_FORCE = "current", (Document.Validity.VALID, Document.Validity.AMENDED)


def published_documents(
    *,
    org_code: str | None = None,
    category: str | None = None,
    column: str | None = None,
    doc_type: str | None = None,
    validity: str | None = None,
    year: int | None = None,
    date_from=None,
    date_to=None,
    kinds: tuple[str, ...] = (),
) -> QuerySet[Document]:
    """Published documents, newest first; `org_code` includes the organisation's sub-units.

    `validity` "current" means in force, amended or not; `kinds` narrows to normative
    documents, gazette contents or interpretations (the search facets of the same names)."""
    qs = Document.objects.filter(status=Status.PUBLISHED).select_related("org", "category")
    if org_code:
        from gongkai.orgs.models import Org

        org = Org.objects.filter(code=org_code).first()
        if org is None:
            raise NotFoundError()
        qs = qs.filter(org__path__startswith=org.path)
    if category:
        qs = qs.filter(category_id__in=category_subtree(code=category))
    if column:
        qs = qs.filter(columns=column_get_public(slug=column))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if validity == CURRENT:
        qs = qs.filter(validity__in=IN_FORCE)
    elif validity:
        qs = qs.filter(validity=validity)
    for kind in kinds:
        qs = qs.filter(**KIND_LOOKUPS[kind])
    if year:
        qs = qs.filter(date_signed__year=year)
    if date_from:
        qs = qs.filter(date_signed__gte=date_from)
    if date_to:
        qs = qs.filter(date_signed__lte=date_to)
    return qs.order_by("-published_at", "-pk")


def category_subtree(*, code: str) -> list[int]:
    """The category's id and its descendants' (404 for an unknown code)."""
    from .models import Category

    parents = dict(Category.objects.values_list("pk", "parent_id"))
    codes = dict(Category.objects.values_list("code", "pk"))
    if code not in codes:
        raise NotFoundError()
    found, frontier = {codes[code]}, {codes[code]}
    while frontier:
        frontier = {pk for pk, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return sorted(found)


def catalog(*, org) -> list[dict]:
    """法定主动公开内容: the category tree with the organisation's (and sub-units') counts.

    One grouped count; the tree is assembled in Python from the (small) category table.
    Categories without documents are listed too: the catalog shows what the law asks for.
    """
    from django.db.models import Count

    from .models import Category

    counts = dict(
        Document.objects.filter(status=Status.PUBLISHED, org__path__startswith=org.path)
        .values("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    nodes = {
        c.pk: {"category": c, "count": counts.get(c.pk, 0), "total": 0, "children": []}
        for c in Category.objects.order_by("sort_order", "name")
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node["category"].parent_id)
        (parent["children"] if parent else roots).append(node)

    def total(node):
        node["total"] = node["count"] + sum(total(child) for child in node["children"])
        return node["total"]

    for node in roots:
        total(node)
    return roots


def uncategorised_count(*, org) -> int:
    return Document.objects.filter(
        status=Status.PUBLISHED, org__path__startswith=org.path, category__isnull=True
    ).count()


def related_documents(*, document: Document, limit: int = 5) -> QuerySet[Document]:
    """Published documents of the same organisation and category, newest first."""
    qs = Document.objects.filter(status=Status.PUBLISHED, org_id=document.org_id).exclude(
        pk=document.pk
    )
    if document.category_id:
        qs = qs.filter(category_id=document.category_id)
    return qs.select_related("org").order_by("-published_at", "-pk")[:limit]


def columns_public():
    from .models import Column

    return Column.objects.filter(is_active=True).order_by("sort_order", "name")


def column_get_public(*, slug: str):
    column = columns_public().filter(slug=slug).first()
    if column is None:
        raise NotFoundError()
    return column


TIMELINESS_LABELS = {
    "on_time": _("按时发布"),
    "late": _("逾期发布"),
    "pending": _("待发布"),
    "overdue": _("已逾期未发布"),
    "not_proactive": _("非主动公开"),
    "withdrawn": _("已撤回"),
}


def timeliness(document: Document, today=None) -> str:
    """Where a document stands against its Art.26 due date (see TIMELINESS_LABELS)."""
    if document.attribute != Document.Attribute.PROACTIVE:
        return "not_proactive"
    if document.status == Status.WITHDRAWN:
        return "withdrawn"
    if document.published_at is not None:
        return "late" if document.is_late else "on_time"
    today = today or timezone.localdate()
    return "overdue" if today > document.publication_due else "pending"


def ledger(*, user, org, year: int | None = None) -> QuerySet[Document]:
    """工作台账: the documents of the organisation and of its sub-units in `user`'s reach.

    A department's staff see its internal units but not the departments below a government,
    so the subtree is cut to the user's reach. `year` is the year of the due date, the way
    offices count their annual figures.
    """
    qs = _in_reach(
        Document.objects.filter(org__path__startswith=org.path).select_related("org"),
        user,
        "view_internal",
    )
    if year:
        qs = qs.filter(publication_due__year=year)
    return qs.order_by("-publication_due", "-pk")


def ledger_summary(*, user, org, year: int | None = None) -> dict[str, int]:
    """Counts per timeliness state, in one query."""
    from django.db.models import Case, CharField, Count, Q, Value, When

    today = timezone.localdate()
    state = Case(
        When(~Q(attribute=Document.Attribute.PROACTIVE), then=Value("not_proactive")),
        When(status=Status.WITHDRAWN, then=Value("withdrawn")),
        When(published_at__isnull=False, is_late=True, then=Value("late")),
        When(published_at__isnull=False, then=Value("on_time")),
        When(publication_due__lt=today, then=Value("overdue")),
        default=Value("pending"),
        output_field=CharField(),
    )
    rows = ledger(user=user, org=org, year=year).order_by().annotate(state=state).values("state")
    counts = dict.fromkeys(TIMELINESS_LABELS, 0)
    for row in rows.annotate(n=Count("id")).values_list("state", "n"):
        counts[row[0]] = row[1]
    return counts


# Interpretations (政策解读): timeliness and the coverage ledger ------------------------------

INTERPRETATION_LABELS = {
    "on_time": _("按时解读"),
    "late": _("解读滞后"),
    "pending": _("待解读"),
    "overdue": _("应解读未解读"),
}


def interpretation_due(policy: Document, calendar=None) -> dt.date | None:
    """The last day the policy's interpretation is on time (三同步: N working days after it).

    `calendar`: a `workdays.calendar(region)` to reuse across many policies of one region."""
    if policy.published_at is None:
        return None
    published = timezone.localtime(policy.published_at).date()
    calendar = calendar or workdays.calendar(policy.org)
    return calendar.add_working_days(published, settings.GONGKAI_INTERPRETATION_DAYS).due_date


def interpretation_timeliness(
    policy: Document,
    interpretation: Document | None,
    today: dt.date | None = None,
    *,
    due: dt.date | bool | None = False,
) -> str:
    """on_time / late for a published interpretation; pending / overdue while there is none."""
    due = interpretation_due(policy) if due is False else due
    today = today or timezone.localdate()
    if interpretation is not None and interpretation.published_at is not None:
        if due is None:
            return "on_time"  # published before the policy itself: simultaneous or earlier
        return "late" if timezone.localtime(interpretation.published_at).date() > due else "on_time"
    if due is None:
        return "pending"
    return "overdue" if today > due else "pending"


@dataclass
class InterpretationRow:
    policy: Document
    due: dt.date | None
    interpretations: list[tuple[Document, str]]  # each published one with its timeliness
    status: str  # the best of them, or pending/overdue when there is none


def interpretations_public(document: Document) -> list[Document]:
    """Published interpretations of a policy (for its page)."""
    return list(
        Document.objects.filter(
            interpretation__policies=document, status=Status.PUBLISHED
        ).select_related("interpretation__responsible_org", "org")
    )


def policies_public(document: Document) -> list[Document]:
    """Published policies an interpretation explains (for its page)."""
    return list(
        Document.objects.filter(
            interpretations__document=document, status=Status.PUBLISHED
        ).select_related("org")
    )


def interpretation_ledger(
    *, user, org, year: int | None = None, problems_only: bool = False, today=None
) -> list[InterpretationRow]:
    """解读台账 of `org` (with its sub-units): published policies flagged as needing an
    interpretation or having one, each with its interpretations and their timeliness.

    `problems_only`: flagged policies without a published interpretation, and late ones."""
    if not permissions.can(user, "view_ledgers", org):
        from gongkai.core.exceptions import PermissionDeniedError

        raise PermissionDeniedError()
    from django.db.models import Prefetch, Q

    policies = (
        Document.objects.filter(org__path__startswith=org.path, status=Status.PUBLISHED)
        .filter(Q(needs_interpretation=True) | Q(interpretations__isnull=False))
        .distinct()
        .select_related("org")
        .prefetch_related(
            Prefetch(
                "interpretations",
                queryset=Interpretation.objects.select_related("document").filter(
                    document__status=Status.PUBLISHED
                ),
            )
        )
        .order_by("-published_at", "-pk")
    )
    if year:
        policies = policies.filter(published_at__year=year)
    today = today or timezone.localdate()
    calendars: dict[int, workdays.Calendar] = {}  # one per region: its years load once
    rows = []
    for policy in policies:
        calendar = calendars.setdefault(policy.org_id, workdays.calendar(policy.org))
        due = interpretation_due(policy, calendar)
        found = [
            (i.document, interpretation_timeliness(policy, i.document, today, due=due))
            for i in policy.interpretations.all()
        ]
        if found:
            status = "on_time" if any(s == "on_time" for _d, s in found) else "late"
        else:
            status = interpretation_timeliness(policy, None, today, due=due)
        row = InterpretationRow(policy=policy, due=due, interpretations=found, status=status)
        if not problems_only or status in ("late", "overdue", "pending"):
            rows.append(row)
    return rows


# Gazette (政府公报) --------------------------------------------------------------------------


def gazette_years() -> list[int]:
    return list(
        GazetteIssue.objects.filter(published_at__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def gazette_issues_public(*, year: int | None = None):
    qs = GazetteIssue.objects.filter(published_at__isnull=False).select_related("org")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-number")


def gazette_issue_get_public(*, code: str, year: int, number: int) -> GazetteIssue:
    issue = gazette_issues_public().filter(org__code=code, year=year, number=number).first()
    if issue is None:
        raise NotFoundError()
    return issue


def gazette_entries(issue: GazetteIssue) -> list:
    """The contents in print order: sections in the order they first appear, entries within."""
    entries = list(
        issue.entries.filter(document__status=Status.PUBLISHED).select_related("document__org")
    )
    first: dict[str, int] = {}
    for n, entry in enumerate(entries):
        first.setdefault(entry.section, n)
    return sorted(entries, key=lambda e: (first[e.section], e.sort_order, e.pk))


def gazette_for_document(document: Document) -> list[GazetteIssue]:
    return list(GazetteIssue.objects.filter(entries__document=document, published_at__isnull=False))


def gazette_issues_for_user(*, user) -> QuerySet:
    """The gazette issues of the organisations where `user` may edit the gazette."""
    from .models import GazetteIssue

    ids = permissions.org_ids_for(user, "edit_gazette")
    qs = GazetteIssue.objects.select_related("org")
    return qs if ids is None else qs.filter(org_id__in=ids)


def gazette_issue_get_for_user(*, user, pk: int):
    issue = gazette_issues_for_user(user=user).filter(pk=pk).first()
    if issue is None:
        raise NotFoundError()
    return issue
