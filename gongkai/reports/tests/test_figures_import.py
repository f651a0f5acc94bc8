"""Section 二's figures for a whole region from one spreadsheet (issue 15, item 2)."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.core.exceptions import ApplicationError
from gongkai.core.tests import hostile
from gongkai.orgs.models import Membership
from gongkai.reports import services
from gongkai.reports.models import Figure


def _filled(template: bytes, edits: dict[str, list]) -> bytes:
    rows = list(load_workbook(io.BytesIO(template)).active.iter_rows(values_only=True))
    book = Workbook()
    sheet = book.active
    for row in rows:
        row = list(row)
        if row[1] in edits:
            row[2:7] = edits[row[1]]
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_round_trip_and_refusals(make_staff, org, client):
    city = org("示范市人民政府")
    supervisor = make_staff(city.name, Membership.Role.SUPERVISOR)
    template = services.figures_template(org=city, year=2025)
    names = [r[1] for r in load_workbook(io.BytesIO(template)).active.iter_rows(values_only=True)]
    assert "示范市教育局" in names and names[0] == "机构名称"
    good = _filled(template, {"示范市教育局": [126, 3, 0, 12.5, "政务服务平台统计"]})
    assert services.figures_import(actor=supervisor, year=2025, file_name="f.xlsx", data=good) == 4
    edu = org("示范市教育局")
    assert Figure.objects.get(org=edu, year=2025, kind="licensing").value == 126
    # A bad row: nothing of the file is stored.
    bad = _filled(template, {"示范市民政局": [5, None, None, None, "统计"],
                             "示范市财政局": [1.5, None, None, None, "统计"]})  # fmt: skip
    before = Figure.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.figures_import(actor=supervisor, year=2025, file_name="f.xlsx", data=bad)
    assert "第" in refused.value.message and Figure.objects.count() == before
    no_source = _filled(template, {"示范市民政局": [5, None, None, None, None]})
    with pytest.raises(ApplicationError):
        services.figures_import(actor=supervisor, year=2025, file_name="f.xlsx", data=no_source)
    with pytest.raises(ApplicationError):
        services.figures_import(
            actor=supervisor, year=2025, file_name="f.xlsx", data=hostile.size_bomb(200 << 20)
        )
    # Another region's organisation is refused.
    district = make_staff("示范市东城区人民政府", Membership.Role.SUPERVISOR)
    with pytest.raises(ApplicationError):
        services.figures_import(actor=district, year=2025, file_name="f.xlsx", data=good)
    # Through the page.
    client.force_login(supervisor)
    assert client.get("/workbench/reports/figures.xlsx", {"year": 2025}).content[:2] == b"PK"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/workbench/reports/figures/import/",
        {"year": 2025, "file": SimpleUploadedFile("f.xlsx", good)},
    )
    assert response.status_code == 302
