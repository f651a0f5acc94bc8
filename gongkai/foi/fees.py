"""The information processing fee (信息处理费), RULES §2, as pure arithmetic.

Art.42 of the Regulations makes disclosure free, except a processing fee when the volume or
frequency of requests is clearly beyond reason. 国办函〔2020〕109号 (charged from 2021-01-01)
sets the rates. An office charges one request either per item or per volume, never both, and
both scales are progressive:

- Per item (按件计收): items are numbered cumulatively for the same applicant within one
  calendar month; this request's items are numbered earlier+1 … earlier+items. Items 1–10 are
  free, 11–30 cost 100 yuan each, and from item 31 each further band of 10 items costs 100
  yuan more than the band before (31–40: 200, 41–50: 300, …).
- Per volume (按量计收), per request: pages 1–30 free, 31–100 10 yuan/page, 101–200 20 yuan/page,
  from 201 40 yuan/page.

Every computation lists one line per band it touches (the free band too, at price 0), so the
fee notice can show the basis, the rate and the amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.exceptions import ApplicationError

BASIS = "国办函〔2020〕109号"
# Far beyond anything an office would charge for, low enough to keep the arithmetic and the
# notice readable; larger numbers are typing mistakes.
MAX_ITEMS = 10_000
MAX_PAGES = 1_000_000

# Per volume: (first page, last page or None, yuan per page).
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


class FeeMethod(models.TextChoices):
    PER_ITEM = "per_item", gettext_lazy("按件计收")
    PER_VOLUME = "per_volume", gettext_lazy("按量计收")


@dataclass(frozen=True)
class FeeLine:
    label: str
    quantity: int
    unit_price: Decimal
    amount: Decimal

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "quantity": self.quantity,
            "unit_price": _yuan(self.unit_price),
            "amount": _yuan(self.amount),
        }


@dataclass(frozen=True)
class FeeComputation:
    method: str
    lines: tuple[FeeLine, ...]
    total: Decimal

    def explain(self) -> list[str]:
        """One Chinese line per band, e.g. "第11—30件：20件 × 100元 = 2000元", then the total."""
        unit = _("件") if self.method == FeeMethod.PER_ITEM else _("页")
        out = [
            _("%(method)s（%(basis)s）：")
            % {"method": FeeMethod(self.method).label, "basis": BASIS}
        ]
        for line in self.lines:
            out.append(
                _("%(label)s：%(n)s%(unit)s × %(price)s元 = %(amount)s元")
                % {
                    "label": line.label,
                    "n": line.quantity,
                    "unit": unit,
                    "price": _yuan(line.unit_price),
                    "amount": _yuan(line.amount),
                }
            )
        out.append(_("合计：%(total)s元") % {"total": _yuan(self.total)})
        return out

    def as_dict(self) -> dict:
        return {
            "method": str(self.method),
            "lines": [line.as_dict() for line in self.lines],
            "total": _yuan(self.total),
            "explanation": self.explain(),
        }


def _yuan(amount: Decimal) -> str:
    """Whole yuan without decimals; fractions (never produced by these rates) kept as they are."""
    return str(amount.quantize(Decimal(1))) if amount == amount.to_integral_value() else str(amount)


def _range_label(first: int, last: int, unit: str) -> str:
    if first == last:
        return _("第%(n)s%(unit)s") % {"n": first, "unit": unit}
    return _("第%(first)s—%(last)s%(unit)s") % {"first": first, "last": last, "unit": unit}


def _check_count(value, *, limit: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ApplicationError(
            _("%(what)s须为 0 至 %(limit)s 之间的整数。") % {"what": what, "limit": limit},
            code="fee_invalid_quantity",
            extra={"value": value},
        )
    return value


def _item_price(number: int) -> int:
    """Yuan for the `number`-th item of the month (109号: 1–10 free, 11–30 100, then +100/10)."""
    if number <= 10:
        return 0
    if number <= 30:
        return 100
    return 200 + 100 * ((number - 31) // 10)


def _item_band(number: int) -> tuple[int, int]:
    """The band of 10 (or 11–30, or 1–10) the `number`-th item falls in."""
    if number <= 10:
        return 1, 10
    if number <= 30:
        return 11, 30
    first = 31 + 10 * ((number - 31) // 10)
    return first, first + 9


def per_item(*, items: int, earlier_items_this_month: int) -> FeeComputation:
    """Fee for `items` items, after `earlier_items_this_month` from the same applicant."""
    _check_count(items, limit=MAX_ITEMS, what=_("件数"))
    _check_count(earlier_items_this_month, limit=MAX_ITEMS * 100, what=_("本月此前已申请的件数"))
    lines: list[FeeLine] = []
    number, last = earlier_items_this_month + 1, earlier_items_this_month + items
    while number <= last:
        band_last = min(_item_band(number)[1], last)
        quantity = band_last - number + 1
        price = Decimal(_item_price(number))
        lines.append(
            FeeLine(_range_label(number, band_last, _("件")), quantity, price, price * quantity)
        )
        number = band_last + 1
    return FeeComputation(
        FeeMethod.PER_ITEM, tuple(lines), sum((x.amount for x in lines), Decimal(0))
    )


def per_volume(*, pages: int) -> FeeComputation:
    """Fee for one request of `pages` pages (paper, email or copied electronic data)."""
    _check_count(pages, limit=MAX_PAGES, what=_("页数"))
    lines: list[FeeLine] = []
    for first, band_last, yuan in PAGE_BANDS:
        if pages < first:
            break
        last = pages if band_last is None else min(band_last, pages)
        quantity = last - first + 1
        price = Decimal(yuan)
        lines.append(FeeLine(_range_label(first, last, _("页")), quantity, price, price * quantity))
    return FeeComputation(
        FeeMethod.PER_VOLUME, tuple(lines), sum((x.amount for x in lines), Decimal(0))
    )


def compute(
    *, method: str, items: int = 0, earlier_items_this_month: int = 0, pages: int = 0
) -> FeeComputation:
    """The fee for one request by the chosen method; the other method's quantity must be 0."""
    if method not in FeeMethod.values:
        raise ApplicationError(_("收费方式须为按件计收或按量计收。"), code="fee_invalid_method")
    _check_count(items, limit=MAX_ITEMS, what=_("件数"))
    _check_count(pages, limit=MAX_PAGES, what=_("页数"))
    # 109号: one request is charged per item or per volume, never both.
    if (method == FeeMethod.PER_ITEM and pages) or (method == FeeMethod.PER_VOLUME and items):
        raise ApplicationError(
            _("按件计收和按量计收不能同时适用，同一申请只能选择一种收费方式。"),
            code="fee_mixed_methods",
        )
    if method == FeeMethod.PER_ITEM:
        return per_item(items=items, earlier_items_this_month=earlier_items_this_month)
    return per_volume(pages=pages)
