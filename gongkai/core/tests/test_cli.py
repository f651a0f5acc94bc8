import json
import subprocess
import sys

import pytest

from gongkai.core.models import CalendarDay, CalendarYear


@pytest.mark.django_db
def test_calendar_due_json(run_cli):
    code, out, _ = run_cli("calendar", "due", "2020-01-20", "20", "--json")
    assert code == 0
    body = json.loads(out)
    assert body["due_date"] == "2020-02-25"
    assert body["provisional"] is False
    assert {"date": "2020-02-01", "kind": "holiday", "reason": "春节"} in body["skipped"]
    assert body["explanation"][0].startswith("自 2020-01-20 起算")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "due", "2020-02-30", "20"],
        ["calendar", "due", "2020-01-20", "-5"],
        ["calendar", "due", "1850-01-20", "5"],
        ["calendar", "due", "2020-01-20"],
        ["calendar", "due", "2020-01-20", "5", "--region", "NOSUCHORG"],
        ["calendar", "import", "/nonexistent.csv"],
        ["no-such-command"],
    ],
)
def test_bad_input_exits_2(run_cli, args):
    code, _out, err = run_cli(*args)
    assert code == 2
    assert err.strip()


@pytest.mark.django_db
def test_import_a_new_year_makes_it_final(run_cli, tmp_path):
    """Importing 2027's notice turns its provisional deadlines into final ones."""
    assert json.loads(run_cli("calendar", "due", "2026-12-30", "3", "--json")[1])["provisional"]
    notice = tmp_path / "2027.yaml"
    notice.write_text(
        "source: 国务院办公厅关于2027年部分节假日安排的通知（测试）\n"
        "holidays:\n  元旦: [2027-01-01..2027-01-03]\n  春节: ['2027-02-06..2027-02-12']\n"
        "workdays:\n  春节调休: [2027-02-13]\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli("calendar", "import", str(notice))
    assert code == 0, out
    assert "2027: 10 holidays, 1 make-up workdays" in out
    body = json.loads(run_cli("calendar", "due", "2026-12-30", "3", "--json")[1])
    assert body["provisional"] is False
    # 31 Dec counts, 1–3 Jan are now holidays, then 4 and 5 Jan.
    assert body["due_date"] == "2027-01-05"
    assert CalendarYear.objects.filter(year=2027, region__isnull=True).exists()


@pytest.mark.django_db
def test_bad_calendar_file_writes_nothing(run_cli, tmp_path):
    before = CalendarDay.objects.count()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,kind,name,source\n2027-01-01,holiday,元旦,x\n2027-01-04,workday,调休,x\n2027-02-30,休,春节,x\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli("calendar", "import", str(bad))
    assert code == 2
    assert "第 4 行" in err and "不能登记为调休上班" in err
    assert CalendarDay.objects.count() == before
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_csv_import_replaces_the_year(run_cli, tmp_path):
    good = tmp_path / "2028.csv"
    good.write_text("date,kind,name,source\n2028-01-03,休,元旦,通知\n", encoding="utf-8")
    assert run_cli("calendar", "import", str(good))[0] == 0
    good.write_text("date,kind,name,source\n2028-01-01,holiday,元旦,更正通知\n", encoding="utf-8")
    assert run_cli("calendar", "import", str(good))[0] == 0
    days = list(CalendarDay.objects.filter(date__year=2028).values_list("date", "source"))
    assert [(d.isoformat(), s) for d, s in days] == [("2028-01-01", "更正通知")]


def test_every_subcommand_has_help():
    for cmd in ["demo", "serve", "createadmin", "calendar", "verify-audit"]:
        result = subprocess.run(
            [sys.executable, "-m", "gongkai.cli", cmd, "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (cmd, result.stderr)
        assert "usage:" in result.stdout


def test_the_demo_does_not_turn_debug_pages_on(monkeypatch):
    """Issue 14: under `gongkai demo` a crash showed Django's debug page (settings, paths)."""
    import os

    import django.core.management

    from gongkai.cli import main

    monkeypatch.delenv("GONGKAI_DEBUG", raising=False)
    monkeypatch.setattr(django.core.management, "execute_from_command_line", lambda argv: None)
    main(["gongkai", "demo", "--no-serve"])
    assert "GONGKAI_DEBUG" not in os.environ


def test_commands_on_an_unmigrated_database_say_so(tmp_path):
    """Issue 14, finding 7: every command on a fresh database printed a traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "GONGKAI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    root = Path(__file__).resolve().parents[3]
    for args in (["verify-audit"], ["reindex"], ["foi-check-deadlines"], ["audit-checkpoint"]):
        result = subprocess.run(
            [sys.executable, "-m", "gongkai.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            check=False,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert "数据库尚未初始化：请先运行 gongkai migrate（或 make demo）" in result.stderr
        assert "Traceback" not in result.stderr
