"""Writes of the reports app: the figures section 二 needs that gongkai holds no records of."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.orgs import permissions

from .models import Figure


def _value(kind: str, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("请填写数字。"), code="invalid_number") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise ApplicationError(_("数值应为不小于 0 的数字。"), code="invalid_number")
    if kind != Figure.Kind.FEES and value != value.to_integral_value():
        raise ApplicationError(_("处理决定数量应为整数。"), code="invalid_number")
    return value.quantize(Decimal("0.0001"))


@transaction.atomic
def figure_set(*, actor, org, year: int, kind: str, value, source: str) -> Figure:
    """Enter (or correct) one figure of section 二, with where it comes from."""
    if not permissions.can(actor, "prepare_report", org):
        raise PermissionDeniedError()
    if kind not in Figure.Kind.values:
        raise ApplicationError(_("未知的填报项目。"), code="invalid_kind")
    if not settings.GONGKAI_CALENDAR_MIN_YEAR <= year <= settings.GONGKAI_CALENDAR_MAX_YEAR:
        raise ApplicationError(_("年度超出范围。"), code="invalid_year")
    source = " ".join((source or "").split())[:300]
    if not source:
        raise ApplicationError(_("请填写数据来源。"), code="source_required")
    amount = _value(kind, value)
    figure = Figure.objects.select_for_update().filter(org=org, year=year, kind=kind).first()
    old = None if figure is None else str(figure.value)
    if figure is None:
        figure = Figure(org=org, year=year, kind=kind)
    figure.value, figure.source = amount, source
    figure.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    figure.save()
    audit.record(
        actor=actor,
        verb="reports.figure_set",
        target=figure,
        org=org,
        data={"year": year, "kind": kind, "from": old, "to": str(amount), "source": source},
    )
    return figure
