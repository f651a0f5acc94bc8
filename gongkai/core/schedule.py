"""The schedule of gongkai's periodic work, declared once (run by `gongkai.core.scheduler`).

Commands are named, not imported, so the schedule sits in core and every layer may read it.

Every job is an idempotent management command: running it twice does no harm, and a run
missed while the server was down is caught up once at the next start.
"""

from django.utils.translation import gettext_lazy as _

from .scheduler import Job, last_runs

JOBS = [
    Job("normative-apply-effects", "normative_apply_effects", "5 0 * * *",
        _("规范性文件到期生效、废止、失效")),
    Job("consultation-close", "consultation_close", "10 0 * * *",
        _("结束到期的意见征集，标记逾期未反馈的征集")),
    Job("foi-check-deadlines", "foi_check_deadlines", "0 * * * *",
        _("依申请公开到期提醒和逾期记录")),
    Job("question-reminders", "question_reminders", "30 7 * * *",
        _("留言办理到期提醒和逾期记录")),
    Job("workplan-reminders", "workplan_reminders", "0 8 * * *",
        _("工作要点任务到期提醒和逾期记录")),
    Job("report-reminders", "report_reminders", "0 9 * * *",
        _("年度报告编制和发布提醒（1月31日前）")),
    Job("concern-alerts", "concern_alerts", "*/10 * * * *",
        _("回应关切 5 小时 / 24 小时时限提醒")),
    Job("audit-checkpoint", "audit_checkpoint", "50 23 * * *",
        _("写入操作日志链的签名检查点")),
    Job("backup", "backup", "30 1 * * *",
        _("备份数据库和附件，只保留最近的若干份"), args=("--prune",)),
    Job("sites-refresh", "sites_refresh", "20 3 * * *",
        _("读取网站和政务新媒体订阅源的更新时间")),
    # Weekly, and the supervising office hears which veto items newly fail.
    Job("site-check", "site_check", "30 2 * * 1",
        _("按国家检查指标自查本网站，通报新增不合格项"), args=("--notify",)),
]  # fmt: skip


def job_rows(now=None) -> list[dict]:
    """Each scheduled job with its schedule, last run and result, and next run."""
    from django.utils import timezone

    now = now or timezone.now()
    last = last_runs(j.name for j in JOBS)
    rows = []
    for job in JOBS:
        done = last.get(job.name)
        upcoming = job.next_after(now)
        rows.append(
            {
                "name": job.name,
                "command": job.command,
                "cron": job.cron,
                "description": str(job.description),
                "last_started_at": done.started_at if done else None,
                "last_finished_at": done.finished_at if done else None,
                "last_ok": done.ok if done else None,
                "last_error": done.error if done else "",
                "last_trigger": done.trigger if done else "",
                "next_run_at": upcoming,
            }
        )
    return rows
