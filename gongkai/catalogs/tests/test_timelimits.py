"""The 公开时限 parser on wordings from real published catalogs, and each rule's verdict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.catalogs import timelimits as tl
from gongkai.catalogs.timelimits import Kind
from gongkai.core import workdays

# (wording as published, expected (kind, days / period / (month, day)), where it was published)
# Copied from the 公开时限 column of county and township 基层政务公开标准目录 pages.
REAL = [
    ("信息形成或变更之日起3个工作日内", (Kind.AFTER_EVENT, 3), "https://imortgage.com.cn/info/1475/44091.htm (凤屯镇)"),
    ("信息形成或变更之日起20个工作日内", (Kind.AFTER_EVENT, 20), "https://imortgage.com.cn/info/1475/44091.htm (凤屯镇)"),
    ("实时公开", (Kind.REALTIME, None), "https://www.saihan.gov.cn/zwgk_new/jczwgk/xzjd/hhsz/bzml"),
    ("及时公开", (Kind.REALTIME, None), "https://www.saihan.gov.cn/zwgk_new/jczwgk/xzjd/hhsz/bzml"),
    ("同上", (Kind.UNKNOWN, None), "https://www.saihan.gov.cn/zwgk_new/jczwgk/xzjd/hhsz/bzml"),
    ("信息形成或者变更之日起20个工作日内", (Kind.AFTER_EVENT, 20), "https://www.bjmtg.gov.cn/mtg11J022/zfxxgkbz/202408/c41e3027b76e4f10ba3e306db221589b.shtml"),
    ("按年公开", (Kind.PERIODIC, tl.YEAR), "https://www.bjmtg.gov.cn/mtg11J022/zfxxgkbz/202408/c41e3027b76e4f10ba3e306db221589b.shtml"),
    ("部门预算经本级财政部门批复后20日内公开", (Kind.CALENDAR_DAYS, 20), "https://www.bjmtg.gov.cn/mtg11J022/zfxxgkbz/202408/c41e3027b76e4f10ba3e306db221589b.shtml"),
    ("部门决算经本级财政部门批复后20日内公开", (Kind.CALENDAR_DAYS, 20), "https://www.bjmtg.gov.cn/mtg11J022/zfxxgkbz/202408/c41e3027b76e4f10ba3e306db221589b.shtml"),
    ("自信息形\n成或者变\n更之日起\n20个工作\n日内予以\n公开", (Kind.AFTER_EVENT, 20), "https://www.xilinhaote.gov.cn/xilinhaote/ztzl/qmtjjczwgkbzhgfhgz/bmjczwgk/blgjdbsc/gkbzml/index.html"),
    ("制定或获取信息之日起10个工作日\n内", (Kind.AFTER_EVENT, 10), "http://mdx.gov.cn/info/1473/43897.htm"),
    ("制定或获取信息之日起10个工作日内,公示7\n个工作日", (Kind.AFTER_EVENT, 10), "http://mdx.gov.cn/info/1473/43897.htm"),
    ("制定或获取信息之日起10个工作日内", (Kind.AFTER_EVENT, 10), "https://www.tjbd.gov.cn/zwgk/jczwgk/ly/shjzly/202012/t20201216_5039688.html"),
    ("制 定 或 获 取 信 息之日起 10 个 工作日内", (Kind.AFTER_EVENT, 10), "http://www.gaizhou.gov.cn/govxxgk/gzs/2022-01-06/3c993a7e-3dfc-449d-9582-3e26311e7633.html"),
    ("制定或獲取信息之日起10個工作日內", (Kind.AFTER_EVENT, 10), "http://www.cnheaven.com/xgxxxgk/c129245d/202106/a29c73d5590f47949552234925d942a0.shtml"),
    ("本级人民代表大会或其常务委员会批准后20日内", (Kind.CALENDAR_DAYS, 20), "https://www.yongxiu.gov.cn/jsx/02/glyjczwgkml/202403/t20240301_6423112.html"),
    ("本级人民代表大会或其常务委员会批准后20日内", (Kind.CALENDAR_DAYS, 20), "http://www.zs.gov.cn/sjz/sjml/content/post_1875410.html"),
    ("信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的,从其规定。", (Kind.AFTER_EVENT, 20), "http://fangshan.gov.cn/xxgk/jcgk/202012/t20201212_1457111.html"),
    ("信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的,从其规定。", (Kind.AFTER_EVENT, 20), "http://bbstxq.liuzhou.gov.cn/ztzl/dqzt/jczwgkzl/202211/t20221121_3177156.shtml"),
    ("信息形成或者变更之日起 20 个工作日内。法律、法规对政府信息公开的期限另有规定的,从其规定。", (Kind.AFTER_EVENT, 20), "https://www.tls.gov.cn/newtlsrmzf/c103254/202101/261324.shtml"),
    ("信息形成或變更之日起20個工作日內。法律法規對政府信息公開的期限另有規定的,從其規定。", (Kind.AFTER_EVENT, 20), "http://www.xmzaj.com/fxxrmzf/26gsdlyjczwgkbzmlzy/202111/408382c0b9004d8384e65b165a63a0bd.shtml (奉新县)"),
    ("公开事项 信息形成 或变更之 日起20个 工作日内 公开", (Kind.AFTER_EVENT, 20), "https://www.tengchong.gov.cn/info/7151/5817803.htm"),
    ("信息形成20个工作日内公开;其中行政许可、行政处罚事项应自作出行政决定之日起7个工作日内公示", (Kind.AFTER_EVENT, 20), "http://xuanhan.gov.cn/news-show-27384.html"),
    ("公开事项信息形成或变更之日起20个工作日内公开", (Kind.AFTER_EVENT, 20), "http://hhw.gov.cn/hhw/ztzl/jczwbzml/content/post_653545.html"),
    ("信息形成或變更之日起20個工作日內", (Kind.AFTER_EVENT, 20), "http://www.e5515c-test.cn/xgxxxgk/cssq025g/202310/861642fa86a241f496ad13b232776991.shtml"),
    ("按進展情況及時公開", (Kind.REALTIME, None), "http://www.e5515c-test.cn/xgxxxgk/cssq025g/202310/861642fa86a241f496ad13b232776991.shtml"),
    ("提前一周發通知邀請", (Kind.UNKNOWN, None), "http://www.e5515c-test.cn/xgxxxgk/cssq025g/202310/861642fa86a241f496ad13b232776991.shtml"),
    ("信息形成或变更 之日起20个工作 日内", (Kind.AFTER_EVENT, 20), "https://www.xinping.gov.cn/xpxzfxxgk/aqsc23/20240827/1551175.html"),
    ("信息形成或变更之日起20个工作日内", (Kind.AFTER_EVENT, 20), "http://www.shawan.gov.cn/swq/sdlybzml/202009/5770ae23410046d78aa6453f4bceb43d.shtml"),
    ("按进展情况及时 公开", (Kind.REALTIME, None), "https://keke.chddh.cn/archives/bqg98jldqm6vy2xm7pe6.html (福州市)"),
    ("半年至少更新1次", (Kind.PERIODIC, tl.HALF_YEAR), "http://dachuan.gov.cn/news-show-147131.html"),
    ("信息形成或者变更之日起20个工作日内", (Kind.AFTER_EVENT, 20), "http://www.xiangan.gov.cn/mlxa/ztzl/jczw/zjsd/xsjd/202408/t20240809_1063200.htm"),
    ("信息形成或者变更之日起20个工作日内", (Kind.AFTER_EVENT, 20), "http://dayao.gov.cn/info/egovinfo/1007/overt_centent/dyx033-/2023-0913016.htm"),
    ("信息获取(形成变更)20个工作日内", (Kind.AFTER_EVENT, 20), "https://m.jmsqyfw.com/ztzl/zczwgkml/26gzdly/bzxzf"),
    ("信息获取(形成、变更)20个工作日内", (Kind.AFTER_EVENT, 20), "https://lingyuan.gov.cn/html/LYSZF/202407/0172051038599294.html"),
    ("信息形成(变更)20个工作日内", (Kind.AFTER_EVENT, 20), "https://lingyuan.gov.cn/html/LYSZF/202407/0172051038599294.html"),
    ("信息形成(變更) 20 個工作日內", (Kind.AFTER_EVENT, 20), "http://wfyxz.com/dhqrmzf/xzjdbzzy/202012/e0f2bdf9b22c4af1b5f0f82a8b45ddc3.shtml"),
    ("公开事项信息形成或变更之日起20个工作日内公开", (Kind.AFTER_EVENT, 20), "http://www.rangtang.gov.cn/xtxrmzf/c107695/202106/c4e1cf1f8a704d1fa73d5ab10991592e.shtml"),
    ("执法决定信息在决定作出之日起7个工作日内公开,其他相关信息形成或变更之日起20个工作日内公开", (Kind.AFTER_EVENT, 20), "http://www.rangtang.gov.cn/xtxrmzf/c107695/202106/c4e1cf1f8a704d1fa73d5ab10991592e.shtml"),
    ("永久公開", (Kind.STANDING, None), "http://zzifashion.com/zjbzml/yy/content/post_1202144.html (霞山区友谊街道)"),
    ("永久公开", (Kind.STANDING, None), "http://www.zjxs.gov.cn/zjbzml/xy/content/post_1202133.html"),
    ("信息形成或者变更之日起20个工作日内公开", (Kind.AFTER_EVENT, 20), "https://yncn.gov.cn/info/32784/8965790.htm"),
    ("信息形成或变更之日起20个工作日内公开", (Kind.AFTER_EVENT, 20), "http://www.xingguo.gov.cn/xgxxxgk/c129245d/202106/4c5bb6651a354d2baab36996a8878080.shtml"),
    ("信息形成(变更)20个工作日内", (Kind.AFTER_EVENT, 20), "https://www.yj.gov.cn/art/2020/9/15/art_1229457969_59053173.html"),
    ("每年1月31日前公开上一年度公开年度报告", (Kind.ANNUAL_DEADLINE, (1, 31)), "https://www.yj.gov.cn/art/2020/9/15/art_1229457969_59053173.html"),
    ("开学前", (Kind.UNKNOWN, None), "http://www.tchuan.gov.cn/xxgk-show-27685.html"),
    ("及时公开,公告期限为5个工作日", (Kind.REALTIME, None), "http://www.jinxiang.gov.cn/art/2024/6/5/art_63224_2743063.html"),
    ("公开事项信息形成或变更之日起20个工作日内公开", (Kind.AFTER_EVENT, 20), "http://www.blzq.gov.cn/jczwgk/jczwgk_xzjd/jczwgk_bywlz/jczwgk_bywlz_shbx/jczwgk_bywlz_shbx_bzml"),
]  # fmt: skip

# The usual wordings the issue names, and the variants of spelling the parser must survive.
USUAL = [
    ("信息形成或者变更之日起20个工作日内", (Kind.AFTER_EVENT, 20)),
    ("自信息形成或变更之日起7个工作日内", (Kind.AFTER_EVENT, 7)),
    ("形成后5个工作日内", (Kind.AFTER_EVENT, 5)),
    ("信息形成或者变更之日起二十个工作日内", (Kind.AFTER_EVENT, 20)),
    ("信息形成或变更之日起２０个工作日内", (Kind.AFTER_EVENT, 20)),
    ("信息形成或 变更之日起 20 个工作日内", (Kind.AFTER_EVENT, 20)),
    ("10日内", (Kind.CALENDAR_DAYS, 10)),
    ("15天内", (Kind.CALENDAR_DAYS, 15)),
    ("十五日内", (Kind.CALENDAR_DAYS, 15)),
    ("每月", (Kind.PERIODIC, tl.MONTH)),
    ("每季度", (Kind.PERIODIC, tl.QUARTER)),
    ("每半年", (Kind.PERIODIC, tl.HALF_YEAR)),
    ("每年", (Kind.PERIODIC, tl.YEAR)),
    ("年度", (Kind.PERIODIC, tl.YEAR)),
    ("每年3月底前", (Kind.ANNUAL_DEADLINE, (3, None))),
    ("每年三月底前", (Kind.ANNUAL_DEADLINE, (3, None))),
    ("每年6月30日前", (Kind.ANNUAL_DEADLINE, (6, 30))),
    ("每年６月３０日前", (Kind.ANNUAL_DEADLINE, (6, 30))),
    ("实时", (Kind.REALTIME, None)),
    ("即时", (Kind.REALTIME, None)),
    ("动态更新", (Kind.REALTIME, None)),
    ("长期", (Kind.STANDING, None)),
    ("常态化", (Kind.STANDING, None)),
    ("", (Kind.UNKNOWN, None)),
    ("\x00<script>", (Kind.UNKNOWN, None)),
    ("每季度结束后10个工作日内", (Kind.PERIODIC, tl.QUARTER)),
]


def _shape(rule: tl.Rule):
    if rule.kind in (Kind.AFTER_EVENT, Kind.CALENDAR_DAYS):
        return (rule.kind, rule.days)
    if rule.kind == Kind.PERIODIC:
        return (rule.kind, rule.period)
    if rule.kind == Kind.ANNUAL_DEADLINE:
        return (rule.kind, (rule.month, rule.day))
    return (rule.kind, None)


def test_at_least_forty_real_wordings():
    assert len(REAL) >= 40
    assert all(source.startswith("http") for _t, _e, source in REAL)


@pytest.mark.parametrize(("text", "expected", "source"), REAL)
def test_real_wordings(text, expected, source):
    assert _shape(tl.parse(text)) == expected, source


@pytest.mark.parametrize(("text", "expected"), USUAL)
def test_usual_wordings(text, expected):
    assert _shape(tl.parse(text)) == expected


def test_periodic_grace_read_from_working_days():
    assert tl.parse("每季度结束后10个工作日内").grace == 10


def test_labels_are_plain():
    assert tl.parse("每季度").label() == "每季度"
    assert tl.parse("每年3月底前").label() == "每年 3 月底前"
    assert "20" in tl.parse("信息形成或变更之日起20个工作日内").label()


def at(y, m, d, hour=10):
    return timezone.make_aware(dt.datetime(y, m, d, hour))


NOW = at(2026, 8, 14)


@pytest.mark.django_db
class TestVerdicts:
    def test_after_event_fresh_once_published_without_horizon(self):
        rule = tl.parse("信息形成或者变更之日起20个工作日内")
        v = rule.evaluate(at(2020, 1, 2), NOW, horizon=0)
        assert v.fresh and not v.empty
        v = rule.evaluate(None, NOW, horizon=0)
        assert not v.fresh and v.empty

    def test_after_event_with_horizon_uses_working_days(self):
        rule = tl.parse("信息形成或者变更之日起20个工作日内")
        last = at(2026, 7, 1)
        due = workdays.add_working_days(dt.date(2026, 7, 1), 20).due_date
        fresh = rule.evaluate(
            last, timezone.make_aware(dt.datetime.combine(due, dt.time(9))), horizon=20
        )
        assert fresh.fresh and fresh.due == due
        late = rule.evaluate(last, NOW, horizon=20)
        assert not late.fresh
        assert late.overdue_since == due + dt.timedelta(days=1)
        assert late.overdue_days == (dt.date(2026, 8, 14) - due).days

    def test_quarterly(self):
        rule = tl.parse("每季度")
        v = rule.evaluate(at(2026, 3, 2), NOW)
        # Published in Q1: the next was due by the end of Q2.
        assert not v.fresh and v.due == dt.date(2026, 6, 30)
        assert v.overdue_since == dt.date(2026, 7, 1) and v.overdue_days == 45
        assert v.explanation == "每季度：上次公开 2026-03-02，已超期 45 天。"
        assert rule.evaluate(at(2026, 5, 2), NOW).fresh
        assert rule.evaluate(None, NOW).empty

    def test_monthly_with_grace(self):
        rule = tl.parse("每月结束后5个工作日内")
        due = workdays.add_working_days(dt.date(2026, 8, 31), 5).due_date
        v = rule.evaluate(at(2026, 7, 3), NOW)
        assert v.fresh and v.due == due

    def test_yearly_deadline(self):
        rule = tl.parse("每年3月底前")
        # Past this year's date: something since last year's 31 March is needed.
        assert rule.evaluate(at(2026, 3, 20), NOW).fresh
        late = rule.evaluate(at(2025, 3, 20), NOW)
        assert not late.fresh and late.overdue_since == dt.date(2026, 4, 1)
        # Before this year's date: last year's publication is enough.
        early = at(2026, 2, 1)
        assert rule.evaluate(at(2025, 3, 20), early).fresh
        assert not rule.evaluate(at(2024, 3, 20), early).fresh
        nothing = rule.evaluate(None, NOW)
        assert nothing.empty and not nothing.fresh

    def test_standing_and_unknown_are_fresh_when_published(self):
        for text in ("长期公开", "同上", "开学前", "实时"):
            rule = tl.parse(text)
            assert rule.evaluate(at(2010, 1, 1), NOW, horizon=0).fresh
            assert rule.evaluate(None, NOW, horizon=0).empty
