"""Workbench pages of the standard disclosure catalogs: the catalogs of the organisations the
user may manage, one catalog with its items (editable while a draft or returned), the import,
the export, adapting the catalog of the government above, and the supervisor's review queue
with the differences from the base catalog."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.catalogs import exports, selectors, services
from gongkai.catalogs.forms import ImportForm, ItemForm
from gongkai.catalogs.models import Area
from gongkai.catalogs.workflow import CatalogStatus
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.documents.models import Document
from gongkai.orgs import permissions

from . import http

MAX_UPLOAD = services.importer.MAX_BYTES


def _may_see(user) -> None:
    manage = permissions.org_ids_for(user, "manage_catalog")
    review = permissions.org_ids_for(user, "review_catalog")
    if manage is not None and review is not None and not manage and not review:
        raise PermissionDeniedError()


@login_required
def catalogs(request):
    _may_see(request.user)
    rows = list(selectors.staff_list(request.user)[:500])
    orgs = list(selectors.manageable_orgs(request.user)[:300])
    return render(
        request,
        "workbench/catalogs/list.html",
        {
            "rows": rows,
            "orgs": orgs,
            "areas": list(selectors.areas()),
            "queue_count": selectors.review_queue(request.user).count(),
        },
    )


def _org_and_area(request, p):
    org = selectors.manageable_orgs(request.user).filter(code=(p.get("org") or "")[:32]).first()
    if org is None:
        raise ApplicationError(_("请选择机关。"), code="org_required")
    area_id = http.integer(p.get("area"), _("领域"), required=False)
    area = Area.objects.filter(pk=area_id).first() if area_id else None
    return org, area


@login_required
@require_POST
def catalog_adapt(request):
    _may_see(request.user)

    def call():
        org, area = _org_and_area(request, request.POST)
        if area is None:
            raise ApplicationError(_("请选择领域。"), code="area_required")
        return services.catalog_adapt(
            actor=request.user, org=org, area=area, note=request.POST.get("note", "")
        )

    return http.act(
        request,
        call,
        _("已根据上级目录生成本机关的目录草稿，请逐项调整。"),
        lambda c: (
            reverse("workbench:catalog_detail", args=[c.pk]) if c else reverse("workbench:catalogs")
        ),
    )


@login_required
@require_POST
def catalog_create(request):
    _may_see(request.user)

    def call():
        org, area = _org_and_area(request, request.POST)
        if area is None:
            raise ApplicationError(_("请选择领域。"), code="area_required")
        return services.catalog_create(actor=request.user, org=org, area=area)

    return http.act(
        request,
        call,
        _("已新建目录草稿。"),
        lambda c: (
            reverse("workbench:catalog_detail", args=[c.pk]) if c else reverse("workbench:catalogs")
        ),
    )


@login_required
def catalog_import(request):
    _may_see(request.user)
    orgs = list(selectors.manageable_orgs(request.user)[:300])
    if not orgs:
        raise PermissionDeniedError()
    form = ImportForm(request.POST or None, request.FILES or None)
    status, error = 200, None
    if request.method == "POST":
        try:
            org, _area = _org_and_area(request, request.POST)
            if not form.is_valid():
                raise ApplicationError(_("请选择要导入的 XLSX 文件。"), code="file_required")
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                raise ApplicationError(
                    _("文件超过 %(n)s MB，无法导入。") % {"n": MAX_UPLOAD // 1024 // 1024},
                    code="file_too_large",
                )
            result = services.catalog_import(
                actor=request.user,
                org=org,
                file_name=upload.name[:200],
                data=upload.read(MAX_UPLOAD + 1),
                area=form.cleaned_data.get("area"),
            )
        except ApplicationError as exc:
            status, error = exc.status_code, exc.message
        else:
            messages.success(
                request,
                _("已导入 %(n)s 个事项（%(a)s）。")
                % {"n": result.items, "a": "、".join(c.area.name for c in result.catalogs)},
            )
            return redirect("workbench:catalog_detail", pk=result.catalogs[0].pk)
    return render(
        request,
        "workbench/catalogs/import.html",
        {"form": form, "orgs": orgs, "error": error, "p": request.POST},
        status=status,
    )


@login_required
def catalog_detail(request, pk: int):
    catalog = selectors.staff_get(request.user, pk)
    items = selectors.items_of(catalog)
    labels = dict(Document.DocType.choices)
    for item in items:
        item.doc_type_label = labels.get(item.doc_type, item.doc_type)
    editable = catalog.status in services.EDITABLE and services.may_manage(
        request.user, catalog.org
    )
    return render(
        request,
        "workbench/catalogs/detail.html",
        {
            "c": catalog,
            "items": items,
            "editable": editable,
            "actions": services.actions_for(catalog, request.user),
            "may_new_version": catalog.status == CatalogStatus.APPROVED
            and services.may_manage(request.user, catalog.org),
            "changed": sum(1 for i in items if i.change not in ("", "kept")),
        },
    )


@login_required
def catalog_export(request, pk: int):
    catalog = selectors.staff_get(request.user, pk)
    items = [i for i in selectors.items_of(catalog) if i.change != "removed"]
    data = exports.catalog_xlsx(catalog, items, with_changes=request.GET.get("changes") == "1")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_name(catalog)}"'
    return response


@login_required
@require_POST
def catalog_action(request, pk: int):
    catalog = selectors.staff_get(request.user, pk)
    p, user = request.POST, request.user
    action = p.get("action", "")
    detail = reverse("workbench:catalog_detail", args=[catalog.pk])
    review = reverse("workbench:catalog_review", args=[catalog.pk])
    steps = {
        "submit": (
            lambda: services.catalog_submit(actor=user, catalog=catalog, note=p.get("note", "")),
            _("已提交审核。"),
            detail,
        ),
        "approve": (
            lambda: services.catalog_approve(actor=user, catalog=catalog, note=p.get("reason", "")),
            _("已审定通过。"),
            review,
        ),
        "return": (
            lambda: services.catalog_return(
                actor=user, catalog=catalog, reason=p.get("reason", "")
            ),
            _("已退回修改。"),
            review,
        ),
        "new_version": (
            lambda: services.catalog_new_version(actor=user, catalog=catalog),
            _("已生成新版本草稿。"),
            lambda c: reverse("workbench:catalog_detail", args=[c.pk]) if c else detail,
        ),
    }
    if action not in steps:
        raise Http404
    call, done, back = steps[action]
    return http.act(request, call, done, back)


def _item_page(request, catalog, item, form, error, status=200):
    return render(
        request,
        "workbench/catalogs/item.html",
        {"c": catalog, "item": item, "form": form, "error": error,
         "adapted": bool(catalog.base_id)},
        status=status,
    )  # fmt: skip


@login_required
def item_edit(request, pk: int, item_pk: int):
    catalog = selectors.staff_get(request.user, pk)
    item = selectors.item_get(request.user, catalog, item_pk)
    if request.method != "POST":
        return _item_page(
            request, catalog, item, ItemForm(initial=ItemForm.initial_for(item)), None
        )
    form = ItemForm(request.POST)
    action = request.POST.get("action", "save")
    try:
        if action == "remove":
            services.item_remove(
                actor=request.user, item=item, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("已删除该事项。"))
        elif action == "restore":
            services.item_restore(actor=request.user, item=item)
            messages.success(request, _("已恢复该事项。"))
        else:
            if not form.is_valid():
                raise ApplicationError(_("请检查填写的内容。"), code="invalid_form")
            services.item_update(
                actor=request.user,
                item=item,
                data=form.item_data(),
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(request, _("已保存事项。"))
    except ApplicationError as exc:
        return _item_page(request, catalog, item, form, exc.message, exc.status_code)
    return redirect(reverse("workbench:catalog_detail", args=[catalog.pk]) + f"#item-{item.pk}")


@login_required
def item_new(request, pk: int):
    catalog = selectors.staff_get(request.user, pk)
    if request.method != "POST":
        return _item_page(request, catalog, None, ItemForm(), None)
    form = ItemForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("请检查填写的内容。"), code="invalid_form")
        item = services.item_add(
            actor=request.user,
            catalog=catalog,
            data=form.item_data(),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ApplicationError as exc:
        return _item_page(request, catalog, None, form, exc.message, exc.status_code)
    messages.success(request, _("已新增事项。"))
    return redirect(reverse("workbench:catalog_detail", args=[catalog.pk]) + f"#item-{item.pk}")


@login_required
def catalog_reviews(request):
    http.require_somewhere(request.user, "review_catalog")
    rows = list(selectors.review_queue(request.user)[:200])
    return render(request, "workbench/catalogs/reviews.html", {"rows": rows})


@login_required
def catalog_review(request, pk: int):
    catalog = selectors.staff_get(request.user, pk)
    if not services.may_review(request.user, catalog):
        raise Http404
    diffs = selectors.differences(catalog)
    return render(
        request,
        "workbench/catalogs/review.html",
        {
            "c": catalog,
            "diffs": diffs,
            "actions": services.actions_for(catalog, request.user),
            "kept": catalog.items.filter(change="kept").count(),
            "total": catalog.items.count(),
        },
    )
