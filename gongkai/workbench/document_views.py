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

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError
from gongkai.documents import selectors, services
from gongkai.documents.models import Document
from gongkai.documents.workflow import EDITABLE_STATUSES, Status
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
            "drafts": selectors.with_return(selectors.my_drafts(user=user))[:100],
            "submitted": selectors.my_submitted(user=user)[:100],
            "to_review": selectors.with_return(selectors.waiting_for_my_review(user=user))[:100],
            "to_publish": selectors.to_publish(user=user)[:100],
            "due_soon": selectors.with_return(selectors.due_soon(user=user))[:100],
            "overdue": selectors.with_return(selectors.overdue_unpublished(user=user))[:100],
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
    returned = selectors.with_return(Document.objects.filter(pk=doc.pk)).values(
        "returned_at", "return_reason"
    )[0]
    return render(
        request,
        "workbench/document_detail.html",
        {
            "document": doc,
            "actions": selectors.allowed_actions(user=request.user, document=doc),
            "editable": doc.status in EDITABLE_STATUSES,
            "returned": returned
            if doc.status == Status.DRAFT and returned["returned_at"]
            else None,
            "revisions": selectors.revision_lines(doc.revisions.select_related("actor")),
            "history": audit.describe(selectors.workflow_history(doc)),
            "attachments": doc.attachments.all(),
            "next_step": NEXT_STEP.get(doc.status, ""),
        },
    )


# What the page tells the user after each step: what happened and what comes next.
DONE = {
    "submit": _lazy(
        "已提交保密审查。下一步：本单位审查员审查；审查通过后即可发布，如被退回，"
        "退回理由会显示在草稿上。您可以在“已提交”列表中跟踪。"
    ),
    "return": _lazy("已退回起草人修改，退回理由已显示在草稿上。起草人修改后会重新提交。"),
    "approve": _lazy("保密审查已通过。下一步：由发布人员点击“发布”。"),
    "publish": _lazy("已发布，索引号 %(index)s。公众现在可以在门户网站查看。"),
    "withdraw": _lazy("已撤回。公开页面注明该信息已撤回，检索不再收录。"),
}
NEXT_STEP = {
    Status.DRAFT: _lazy("起草人完善内容后点击“提交审查”。"),
    Status.SUBMITTED: _lazy("等待本单位审查员进行保密审查。"),
    Status.REVIEWED: _lazy("审查已通过，等待发布人员发布。"),
}


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
        messages.error(request, _("请选择要执行的操作。"))
        return redirect("workbench:document_detail", pk=doc.pk)
    action = form.cleaned_data["action"]
    try:
        doc = services.document_transition(
            actor=request.user, document=doc, action=action, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("workbench:document_detail", pk=doc.pk)
    done = DONE.get(action)
    messages.success(
        request,
        str(done) % {"index": doc.index_number or ""} if done else _("操作已完成。"),
    )
    return redirect("workbench:document_detail", pk=doc.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    """A file of a document the user may see (drafts too: the reviewer reads them before
    signing off). PDF and images open in the browser with ?inline=1; the rest download."""
    from django.http import FileResponse

    attachment = selectors.attachment_get_for_user(
        user=request.user, document_pk=pk, pk=attachment_pk
    )
    inline = request.GET.get("inline") == "1" and attachment.content_type in INLINE_TYPES
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name or f"attachment-{attachment.pk}",
        content_type=attachment.content_type or "application/octet-stream",
    )
    if inline:
        # Shown on our origin: nothing in it may run.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif"})


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
