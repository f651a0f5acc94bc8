"""End-to-end, in Debian's chromium: every public page type on a 360 px and a 390 px phone, in
normal and in large text (大字版), scrolls only vertically, keeps every table cell at least three
characters wide, stays within a height budget for its content, and axe-core finds nothing.

axe-core comes from the npm registry at test setup (`scripts/system-deps.sh` installs the pinned
version into the git-ignored .venv/npm), never from a CDN; the test injects its axe.min.js.
A database test checks the folding of long unit lists on /plans/<id>/ without a browser.
"""

import json
import os
from pathlib import Path

import pytest

from gongkai.conftest import ARTIFACTS

AXE_JS = Path(__file__).resolve().parents[3] / ".venv/npm/node_modules/axe-core/axe.min.js"

# (width, large text): the narrowest phones in use, in both text sizes.
VIEWS = [(360, False), (390, False), (360, True), (390, True)]

# What the browser measures on each page (see the assertions below for the rules).
MEASURE = """() => {
  const root = document.documentElement;
  const px = (el, prop) => parseFloat(getComputedStyle(el)[prop]) || 0;
  const narrow = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const text = cell.innerText.trim();
    // Hidden cells, and the header row a card layout keeps for screen readers only.
    if (!text || cell.getClientRects().length === 0) continue;
    if (cell.closest('thead') && cell.closest('thead').getBoundingClientRect().width <= 1) continue;
    const em = px(cell, 'fontSize');
    const inner = cell.clientWidth - px(cell, 'paddingLeft') - px(cell, 'paddingRight');
    // A cell as narrow as its text needs is fine ("1", "—"); narrower than three characters
    // while its text is longer is the character-per-line wrapping this test is about.
    const needed = Math.min(3, [...text].length) * em * 0.95;
    if (inner < needed) narrow.push(`${cell.tagName} ${Math.round(inner)}px: ${text.slice(0, 30)}`);
  }
  // The text the page shows, as the area it would take set solid across the main column.
  const main = document.querySelector('main');
  const width = main.clientWidth - px(main, 'paddingLeft') - px(main, 'paddingRight');
  let ink = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    const chars = node.textContent.replace(/\\s+/g, '').length;
    if (!chars || !el || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden], .visually-hidden, .skip-link')) continue;
    const em = parseFloat(style.fontSize);
    const lh = parseFloat(style.lineHeight) || em * 1.6;
    ink += chars * em * lh;
  }
  // Column names a card shows from data-label (generated content, not text nodes).
  for (const cell of document.querySelectorAll('main [data-label]')) {
    if (cell.getClientRects().length === 0 || getComputedStyle(cell, '::before').content === 'none') continue;
    const em = px(cell, 'fontSize');
    ink += cell.dataset.label.length * em * (parseFloat(getComputedStyle(cell).lineHeight) || em * 1.6);
  }
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    height: root.scrollHeight,
    ideal: Math.round(ink / width),
    narrow,
  };
}"""


def page_urls() -> dict[str, str]:
    """One URL of every public page type, from the demo data."""
    from gongkai.documents.models import Column, Document, GazetteIssue
    from gongkai.normative.models import NormativeDocument
    from gongkai.normative.selectors import campaigns_public
    from gongkai.orgs.models import Org
    from gongkai.participation.models import Consultation, Question
    from gongkai.reports.models import AnnualReport
    from gongkai.supervision.models import WorkPlan

    edu = Org.objects.get(name="示范市教育局")
    normative = NormativeDocument.objects.select_related("document").order_by("pk")
    plain = (
        Document.objects.filter(status="published", normative__isnull=True)
        .exclude(body="")
        .order_by("pk")
        .first()
    )
    report = AnnualReport.objects.filter(status="published").select_related("org").first()
    consultations = Consultation.objects.exclude(status__in=["draft", "withdrawn"])
    question = Question.objects.filter(status="answered").order_by("pk").first()
    return {
        "home": "/",
        "search": "/search/",
        "search-q": "/search/?q=教育",
        "catalog": f"/orgs/{edu.code}/catalog/",
        "column-list": "/columns/",
        "column": f"/columns/{Column.objects.order_by('sort_order').first().slug}/",
        "document": plain.get_absolute_url(),
        "document-print": plain.get_absolute_url() + "print/",
        "normative": "/normative/",
        "normative-document": normative.first().document.get_absolute_url(),
        "normative-compile": "/normative/compile/",
        "normative-campaigns": "/normative/campaigns/",
        "normative-campaign": f"/normative/campaigns/{campaigns_public().first().pk}/",
        "gazette": "/gazette/",
        "gazette-issue": GazetteIssue.objects.order_by("pk").first().get_absolute_url(),
        "plans": "/plans/",
        "plan": WorkPlan.objects.order_by("pk").first().get_absolute_url(),
        "orgs": "/orgs/",
        "org": f"/orgs/{edu.code}/",
        "guide": f"/orgs/{edu.code}/guide/",
        "calendar": "/calendar/?start=2026-12-01&days=20",
        "foi-apply": "/foi/apply/",
        "foi-track": "/foi/track/",
        "reports": "/reports/",
        "reports-org": f"/reports/{report.org.code}/",
        "report": f"/reports/{report.org.code}/{report.year}/",
        "statistics": "/statistics/",
        "consultations": "/consultations/",
        "consultation": f"/consultations/{consultations.order_by('pk').first().pk}/",
        "consultation-feedback": (
            f"/consultations/{consultations.filter(status='feedback_published').first().pk}/"
        ),
        "decisions": "/consultations/decisions/",
        "interaction": "/interaction/",
        "interaction-ask": "/interaction/ask/",
        "interaction-track": "/interaction/track/",
        "question": f"/interaction/{question.number}/",
    }


# The page height rule. A page may be as tall as its text set solid across the main column
# ("ideal", measured above: characters × font size × line height ÷ column width, column names
# of cards included) times HEIGHT_RATIO, and never less than two screens (short pages have a
# header, navigation, footer and a main area of at least 60vh). Measured after the fixes of
# issue 17: ratios 1.0–4.4 (forms and short pages highest: inputs and margins carry no text);
# /plans/<id>/ before them was 34,954 px at 390 px (ratio 8.1) and 51,727 px in large text.
HEIGHT_RATIO = 5.5
SCREEN = 800
# The work plan of the demo (11 tasks, 6 of them with 39 to 46 responsible units): measured
# 5,973 px at 390 px and 10,750 px at 390 px in large text after the fixes (34,954 and 51,727
# before); the budget leaves half again as much.
PLAN_BUDGET = {False: 9_000, True: 16_000}

# Failures in templates this test's author does not own, for their owners to fix; each entry
# names the file and the fix. The test is an expected failure while one of them still shows, and
# fails when anything else breaks or when a listed problem is gone (then delete its entry).
KNOWN_ISSUES: dict[str, str] = {}


def _axe_script() -> Path:
    if AXE_JS.exists():
        return AXE_JS
    if os.environ.get("CI"):
        pytest.fail(f"axe-core is not installed at {AXE_JS}: CI must run scripts/system-deps.sh")
    pytest.skip(f"axe-core is not installed at {AXE_JS} (run: bash scripts/system-deps.sh)")


AXE_RUN = """async () => {
  const result = await axe.run(document);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
  }));
}"""


@pytest.mark.e2e
@pytest.mark.usefixtures("demo_data")
def test_every_public_page_fits_a_phone_in_both_text_sizes_and_passes_axe(browser, live_server):
    """At 360 and 390 px, in normal and large text, each public page type: no sideways
    scrolling, no table cell narrower than three characters of its text, a height within the
    budget for its content, 0 axe-core violations."""
    from gongkai.portal.management.commands.demo import demo_loaders

    axe = _axe_script()
    for _label, load in demo_loaders():
        load()
    urls = page_urls()
    base = live_server.url
    shots = ARTIFACTS / "phones"
    shots.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    heights: dict[str, dict[str, int]] = {}
    for width, large in VIEWS:
        view = f"{width}px{' 大字版' if large else ''}"
        # bypass_csp: the page's CSP (script-src 'self') rightly refuses the injected axe script.
        context = browser.new_context(
            viewport={"width": width, "height": SCREEN},
            is_mobile=True,
            has_touch=True,
            bypass_csp=True,
        )
        page = context.new_page()
        if large:
            # As a visitor does: the header's 大字版 button (a POST; a cookie keeps the choice).
            page.goto(base + "/")
            with page.expect_navigation():
                page.get_by_test_id("text-size").click()
            assert "text-large" in (page.get_attribute("html", "class") or "")
        for name, url in urls.items():
            found = problems.setdefault(name, [])
            response = page.goto(base + url)
            if response.status != 200:
                found.append(f"{view}: HTTP {response.status} for {url}")
                continue
            m = page.evaluate(MEASURE)
            heights.setdefault(name, {})[view] = m["height"]
            if m["scrollWidth"] > m["clientWidth"]:
                found.append(f"{view}: scrolls sideways ({m['scrollWidth']} > {m['clientWidth']})")
            if m["narrow"]:
                found.append(f"{view}: cells under three characters: {m['narrow'][:5]}")
            budget = max(2 * SCREEN, HEIGHT_RATIO * m["ideal"])
            if name == "plan":
                budget = min(budget, PLAN_BUDGET[large])
            if m["height"] > budget:
                found.append(f"{view}: {m['height']} px tall, budget {budget:.0f} px")
            page.add_script_tag(path=str(axe))
            for v in page.evaluate(AXE_RUN):
                found.append(f"{view}: axe {v['id']} ({v['impact']}) at {v['nodes']}")
            if width == 390:
                suffix = "-large" if large else ""
                page.screenshot(path=str(shots / f"{name}-390{suffix}.png"), full_page=True)
        context.close()
    (shots / "heights.json").write_text(json.dumps(heights, ensure_ascii=False, indent=1))

    unexpected = {n: p for n, p in problems.items() if p and n not in KNOWN_ISSUES}
    report = "\n".join(f"{n} ({urls[n]}):\n  " + "\n  ".join(p) for n, p in unexpected.items())
    assert not unexpected, report
    gone = [n for n in KNOWN_ISSUES if not problems.get(n)]
    assert not gone, f"fixed, remove from KNOWN_ISSUES: {gone}"
    still = {n: problems[n] for n in KNOWN_ISSUES}
    if still:
        pytest.xfail("; ".join(f"{KNOWN_ISSUES[n]} — seen: {p[:3]}" for n, p in still.items()))


def test_long_unit_lists_fold_behind_a_count_and_cards_name_their_columns(client, db):
    """A task with more than six responsible units shows five and "及其他 N 个单位" in a
    <details> (opens without JavaScript; every name stays in the page); a short list is whole;
    each task cell carries its column's name for the phone's card layout."""
    import re

    from gongkai.supervision.demo import load_demo_supervision
    from gongkai.supervision.selectors import ledger

    plan = load_demo_supervision()
    rows = ledger(plan=plan)
    html = client.get(plan.get_absolute_url()).content.decode()
    long_row = next(r for r in rows if len(r.responsible) > 6)
    rest = len(long_row.responsible) - 5
    assert f"<summary>及其他 {rest} 个单位</summary>" in html
    assert all(name in html for name in long_row.responsible)
    short_row = next(r for r in rows if 0 < len(r.responsible) <= 6)
    assert "、".join(short_row.responsible) in html
    cells = re.findall(r'<td data-label="([^"]+)"', html)
    assert {"序号", "具体举措", "牵头单位", "责任单位", "完成时限", "状态"} <= set(cells)
    assert html.count('data-label="责任单位"') == len(rows)
