from ninja import Router, Schema

from gongkai.core.exceptions import NotFoundError

from . import selectors

router = Router(tags=["orgs"])


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    address: str
    office_hours: str
    phone: str
    fax: str
    email: str
    website: str


class OrgList(Schema):
    items: list[OrgOut]
    count: int


def _out(org) -> dict:
    return {
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "parent_code": org.parent.code if org.parent_id else None,
        "address": org.address,
        "office_hours": org.office_hours,
        "phone": org.phone,
        "fax": org.fax,
        "email": org.email,
        "website": org.website,
    }


@router.get("", response=OrgList, summary="Every active organisation, in tree order")
def org_list(request):
    orgs = list(selectors.org_public_list().select_related("parent").order_by("path"))
    return {"items": [_out(o) for o in orgs], "count": len(orgs)}


@router.get("/{code}", response=OrgOut)
def org_detail(request, code: str):
    org = selectors.org_get_public(code=code)
    if org is None:
        raise NotFoundError()
    return _out(org)
