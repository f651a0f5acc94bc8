"""Demo data for work-plan supervision: last year's plan of 示范市, confirmed and half carried
out, so that the ledger, the overdue lists, the bulletins, the portal and the look-back have
something to show. This year's plan (`demo/shifan-2026-plan.txt`) is left for the visitor to
import, review (one unit name is misspelt on purpose) and confirm."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from . import services
from .models import WorkPlan
from .workflow import Progress

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_PLAN = DEMO_DIR / "shifan-2026-plan.txt"
CITY = "示范市人民政府"


def last_year_text(year: int) -> bytes:
    text = DEMO_PLAN.read_text(encoding="utf-8")
    text = re.sub(r"202[67]", lambda m: str(year + int(m.group()) - 2026), text)
    return text.replace("市人设局", "市人社局").encode()


@transaction.atomic
def load_demo_supervision() -> WorkPlan | None:
    """Create and carry half-way last year's plan; None when the demo already has plans."""
    if WorkPlan.objects.exists():
        return None
    actor = CommandLine("demo")
    city = Org.objects.get(name=CITY)
    year = timezone.localdate().year - 1
    plan = services.plan_import(
        actor=actor,
        org=city,
        year=year,
        file_name=f"shifan-{year}-plan.txt",
        data=last_year_text(year),
    )
    services.plan_confirm(actor=actor, plan=plan)
    tasks = {t.number: t for t in plan.tasks.filter(is_series=False)}
    by_name = {o.name: o for o in Org.objects.filter(name__in=[
        "示范市发展和改革委员会", "示范市教育局", "示范市东城区人民政府", "示范市西城区人民政府",
        "示范市民政局",
    ])}  # fmt: skip

    def cycle(number, lead, status, text, accept=True):
        report = services.progress_consolidate(
            actor=actor, task=tasks[number], org=by_name[lead], status=status, text=text
        )
        if accept is not None:
            services.report_review(
                actor=actor,
                report=report,
                accept=accept,
                comment="" if accept else "请补充佐证材料。",
            )

    cycle(
        "一/(一)",
        "示范市发展和改革委员会",
        Progress.DONE,
        "惠企政策专栏已上线，发布政策文件126件、解读材料48件。",
    )
    for district in ("示范市东城区人民政府", "示范市西城区人民政府"):
        services.progress_report(
            actor=actor,
            task=tasks["二/(四)"],
            org=by_name[district],
            status=Progress.DONE,
            text="已公开本区义务教育招生政策和学区划分。",
            files=[("学区划分.txt", "学区划分表（示例）".encode())],
        )
    cycle("二/(四)", "示范市教育局", Progress.DONE, "全市招生信息已全部公开。", accept=None)
    cycle("二/(五)#1", "示范市民政局", Progress.DONE, "一季度社会救助资金使用情况已公开。")
    cycle("二/(五)#2", "示范市民政局", Progress.IN_PROGRESS, "二季度数据汇总中。", accept=False)
    return plan


def load() -> list[str]:
    """For `gongkai demo`: what was loaded, one line each (nothing when already there)."""
    plan = load_demo_supervision()
    if plan is None:
        return []
    return [
        f"demo work plan {plan.year} of 示范市 confirmed and half carried out "
        f"(/workbench/plans/, /plans/); import this year's as demo-supervisor: {DEMO_PLAN}"
    ]
