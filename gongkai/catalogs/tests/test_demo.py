"""The demo's catalogs: the city's three approved areas, 东城区's approved adaptations."""

from __future__ import annotations

import pytest

from gongkai.catalogs import demo
from gongkai.catalogs.models import Catalog

from .helpers import CITY, EAST

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_an_adaptation_of_each_kind():
    lines = demo.load()
    assert lines
    approved = Catalog.objects.filter(status="approved")
    assert approved.filter(org__name=CITY).count() == 3
    assert approved.filter(org__name=EAST).count() == 3
    for catalog in approved.filter(org__name=CITY):
        assert 8 <= catalog.items.count() <= 15
    education = approved.get(org__name=EAST, area__name="义务教育")
    changes = sorted(education.items.exclude(change="kept").values_list("change", flat=True))
    assert changes == ["added", "removed", "reworded"]
    assert all(education.items.exclude(change="kept").values_list("change_reason", flat=True))
    assert education.base.org.name == CITY
    assert demo.load() == []
    assert Catalog.objects.count() == 6


def test_demo_coverage_shows_covered_empty_and_stale_items():
    """东城区's items mapped so that coverage has each status (documents published by the demo)."""
    from gongkai.catalogs import coverage
    from gongkai.orgs.models import Org

    demo.load()
    counts = coverage.org_coverage(Org.objects.get(name=EAST)).counts
    assert counts["covered"] >= 1 and counts["empty"] >= 1 and counts["stale"] >= 1
