"""Demo register (网站和政务新媒体台账): six websites and accounts of the demo region, opened
through approval; one awaiting approval to close, one flagged as not updated for weeks, the
education bureau's site served by gongkai itself (its last update computed from published documents).
Loaded through the services; running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from . import services
from .models import Entry, Kind, Platform

CLOSING = "示范教育"
STALE = "示范民政"

# (organisation, kind, fields, days since last update or None, unanswered messages)
ENTRIES = [
    (
        "示范市教育局",
        Kind.WEBSITE,
        {
            "name": "示范市教育局网站",
            "address": "https://jyj.shifan.gov.cn/",
            "site_code": "1152000003",
            "icp_number": "示ICP备05000001号-3",
            "security_number": "示公网安备 11520002000003号",
            "sponsor_unit": "示范市教育局",
            "operator_unit": "示范市大数据中心",
            "served_by_gongkai": True,
        },
        None,
        0,
    ),
    (
        "示范市人民政府",
        Kind.NEW_MEDIA,
        {
            "name": "示范发布",
            "platform": Platform.WECHAT,
            "account_id": "shifanfabu",
            "certified_entity": "示范市人民政府办公室",
            "operator_unit": "示范市融媒体中心",
        },
        1,
        0,
    ),
    (
        "示范市教育局",
        Kind.NEW_MEDIA,
        {
            "name": CLOSING,
            "platform": Platform.WEIBO,
            "account_id": "5123456789",
            "address": "https://weibo.com/u/5123456789",
            "certified_entity": "示范市教育局",
            "operator_unit": "示范市教育局办公室",
        },
        9,
        0,
    ),
    (
        "示范市民政局",
        Kind.NEW_MEDIA,
        {
            "name": STALE,
            "platform": Platform.DOUYIN,
            "account_id": "shifanminzheng",
            "certified_entity": "示范市民政局",
            "operator_unit": "示范市民政局办公室",
        },
        45,
        3,
    ),
    (
        "示范市人力资源和社会保障局",
        Kind.NEW_MEDIA,
        {
            "name": "示范人社",
            "platform": Platform.APP,
            "address": "https://rs.shifan.gov.cn/app/",
            "certified_entity": "示范市人力资源和社会保障局",
            "operator_unit": "示范市社会保险服务中心",
        },
        3,
        0,
    ),
    (
        "示范市东城区人民政府",
        Kind.WEBSITE,
        {
            "name": "示范市东城区人民政府网站",
            "address": "https://dongcheng.shifan.gov.cn/",
            "site_code": "1152010001",
            "icp_number": "示ICP备05000002号",
            "sponsor_unit": "示范市东城区人民政府办公室",
            "operator_unit": "示范市东城区融媒体中心",
        },
        2,
        0,
    ),
]


@transaction.atomic
def load() -> list[str]:
    actor = CommandLine("demo")
    today = timezone.localdate()
    lines: list[str] = []
    created = 0
    for n, (org_name, kind, fields, days, messages) in enumerate(ENTRIES, 1):
        if Entry.objects.filter(name=fields["name"]).exists():
            continue
        org = Org.objects.get(name=org_name)
        data = {
            "sponsor_unit": org_name,
            "person_name": f"联络员{n}",
            "person_phone": f"0755-8800{n:04d}",
            **fields,
        }
        proposal = services.request_open(
            actor=actor,
            org=org,
            kind=kind,
            data=data,
            reason="按照政府网站和政务新媒体集约化要求登记在册。",
        )
        entry = services.request_approve(actor=actor, request=proposal).entry
        services.entry_record_update(
            actor=actor,
            entry=entry,
            updated_on=today - dt.timedelta(days=days) if days is not None else None,
            unanswered_messages=messages,
        )
        if fields["name"] == CLOSING:
            # Proposed by the bureau's demo publisher, so that demo-supervisor can decide it.
            publisher = get_user_model().objects.filter(username="demo-publisher").first()
            services.request_close(
                actor=publisher or actor,
                entry=entry,
                reason="功能已整合至“示范发布”政务微信，按照清理整合要求申请关停。",
            )
        created += 1
    if created:
        lines.append(
            f"demo sites: {created} websites and new-media accounts "
            f"({CLOSING} awaiting approval to close, {STALE} flagged as not updated)"
        )
    return lines
