"""Workbench pages for normative documents (register, 立改废, clean-ups), the interpretation
coverage ledger (解读台账) and the government gazette (政府公报).

Views only parse and dispatch: every change is a service call, which checks the role and leaves
the audit event; every read goes through a selector scoped to the user. Documents named in a
form are found by index number (or, for drafts, by their workbench id) through those scoped
reads, never by a bare primary key.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import ApplicationError, NotFoundError
from gongkai.documents import selectors as doc_selectors
from gongkai.documents import services as doc_services
from gongkai.documents.models import Interpretation
from gongkai.normative import selectors, services
from gongkai.normative.workflow import CampaignStatus, Decision, RelationKind
from gongkai.orgs import selectors as org_selectors

from . import http

MAX_POLICIES = 50

# Helpers ------------------------------------------------------------------------------------


def _ref(value: str | None) -> str:
    ref = (value or "").strip()
    if not ref:
        raise ApplicationError(_("请填写索引号。"), code="index_number_required")
    return ref


def _public_document(value: str | None):
    """A published (or withdrawn) document by its index number, as the portal shows it."""
    ref = _ref(value)
    try:
        return doc_selectors.document_get_public(index_number=ref)
    except NotFoundError:
        raise ApplicationError(
            _("找不到索引号为“%(n)s”的已公开文件。") % {"n": ref}, code="document_not_found"
        ) from None


def _document_ref(user, value: str | None):
    """A document the user can see in the workbench (by index number, or by id for a draft),
    else a public one by index number."""
    ref = _ref(value)
    own = doc_selectors.documents_for_user(user=user)
    found = own.filter(index_number=ref).first()
    if found is None and re.fullmatch(r"#?[0-9]{1,11}", ref):  # ASCII digits ("²" is a digit too)
        found = own.filter(pk=int(ref.lstrip("#"))).first()
    return found if found is not None else _public_document(ref)


def _normative_ref(user, value: str | None):
    ref = _ref(value)
    found = selectors.register_for_user(user=user).filter(document__index_number=ref).first()
    if found is None:
        raise ApplicationError(
            _("您管理的规范性文件中没有索引号为“%(n)s”的文件，请先登记。") % {"n": ref},
            code="normative_not_found",
        )
    return found


# Normative register -------------------------------------------------------------------------


@login_required
def normative(request):
    user = request.user
    http.require_somewhere(user, "manage_normative")
    page = Paginator(selectors.register_for_user(user=user), 50).get_page(request.GET.get("page"))
    campaigns = selectors.campaigns_for_user(user=user).annotate(
        n_items=Count("items"), n_decided=Count("items", filter=~Q(items__decision=""))
    )
    return render(
        request,
        "workbench/normative.html",
        {
            "expiring": list(selectors.expiring(user=user)[:200]),
            "alert_days": settings.GONGKAI_NORMATIVE_EXPIRY_ALERT_DAYS,
            "page_obj": page,
            "register": page.object_list,
            "relation_kinds": RelationKind.choices,
            "campaigns": campaigns[:50],
            "cleanup_orgs": list(
                org_selectors.orgs_for_user(user=user, action="manage_cleanup")[:200]
            ),
        },
    )


@login_required
@require_POST
def normative_register(request):
    p, user = request.POST, request.user
    return http.act(
        request,
        lambda: services.normative_register(
            actor=user,
            document=_public_document(p.get("index_number")),
            effective_date=http.required_date(p.get("effective_date"), _("施行日期")),
            expiry_date=http.optional_date(p.get("expiry_date")),
            no_expiry=p.get("no_expiry") == "1",
            filing_number=p.get("filing_number", ""),
            filing_date=http.optional_date(p.get("filing_date")),
        ),
        _("已登记为规范性文件。"),
        reverse("workbench:normative"),
    )


@login_required
@require_POST
def normative_relation(request):
    p, user = request.POST, request.user
    return http.act(
        request,
        lambda: services.relation_add(
            actor=user,
            source=_normative_ref(user, p.get("source")),
            target=_normative_ref(user, p.get("target")),
            kind=p.get("kind", ""),
            effective_date=http.optional_date(p.get("effective_date")),
            note=p.get("note", ""),
        ),
        _("已记录立改废关系。"),
        reverse("workbench:normative"),
    )


# Clean-up campaigns (清理) --------------------------------------------------------------------


@login_required
@require_POST
def campaign_create(request):
    p, user = request.POST, request.user
    return http.act(
        request,
        lambda: services.campaign_create(
            actor=user,
            org=org_selectors.org_get_for_action(
                user=user, code=p.get("org", ""), action="manage_cleanup"
            ),
            title=p.get("title", ""),
            review_by=http.required_date(p.get("review_by"), _("清理截止日期")),
            all_in_force=p.get("all_in_force") == "1",
        ),
        _("已创建清理工作。"),
        lambda campaign: (
            reverse("workbench:normative_campaign", kwargs={"pk": campaign.pk})
            if campaign
            else reverse("workbench:normative")
        ),
    )


@login_required
def campaign_detail(request, pk):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    page = Paginator(selectors.campaign_items(campaign), 100).get_page(request.GET.get("page"))
    counts = campaign.items.aggregate(
        total=Count("pk"), decided=Count("pk", filter=~Q(decision=""))
    )
    return render(
        request,
        "workbench/normative_campaign.html",
        {
            "campaign": campaign,
            "is_open": campaign.status == CampaignStatus.OPEN,
            "page_obj": page,
            "items": page.object_list,
            "decisions": Decision.choices,
            "counts": counts,
        },
    )


def _campaign_url(campaign, page: str | None = None, anchor: str = "") -> str:
    url = reverse("workbench:normative_campaign", kwargs={"pk": campaign.pk})
    if page and page.isdigit():
        url += "?" + urlencode({"page": page})
    return url + anchor


@login_required
@require_POST
def campaign_decide(request, pk):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    p = request.POST

    def call():
        item = (
            selectors.campaign_items(campaign)
            .filter(pk=http.integer(p.get("item"), _("清理条目")))
            .first()
        )
        if item is None:
            raise ApplicationError(_("找不到该清理条目。"), code="item_not_found")
        return services.campaign_decide(
            actor=request.user,
            item=item,
            decision=p.get("decision", ""),
            reason=p.get("reason", ""),
            extend_to=http.optional_date(p.get("extend_to")),
        )

    item_id = p.get("item", "")
    anchor = f"#item-{item_id}" if item_id.isdigit() else ""
    return http.act(
        request, call, _("已记录清理意见。"), _campaign_url(campaign, p.get("page"), anchor)
    )


@login_required
@require_POST
def campaign_publish(request, pk):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    return http.act(
        request,
        lambda: services.campaign_publish(actor=request.user, campaign=campaign),
        _("清理结果已公布。"),
        _campaign_url(campaign),
    )


# Interpretations (解读台账) -------------------------------------------------------------------


def _interpretation_scope(request):
    org = http.org_scope(request, "view_ledgers")
    return org, http.year(request.GET.get("year")), request.GET.get("problems") == "1"


def _interpretations_url(code: str = "") -> str:
    url = reverse("workbench:interpretations")
    return f"{url}?{urlencode({'org': code})}" if code else url


@login_required
def interpretations(request):
    org, year, problems = _interpretation_scope(request)
    labels = doc_selectors.INTERPRETATION_LABELS
    rows = doc_selectors.interpretation_ledger(
        user=request.user, org=org, year=year, problems_only=problems
    )
    summary = dict.fromkeys(labels, 0)
    for row in rows:
        summary[row.status] += 1
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = {
        "org": org.code,
        **({"year": year} if year else {}),
        **({"problems": 1} if problems else {}),
    }
    return render(
        request,
        "workbench/interpretations.html",
        {
            "org": org,
            "year": year,
            "problems": problems,
            "page_obj": page,
            "rows": [
                {
                    "row": row,
                    "label": labels[row.status],
                    "interpretations": [(d, labels[s], s) for d, s in row.interpretations],
                }
                for row in page.object_list
            ],
            "summary": [(labels[k], k, n) for k, n in summary.items()],
            "orgs": org_selectors.orgs_for_user(user=request.user, action="view_ledgers")[:200],
            "forms": Interpretation.Form.choices,
            "query_string": urlencode(query),
        },
    )


@login_required
def interpretations_xlsx(request):
    from gongkai.documents.exports import interpretation_ledger_xlsx

    org, year, problems = _interpretation_scope(request)
    response = HttpResponse(
        interpretation_ledger_xlsx(user=request.user, org=org, year=year, problems_only=problems),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"interpretations-{org.code}-{year or 'all'}{'-problems' if problems else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def interpretation_set(request):
    p, user = request.POST, request.user

    def call():
        document = _document_ref(user, p.get("document"))
        refs = [r for r in re.split(r"[\s,，;；、]+", p.get("policies", "")) if r]
        if len(refs) > MAX_POLICIES:
            raise ApplicationError(
                _("一次最多关联 %(n)s 份政策文件。") % {"n": MAX_POLICIES}, code="too_many"
            )
        policies = [_document_ref(user, r) for r in dict.fromkeys(refs)]
        code = (p.get("responsible_org") or "").strip()
        responsible = None  # the service's default: 谁起草、谁解读
        if code:
            try:
                responsible = org_selectors.org_get_public(code=code)
            except NotFoundError:
                raise ApplicationError(
                    _("找不到机构代码为“%(c)s”的单位。") % {"c": code}, code="org_not_found"
                ) from None
        return doc_services.interpretation_set(
            actor=user,
            document=document,
            form=p.get("form", ""),
            responsible_org=responsible,
            policies=policies,
        )

    return http.act(request, call, _("已设置政策解读。"), _interpretations_url(p.get("org", "")))


@login_required
@require_POST
def interpretation_flag(request):
    p, user = request.POST, request.user
    needed = p.get("needed") == "1"
    return http.act(
        request,
        lambda: doc_services.document_flag_interpretation(
            actor=user, document=_document_ref(user, p.get("policy")), needed=needed
        ),
        _("已标记为需要解读。") if needed else _("已取消“需要解读”标记。"),
        _interpretations_url(p.get("org", "")),
    )


# Gazette (政府公报) ---------------------------------------------------------------------------


def _issue_url(issue) -> str:
    return reverse("workbench:gazette_issue", kwargs={"pk": issue.pk})


@login_required
def gazette(request):
    user = request.user
    http.require_somewhere(user, "edit_gazette")
    issues = (
        doc_selectors.gazette_issues_for_user(user=user)
        .annotate(n_entries=Count("entries"))
        .order_by("-year", "-number", "-pk")
    )
    page = Paginator(issues, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/gazette.html",
        {
            "page_obj": page,
            "issues": page.object_list,
            "orgs": list(org_selectors.orgs_for_user(user=user, action="edit_gazette")[:200]),
        },
    )


@login_required
@require_POST
def gazette_issue_create(request):
    p, user = request.POST, request.user
    return http.act(
        request,
        lambda: doc_services.gazette_issue_create(
            actor=user,
            org=org_selectors.org_get_for_action(
                user=user, code=p.get("org", ""), action="edit_gazette"
            ),
            year=http.integer(p.get("year"), _("年份")),
            number=http.integer(p.get("number"), _("期号")),
            issue_date=http.required_date(p.get("issue_date"), _("出版日期")),
            total_number=http.integer(p.get("total_number"), _("总期号"), required=False),
        ),
        _("已创建本期公报。"),
        lambda issue: _issue_url(issue) if issue else reverse("workbench:gazette"),
    )


@login_required
def gazette_issue(request, pk):
    issue = doc_selectors.gazette_issue_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "workbench/gazette_issue.html",
        {
            "issue": issue,
            "entries": issue.entries.select_related("document__org").order_by("sort_order", "id"),
            "max_mb": settings.GONGKAI_MAX_ATTACHMENT_BYTES // (1024 * 1024),
        },
    )


@login_required
@require_POST
def gazette_entry_add(request, pk):
    issue = doc_selectors.gazette_issue_get_for_user(user=request.user, pk=pk)
    p = request.POST
    return http.act(
        request,
        lambda: doc_services.gazette_entry_add(
            actor=request.user,
            issue=issue,
            document=_public_document(p.get("index_number")),
            section=p.get("section", ""),
        ),
        _("已加入本期目录。"),
        _issue_url(issue),
    )


@login_required
@require_POST
def gazette_pdf_upload(request, pk):
    issue = doc_selectors.gazette_issue_get_for_user(user=request.user, pk=pk)
    upload = request.FILES.get("file")

    def call():
        if upload is None:
            raise ApplicationError(_("请选择要上传的文件。"), code="file_required")
        limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
        if upload.size > limit:
            # Refuse before reading the whole file into memory; the service checks again.
            raise ApplicationError(
                _("文件超过大小上限（%(mb)s MB）。") % {"mb": limit // (1024 * 1024)},
                code="too_large",
            )
        return doc_services.gazette_pdf_upload(
            actor=request.user, issue=issue, name=upload.name, data=upload.read()
        )

    return http.act(request, call, _("PDF 已上传。"), _issue_url(issue))


@login_required
@require_POST
def gazette_publish(request, pk):
    issue = doc_selectors.gazette_issue_get_for_user(user=request.user, pk=pk)
    return http.act(
        request,
        lambda: doc_services.gazette_issue_publish(actor=request.user, issue=issue),
        _("本期公报已发布。"),
        _issue_url(issue),
    )
