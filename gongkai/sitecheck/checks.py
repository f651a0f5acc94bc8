"""The self-check itself: every indicator of INDICATORS.md, measured on the site gongkai serves.

`run_checks()` only reads (the database and the site) and returns the result in the
indicators' structure; services.site_check_run() stores it. Each indicator has `ok`:
True (passes), False (fails) or None (unknown: not measurable here, or no answer in time),
and a `reason` in words.
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.documents.models import Document
from gongkai.documents.workflow import Status
from gongkai.participation.models import Question
from gongkai.participation.workflow import QUESTION_OPEN, QuestionStatus

from . import columns as column_states
from . import crawler, links
from .models import ColumnKind

SOURCE = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"

# Thresholds of the single-veto items (INDICATORS.md); a region may be stricter via settings.
HOME_PERIOD_DAYS = 14
UNREACHABLE_SHARE = 0.05
STALE_COLUMNS = getattr(settings, "GONGKAI_SITECHECK_STALE_COLUMNS", 5)
LONG_STALE_COLUMNS = getattr(settings, "GONGKAI_SITECHECK_LONG_STALE_COLUMNS", 10)
BLANK_COLUMNS = getattr(settings, "GONGKAI_SITECHECK_BLANK_COLUMNS", 5)
UNANSWERED_MONTHS = 3
PASS_SCORE = 60

# gongkai's own weights of the scored items it can measure (100 in all; see INDICATORS.md).
WEIGHTS = {
    "links_internal": 20,
    "links_external": 10,
    "search": 15,
    "mobile": 10,
    "accessibility": 10,
    "ipv6": 5,
    "interpretations": 15,
    "interaction_on_time": 15,
}


# The veto items' names, for pages that list failing items by id.
VETO_LABELS = {
    "site_unreachable": gettext_lazy("站点无法访问"),
    "home_not_updated": gettext_lazy("首页不更新"),
    "columns_stale": gettext_lazy("栏目不更新：动态要闻、通知公告和政策文件类"),
    "columns_long_stale": gettext_lazy("栏目不更新：应更新但长期未更新"),
    "columns_blank": gettext_lazy("栏目不更新：空白栏目"),
    "interaction_unanswered": gettext_lazy("互动回应差"),
}


@dataclass
class Limits:
    max_pages: int = 500
    crawl_deadline: float = 120.0
    probes: int = 3
    link_workers: int = 8
    link_timeout: float = 5.0
    link_deadline: float = 30.0
    max_links: int = 200
    allow_private: bool = False
    ipv6_timeout: float = 3.0


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` calendar months later (earlier when negative), clamped to the
    month's last day."""
    import calendar

    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _item(id_, group, label, threshold, ok, reason, **extra):
    return {
        "id": id_,
        "group": group,
        "label": str(label),
        "threshold": str(threshold),
        "source": SOURCE,
        "ok": ok,
        "reason": str(reason),
        **extra,
    }


def _scored(id_, label, threshold, ok, reason, earned, **extra):
    weight = WEIGHTS[id_]
    if ok is None:
        earned = None
    else:
        earned = float(
            Decimal(max(0.0, min(weight, earned))).quantize(Decimal("0.1"), ROUND_HALF_UP)
        )
    return _item(
        id_, "scored", label, threshold, ok, reason, max_score=weight, score=earned, **extra
    )


# --- the veto items -------------------------------------------------------------------------


def _unreachable(fetcher, start, probes):
    failed = 0
    for _n in range(probes):
        resp = fetcher.get(start)
        if resp.status is None or resp.status >= 500 or resp.status == 404:
            failed += 1
    share = failed / probes if probes else 0
    ok = share < UNREACHABLE_SHARE
    reason = _("首页访问 %(n)s 次，失败 %(f)s 次（本次为即时检查，非连续 1 周监测）") % {
        "n": probes,
        "f": failed,
    }
    return _item(
        "site_unreachable", "veto", _("站点无法访问"),
        _("监测 1 周，打不开的次数占比 ≥ 5%"), ok, reason, probes=probes, failed=failed,
    )  # fmt: skip


def _home_not_updated(docs, now):
    latest = docs.aggregate(latest=Max("published_at"))["latest"]
    ok = latest is not None and latest >= now - dt.timedelta(days=HOME_PERIOD_DAYS)
    if latest is None:
        reason = _("没有已发布的信息")
    else:
        reason = _("最近一次发布：%(d)s") % {"d": timezone.localtime(latest).strftime("%Y-%m-%d")}
    return _item(
        "home_not_updated", "veto", _("首页不更新"), _("监测 2 周，首页无信息更新"), ok, reason,
        latest=latest.isoformat() if latest else None,
    )  # fmt: skip


def _column_items(states, now):
    stale = [s for s in states if s.stale(now)]
    short = [s for s in stale if s.kind in (ColumnKind.DYNAMIC, ColumnKind.NOTICE_POLICY)]
    blank = [s for s in states if s.blank]

    def names(items):
        return "、".join(s.name for s in items[:20]) + ("……" if len(items) > 20 else "")

    def reason(items, limit, none):
        if not items:
            return none
        return _("%(n)s 个（阈值 %(t)s 个）：%(names)s") % {
            "n": len(items),
            "t": limit,
            "names": names(items),
        }

    return [
        _item(
            "columns_stale", "veto", _("栏目不更新：动态要闻、通知公告和政策文件类"),
            _("动态、要闻类 2 周内、通知公告和政策文件类 6 个月内未更新的栏目累计 ≥ %(n)s 个")
            % {"n": STALE_COLUMNS},
            len(short) < STALE_COLUMNS, reason(short, STALE_COLUMNS, _("没有超期未更新的栏目")),
            columns=[s.key for s in short],
        ),
        _item(
            "columns_long_stale", "veto", _("栏目不更新：应更新但长期未更新"),
            _("应更新但长期未更新的栏目 ≥ %(n)s 个") % {"n": LONG_STALE_COLUMNS},
            len(stale) < LONG_STALE_COLUMNS,
            reason(stale, LONG_STALE_COLUMNS, _("没有长期未更新的栏目")),
            columns=[s.key for s in stale],
        ),
        _item(
            "columns_blank", "veto", _("栏目不更新：空白栏目"),
            _("空白栏目 ≥ %(n)s 个") % {"n": BLANK_COLUMNS},
            len(blank) < BLANK_COLUMNS, reason(blank, BLANK_COLUMNS, _("没有空白栏目")),
            columns=[s.key for s in blank],
        ),
    ]  # fmt: skip


def _interaction(questions, now):
    """A valid message (not refused) received in the year before `now` and still unanswered
    more than 3 calendar months after receipt."""
    since, before = add_months(now, -12), add_months(now, -UNANSWERED_MONTHS)
    found = list(
        questions.filter(status__in=QUESTION_OPEN, received_at__gte=since, received_at__lt=before)
        .order_by("received_at")
        .values_list("number", flat=True)[:20]
    )
    if found:
        reason = _("%(n)s 条有效留言超过 3 个月未答复：%(list)s") % {
            "n": len(found),
            "list": "、".join(found),
        }
    else:
        reason = _("近 1 年内没有超过 3 个月未答复的有效留言")
    return _item(
        "interaction_unanswered", "veto", _("互动回应差"),
        _("监测时间点前 1 年内，存在超过 3 个月未回应的有效留言"), not found, reason,
        questions=found,
    )  # fmt: skip


def _not_checkable():
    return [
        _item(
            "serious_errors", "veto", _("严重表述错误、虚假伪造、违法有害内容"),
            _("出现任意一种即单项否决"), None,
            _("需人工审读：错别字、错误表述和虚假内容无法由程序可靠判断"),
        ),
        _item(
            "security_incidents", "veto", _("安全、泄密事故等严重问题"),
            _("出现任意一种即单项否决"), None,
            _("需人工核查：泄密、被篡改、挂马和负面舆情不在本系统的数据中"),
        ),
        _item(
            "services_not_practical", "veto", _("服务不实用"), _("未提供办事服务等"), None,
            _("办事服务由政务服务平台提供，不在本系统检查范围"),
        ),
    ]  # fmt: skip


# --- the scored items -----------------------------------------------------------------------


def _internal_links(result: crawler.Crawl):
    broken = result.broken()
    on_home = [p for p in broken if result.start in p.links_from]
    earned = WEIGHTS["links_internal"] - 2 * len(on_home) - 0.5 * (len(broken) - len(on_home))
    reason = _("检查 %(n)s 个页面和链接，断链 %(b)s 个（首页 %(h)s 个），未检查 %(u)s 个") % {
        "n": len(result.pages),
        "b": len(broken),
        "h": len(on_home),
        "u": result.unchecked,
    }
    return _scored(
        "links_internal", _("链接可用性（站内）"), _("首页断链每个扣 2 分，其他每个扣 0.5 分"),
        not broken, reason, earned,
        broken=[{"path": p.path, "status": p.status, "from": p.links_from} for p in broken[:50]],
        pages=len(result.pages), unchecked=result.unchecked,
    )  # fmt: skip


def _external_links(docs, limits: Limits):
    urls: list[str] = []
    for body in (
        docs.exclude(body="")
        .order_by("-published_at")
        .values_list("body", flat=True)[:2000]
        .iterator()
    ):
        for url in links.extract(body):
            if url not in urls:
                urls.append(url)
        if len(urls) >= limits.max_links:
            break
    if not urls:
        return _scored(
            "links_external", _("链接可用性（正文外部链接）"), _("每个断链扣 1 分"), True,
            _("已发布信息的正文中没有外部链接"), WEIGHTS["links_external"], checked=0,
        )  # fmt: skip
    results = links.check_all(
        urls,
        workers=limits.link_workers,
        timeout=limits.link_timeout,
        deadline=limits.link_deadline,
        max_links=limits.max_links,
        allow_private=limits.allow_private,
    )
    broken = [r for r in results if r.state == links.BROKEN]
    unknown = [r for r in results if r.state == links.UNKNOWN]
    ok = False if broken else (None if len(unknown) == len(results) else True)
    reason = _("检查 %(n)s 个外部链接：断链 %(b)s 个，无法判断 %(u)s 个") % {
        "n": len(results),
        "b": len(broken),
        "u": len(unknown),
    }
    return _scored(
        "links_external", _("链接可用性（正文外部链接）"), _("每个断链扣 1 分"), ok, reason,
        WEIGHTS["links_external"] - len(broken),
        links=[{"url": r.url, "state": r.state, "status": r.status, "note": r.note}
               for r in results[:100]],
    )  # fmt: skip


def _search(fetcher, docs):
    doc = docs.order_by("-published_at", "-pk").only("title", "index_number").first()
    label, threshold = _("站内搜索"), _("按已发布信息的标题检索应有结果")
    if doc is None:
        return _scored("search", label, threshold, None, _("没有已发布的信息可供检索"), 0)
    word = doc.title[:40]
    resp = fetcher.get("/search/?q=" + quote(word))
    ok = resp.status == 200 and 'href="/documents/' in resp.text
    reason = (_("检索“%(w)s”有结果") if ok else _("检索“%(w)s”没有结果（状态 %(s)s）")) % {
        "w": word,
        "s": resp.status,
    }
    return _scored("search", label, threshold, ok, reason, WEIGHTS["search"] if ok else 0)


def _mobile(result: crawler.Crawl):
    pages = result.html_pages
    label, threshold = _("移动端适配"), _("页面声明 viewport，适配手机屏幕")
    if not pages:
        return _scored("mobile", label, threshold, None, _("没有可检查的页面"), 0)
    missing = [p.path for p in pages if not p.viewport]
    reason = _("%(n)s 个页面中 %(m)s 个未声明 viewport") % {"n": len(pages), "m": len(missing)}
    earned = WEIGHTS["mobile"] * (len(pages) - len(missing)) / len(pages)
    return _scored("mobile", label, threshold, not missing, reason, earned, pages=missing[:20])


def _accessibility(result: crawler.Crawl):
    pages = result.html_pages
    label = _("无障碍基本要求")
    threshold = _("页面有 lang 和标题，图片有替代文字（alt）")
    if not pages:
        return _scored("accessibility", label, threshold, None, _("没有可检查的页面"), 0)
    bad = [p for p in pages if not (p.lang and p.title) or p.images_without_alt]
    reason = _("%(n)s 个页面中 %(m)s 个不符合（缺 lang、标题或图片 alt）") % {
        "n": len(pages),
        "m": len(bad),
    }
    earned = WEIGHTS["accessibility"] * (len(pages) - len(bad)) / len(pages)
    return _scored(
        "accessibility", label, threshold, not bad, reason, earned,
        pages=[p.path for p in bad[:20]],
    )  # fmt: skip


def site_host(base_url: str | None) -> tuple[str, int] | None:
    """The host and port the site is configured under (the base URL, else GONGKAI_SITE_URL)."""
    url = base_url or getattr(settings, "GONGKAI_SITE_URL", "")
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def _ipv6(base_url, limits: Limits):
    label, threshold = _("IPv6 支持"), _("网站地址有 AAAA 记录且可经 IPv6 访问")
    where = site_host(base_url)
    if where is None:
        return _scored("ipv6", label, threshold, None, _("未配置网站地址（GONGKAI_SITE_URL）"), 0)
    host, port = where
    if host in ("localhost", "127.0.0.1"):
        host = "::1"
    try:
        infos = socket.getaddrinfo(host, port, socket.AF_INET6, socket.SOCK_STREAM)
    except OSError:
        return _scored("ipv6", label, threshold, False, _("%(h)s 没有 IPv6 地址") % {"h": host}, 0)
    address = infos[0][4]
    try:
        with socket.create_connection(address[:2], timeout=limits.ipv6_timeout):
            pass
    except OSError as exc:
        # From this machine's network a remote IPv6 address may be out of reach: unknown.
        loopback = address[0] == "::1"
        reason = _("无法经 IPv6 连接 [%(a)s]:%(p)s（%(e)s）") % {
            "a": address[0],
            "p": port,
            "e": type(exc).__name__,
        }
        return _scored("ipv6", label, threshold, False if loopback else None, reason, 0)
    reason = _("可经 IPv6 连接 [%(a)s]:%(p)s") % {"a": address[0], "p": port}
    return _scored("ipv6", label, threshold, True, reason, WEIGHTS["ipv6"])


def _interpretations(docs, now):
    label = _("政策解读")
    threshold = _("需要解读的政策文件应同步发布解读（近 1 年）")
    n = docs.filter(needs_interpretation=True, published_at__gte=add_months(now, -12)).aggregate(
        total=Count("id", distinct=True),
        done=Count(
            "id",
            filter=Q(interpretations__document__status=Status.PUBLISHED),
            distinct=True,
        ),
    )
    if not n["total"]:
        return _scored(
            "interpretations", label, threshold, True, _("近 1 年没有需要解读的政策文件"),
            WEIGHTS["interpretations"],
        )  # fmt: skip
    reason = _("%(t)s 件需要解读的政策文件中 %(d)s 件已发布解读") % {
        "t": n["total"],
        "d": n["done"],
    }
    earned = WEIGHTS["interpretations"] * n["done"] / n["total"]
    return _scored(
        "interpretations", label, threshold, n["done"] == n["total"], reason, earned,
        total=n["total"], done=n["done"],
    )  # fmt: skip


def _interaction_on_time(questions, now):
    label, threshold = _("互动回应及时"), _("近 1 年收到的留言在答复期限内答复")
    today = timezone.localtime(now).date()
    n = questions.filter(received_at__gte=add_months(now, -12), received_at__lt=now).aggregate(
        answered=Count("id", filter=Q(status=QuestionStatus.ANSWERED)),
        on_time=Count(
            "id",
            filter=Q(status=QuestionStatus.ANSWERED, answered_at__date__lte=F("due_on")),
        ),
        overdue=Count("id", filter=Q(status__in=QUESTION_OPEN, due_on__lt=today)),
    )
    total = n["answered"] + n["overdue"]
    if not total:
        return _scored(
            "interaction_on_time", label, threshold, True, _("近 1 年没有到期的留言"),
            WEIGHTS["interaction_on_time"],
        )  # fmt: skip
    reason = _("%(t)s 条到期留言中 %(o)s 条按时答复，%(l)s 条逾期未答复") % {
        "t": total,
        "o": n["on_time"],
        "l": n["overdue"],
    }
    earned = WEIGHTS["interaction_on_time"] * n["on_time"] / total
    return _scored(
        "interaction_on_time", label, threshold, n["on_time"] == total, reason, earned, **n
    )


# --- the whole check ------------------------------------------------------------------------


def run_checks(
    *,
    org,
    now: dt.datetime,
    rules: dict,
    base_url: str | None = None,
    limits: Limits | None = None,
) -> dict:
    limits = limits or Limits()
    fetcher = (
        crawler.HttpFetcher(base_url, timeout=limits.link_timeout)
        if base_url
        else (crawler.ClientFetcher())
    )
    docs = Document.objects.filter(status=Status.PUBLISHED, published_at__lte=now)
    questions = Question.objects.all()
    start = "/"
    if org is not None and org.parent_id is not None:
        docs = docs.filter(org__path__startswith=org.path)
        questions = questions.filter(org__path__startswith=org.path)
        start = f"/orgs/{org.code}/"
    scope = org if org is not None and org.parent_id is not None else None
    states = column_states.states(org=scope, now=now, rules=rules)
    crawl = crawler.crawl(
        fetcher, start=start, max_pages=limits.max_pages, deadline=limits.crawl_deadline
    )
    veto = [
        _unreachable(fetcher, start, limits.probes),
        _home_not_updated(docs, now),
        *_column_items(states, now),
        _interaction(questions, now),
        *_not_checkable(),
    ]
    scored = [
        _internal_links(crawl),
        _external_links(docs, limits),
        _search(fetcher, docs),
        _mobile(crawl),
        _accessibility(crawl),
        _ipv6(base_url, limits),
        _interpretations(docs, now),
        _interaction_on_time(questions, now),
    ]
    known = [s for s in scored if s["score"] is not None]
    most = sum(s["max_score"] for s in known)
    score = round(100 * sum(s["score"] for s in known) / most, 1) if most else 0.0
    failed = [v["id"] for v in veto if v["ok"] is False]
    return {
        "version": 1,
        "now": now.isoformat(),
        "org": {"code": org.code, "name": org.name} if org is not None else None,
        "base_url": base_url or "",
        "start": start,
        "score": score,
        "pass_score": PASS_SCORE,
        "passed": not failed and score >= PASS_SCORE,
        "failed_veto": failed,
        "indicators": veto + scored,
        "columns": [s.as_dict(now) for s in states],
    }
