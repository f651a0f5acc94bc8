"""`GET /api/v1/reports/{org_code}/{year}`: the published annual report, as frozen when
published (`section3.rows[ROW][COLUMN]` with the national row numbers and column names)."""

from ninja import Router

from . import selectors

router = Router(tags=["reports"])


@router.get("/{org_code}/{year}", response={200: dict, 404: dict}, auth=None)
def published(request, org_code: str, year: int):
    current, older = selectors.published_report(org_code=org_code, year=year)
    return {
        "version": current.version,
        "published_at": current.published_at,
        "index_number": current.document.index_number if current.document else None,
        "correction_reason": current.correction_reason,
        "superseded_versions": [v.version for v in older],
        **current.snapshot,
    }
