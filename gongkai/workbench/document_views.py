from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import ApplicationError
from gongkai.documents import selectors, services
from gongkai.documents.models import Document
from gongkai.documents.workflow import EDITABLE_STATUSES
from gongkai.orgs import selectors as org_selectors

from . import http


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = (*services.EDITABLE_FIELDS, *services.M2M_FIELDS)
        widgets = {
            "columns": forms.CheckboxSelectMultiple,
            "co_issuers": forms.SelectMultiple(attrs={"size": 6}),
            "date_signed": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_changed": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 12}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "attribute_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].queryset = selectors.columns_public()
        self.fields["co_issuers"].queryset = org_selectors.org_public_list().order_by("path")


class ReasonForm(forms.Form):
    action = forms.CharField()
    reason = forms.CharField(required=False, max_length=2000, label=_lazy("理由"))


@login_required
def document_list(request):
    user = request.user
    return render(
        request,
        "workbench/documents.html",
        {
            "drafts": selectors.my_drafts(user=user)[:100],
            "to_review": selectors.waiting_for_my_review(user=user)[:100],
            "due_soon": selectors.due_soon(user=user)[:100],
            "draft_orgs": org_selectors.orgs_for_user(user=user, action="draft_document")[:50],
        },
    )


def _save(request, form, save):
    if request.method == "POST" and form.is_valid():
        try:
            return save({f: form.cleaned_data[f] for f in form.changed_data})
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return None


@login_required
def document_create(request):
    org = org_selectors.org_get_for_action(
        user=request.user, code=request.GET.get("org", ""), action="draft_document"
    )
    form = DocumentForm(request.POST or None)
    doc = _save(
        request, form, lambda data: services.document_create(actor=request.user, org=org, data=data)
    )
    if doc:
        messages.success(request, _("草稿已保存。"))
        return redirect("workbench:document_detail", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "workbench/document_form.html", {"form": form, "org": org}, status=status
    )


@login_required
def document_edit(request, pk):
    doc = selectors.document_get_for_user(user=request.user, pk=pk)
    form = DocumentForm(request.POST or None, instance=Document.objects.get(pk=doc.pk))
    saved = _save(
        request,
        form,
        lambda data: services.document_update(actor=request.user, document=doc, data=data),
    )
    if saved:
        messages.success(request, _("已保存。"))
        return redirect("workbench:document_detail", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workbench/document_form.html",
        {"form": form, "org": doc.org, "document": doc},
        status=status,
    )


@login_required
def document_detail(request, pk):
    doc = selectors.document_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "workbench/document_detail.html",
        {
            "document": doc,
            "actions": selectors.allowed_actions(user=request.user, document=doc),
            "editable": doc.status in EDITABLE_STATUSES,
            "revisions": doc.revisions.select_related("actor"),
            "attachments": doc.attachments.all(),
        },
    )


def _act(request, doc, call, success: str):
    """Run one service call for a button on the document page; report it there."""
    to = reverse("workbench:document_detail", kwargs={"pk": doc.pk})
    return http.act(request, call, success, to, refused_status=302)


@login_required
@require_POST
def document_transition(request, pk):
    doc = selectors.document_get_for_user(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return redirect("workbench:document_detail", pk=doc.pk)
    return _act(
        request,
        doc,
        lambda: services.document_transition(
            actor=request.user,
            document=doc,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        ),
        _("操作成功。"),
    )


@login_required
@require_POST
def document_mask(request, pk):
    doc = selectors.document_get_for_user(user=request.user, pk=pk)
    return _act(
        request,
        doc,
        lambda: services.document_mask_pii(actor=request.user, document=doc),
        _("个人信息已遮盖。"),
    )


@login_required
@require_POST
def attachment_upload(request, pk):
    doc = selectors.document_get_for_user(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("workbench:document_detail", pk=doc.pk)
    if upload.size > settings.GONGKAI_MAX_ATTACHMENT_BYTES:
        # Refuse before reading the whole file into memory.
        messages.error(request, _("文件超过大小上限。"))
        return redirect("workbench:document_detail", pk=doc.pk)
    return _act(
        request,
        doc,
        lambda: services.attachment_add(
            actor=request.user, document=doc, name=upload.name, data=upload.read()
        ),
        _("附件已上传。"),
    )


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    doc = selectors.document_get_for_user(user=request.user, pk=pk)
    attachment = doc.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        return redirect("workbench:document_detail", pk=doc.pk)
    return _act(
        request,
        doc,
        lambda: services.attachment_remove(actor=request.user, attachment=attachment),
        _("附件已删除。"),
    )


def _ledger_scope(request):
    return http.org_scope(request, "view_internal"), http.year(request.GET.get("year") or None)


@login_required
def ledger(request):
    """工作台账: each document's attribute, due date, publication date, on time or late."""
    from django.core.paginator import Paginator

    org, year = _ledger_scope(request)
    page = Paginator(selectors.ledger(user=request.user, org=org, year=year), 50).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [(doc, selectors.timeliness(doc, today)) for doc in page.object_list]
    summary = selectors.ledger_summary(user=request.user, org=org, year=year)
    return render(
        request,
        "workbench/ledger.html",
        {
            "org": org,
            "year": year,
            "page_obj": page,
            "rows": rows,
            "labels": selectors.TIMELINESS_LABELS,
            "summary": [(selectors.TIMELINESS_LABELS[k], k, v) for k, v in summary.items()],
            "orgs": org_selectors.orgs_for_user(user=request.user, action="view_internal")[:200],
            "query_string": urlencode({"org": org.code, **({"year": year} if year else {})}),
        },
    )


@login_required
def ledger_xlsx(request):
    from django.http import HttpResponse

    from gongkai.documents.exports import ledger_xlsx as build

    org, year = _ledger_scope(request)
    response = HttpResponse(
        build(user=request.user, org=org, year=year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"ledger-{org.code}-{year or 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
