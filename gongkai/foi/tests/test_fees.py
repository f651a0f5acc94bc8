"""The processing fee (RULES §2, 国办函〔2020〕109号): band edges, mixing, and additivity."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.exceptions import ApplicationError
from gongkai.foi.fees import FeeMethod, compute, per_item, per_volume


@pytest.mark.parametrize(
    ("earlier", "items", "total"),
    [
        (0, 0, 0),
        (0, 10, 0),
        (0, 11, 100),
        (5, 10, 500),  # items 6–15: 5 free, 5 × 100
        (0, 30, 2000),
        (0, 31, 2200),
        (0, 40, 4000),
        (0, 45, 5500),  # 20 × 100 + 10 × 200 + 5 × 300
        (0, 50, 7000),
        (0, 51, 7400),
        (30, 10, 2000),  # items 31–40, all at 200
        (40, 1, 300),
    ],
)
def test_per_item_totals_at_band_edges(earlier, items, total):
    result = per_item(items=items, earlier_items_this_month=earlier)
    assert result.method == FeeMethod.PER_ITEM
    assert result.total == Decimal(total)
    assert sum(line.quantity for line in result.lines) == items


def test_per_item_lines_and_explanation():
    result = per_item(items=45, earlier_items_this_month=0)
    assert [(x.label, x.quantity, x.unit_price, x.amount) for x in result.lines] == [
        ("第1—10件", 10, Decimal(0), Decimal(0)),
        ("第11—30件", 20, Decimal(100), Decimal(2000)),
        ("第31—40件", 10, Decimal(200), Decimal(2000)),
        ("第41—45件", 5, Decimal(300), Decimal(1500)),
    ]
    lines = result.explain()
    assert "第11—30件：20件 × 100元 = 2000元" in lines
    assert "第1—10件：10件 × 0元 = 0元" in lines
    assert lines[-1] == "合计：5500元"
    assert "109号" in lines[0]


def test_per_item_continues_the_month_count():
    result = per_item(items=10, earlier_items_this_month=5)
    assert [(x.label, x.quantity, x.amount) for x in result.lines] == [
        ("第6—10件", 5, Decimal(0)),
        ("第11—15件", 5, Decimal(500)),
    ]
    assert per_item(items=1, earlier_items_this_month=10).lines[0].label == "第11件"


@pytest.mark.parametrize(
    ("pages", "total"),
    [
        (0, 0),
        (1, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2700),
        (201, 2740),
        (250, 4700),
    ],
)
def test_per_volume_totals_at_band_edges(pages, total):
    result = per_volume(pages=pages)
    assert result.method == FeeMethod.PER_VOLUME
    assert result.total == Decimal(total)
    assert sum(line.quantity for line in result.lines) == pages


def test_per_volume_250_pages_line_by_line():
    result = per_volume(pages=250)
    assert result.explain()[1:] == [
        "第1—30页：30页 × 0元 = 0元",
        "第31—100页：70页 × 10元 = 700元",
        "第101—200页：100页 × 20元 = 2000元",
        "第201—250页：50页 × 40元 = 2000元",
        "合计：4700元",
    ]
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert data["total"] == "4700" and data["method"] == "per_volume"
    assert data["lines"][1] == {
        "label": "第31—100页",
        "quantity": 70,
        "unit_price": "10",
        "amount": "700",
    }
    assert data["explanation"][-1] == "合计：4700元"


def test_compute_dispatches_by_method():
    assert compute(method=FeeMethod.PER_ITEM, items=45).total == Decimal(5500)
    assert compute(method="per_item", items=10, earlier_items_this_month=5).total == Decimal(500)
    assert compute(method=FeeMethod.PER_VOLUME, pages=250).total == Decimal(4700)


def test_compute_rejects_mixing_the_two_methods():
    for method in FeeMethod:
        with pytest.raises(ApplicationError) as exc:
            compute(method=method, items=12, pages=40)
        assert exc.value.code == "fee_mixed_methods"
        assert "按件计收和按量计收不能同时适用" in str(exc.value.message)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "per_item", "items": -1},
        {"method": "per_item", "items": 10_001},
        {"method": "per_item", "items": 5, "earlier_items_this_month": -3},
        {"method": "per_item", "items": True},
        {"method": "per_item", "items": 2.5},
        {"method": "per_volume", "pages": -1},
        {"method": "per_volume", "pages": 10**7},
        {"method": "per_volume", "pages": "40"},
    ],
)
def test_compute_rejects_negative_or_absurd_quantities(kwargs):
    with pytest.raises(ApplicationError) as exc:
        compute(**kwargs)
    assert exc.value.code == "fee_invalid_quantity"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value.message))


def test_compute_rejects_an_unknown_method():
    with pytest.raises(ApplicationError) as exc:
        compute(method="per_hour", items=3)
    assert exc.value.code == "fee_invalid_method"


quantities = st.integers(min_value=0, max_value=200)


@given(a=quantities, b=quantities, e=st.integers(min_value=0, max_value=500))
def test_per_item_is_additive_over_the_month(a, b, e):
    """Charging a+b items at once costs the same as a now and b later in the same month."""
    whole = per_item(items=a + b, earlier_items_this_month=e).total
    split = (
        per_item(items=a, earlier_items_this_month=e).total
        + per_item(items=b, earlier_items_this_month=e + a).total
    )
    assert whole == split


@given(e=st.integers(min_value=0, max_value=500), n=quantities)
def test_per_item_lines_cover_the_numbers_in_order(e, n):
    result = per_item(items=n, earlier_items_this_month=e)
    assert sum(line.amount for line in result.lines) == result.total
    assert all(line.amount == line.unit_price * line.quantity for line in result.lines)
    prices = [line.unit_price for line in result.lines]
    assert prices == sorted(prices) and len(set(prices)) == len(prices)


@given(p=st.integers(min_value=0, max_value=5000))
def test_per_volume_never_decreases_with_more_pages(p):
    assert per_volume(pages=p + 1).total >= per_volume(pages=p).total
