"""`gongkai import-workplan`: the JSON the bench scores, the same plan from DOCX, PDF and HTML,
storage as a draft with --org, and clear refusals with exit code 2."""

import html
import json
from pathlib import Path

import pytest

from gongkai.documents.tests.files import docx_bytes, pdf_bytes
from gongkai.supervision.models import WorkPlan

from .test_extract import PLANS, SAMPLES, annotated

DEMO_PLAN = Path(__file__).resolve().parents[1] / "demo" / "shifan-2026-plan.txt"


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))


@pytest.mark.parametrize("path", annotated(PLANS) + annotated(SAMPLES), ids=lambda p: p.stem)
def test_json_is_exactly_the_annotation(run_cli, path):
    want = expected(path)
    code, out, _err = run_cli("import-workplan", str(path), "--year", str(want["year"]), "--json")
    assert code == 0
    assert json.loads(out) == want


@pytest.mark.parametrize("kind", ["docx", "pdf", "html"])
def test_the_same_plan_from_docx_pdf_and_html(run_cli, tmp_path, kind):
    text = DEMO_PLAN.read_text("utf-8")
    data = {
        "docx": lambda: docx_bytes(text),
        "pdf": lambda: pdf_bytes(text),
        "html": lambda: (
            "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
            .join(["<html><body>", "</body></html>"])
            .encode()
        ),
    }[kind]()
    path = tmp_path / f"plan.{kind}"
    path.write_bytes(data)
    _c, from_txt, _e = run_cli("import-workplan", str(DEMO_PLAN), "--year", "2026", "--json")
    code, out, err = run_cli("import-workplan", str(path), "--year", "2026", "--json")
    assert code == 0, err
    got, want = json.loads(out)["tasks"], json.loads(from_txt)["tasks"]
    assert [t["number"] for t in got] == [t["number"] for t in want]
    assert [t["lead_units"] for t in got] == [t["lead_units"] for t in want]
    assert [t["deadline"] for t in got] == [t["deadline"] for t in want]


def test_org_stores_a_draft_plan(run_cli, org):
    code, out, _err = run_cli(
        "import-workplan", str(DEMO_PLAN), "--year", "2026", "--org", org("示范市人民政府").code
    )
    assert code == 0
    plan = WorkPlan.objects.get()
    assert f"/workbench/plans/{plan.pk}/review/" in out
    assert plan.tasks.count() == 8


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "文件内容为空"),
        (
            "novel.txt",
            ("那年夏天，我们在河边坐了很久，谁也没有说话。" * 60).encode(),
            "未能在文件中识别出工作任务",
        ),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "不是工作要点"),
        ("tool.exe", b"MZ" + b"\0" * 200, "可执行程序"),
    ],
)
def test_not_a_work_plan_exits_2_with_a_message(run_cli, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run_cli("import-workplan", str(path), "--year", "2026", "--json")
    assert code == 2
    assert message in err and "Traceback" not in err
    assert out == ""


def test_bad_arguments_exit_2(run_cli, tmp_path):
    code, _out, err = run_cli("import-workplan", str(tmp_path / "missing.txt"), "--year", "2026")
    assert code == 2 and "找不到文件" in err
    code, _out, err = run_cli("import-workplan", str(DEMO_PLAN), "--year", "2026", "--org", "X")
    assert code == 2 and "没有机构代码" in err
    code, _out, _err = run_cli("import-workplan", str(DEMO_PLAN), "--year", "abc")
    assert code == 2
    assert not WorkPlan.objects.exists()


def test_reminders_command_runs_twice_idempotently(run_cli):
    code, out, _err = run_cli("workplan-reminders", "--date", "2026-03-24")
    assert code == 0 and "checked 0 open tasks" in out
    code, _out, _err = run_cli("workplan-reminders", "--date", "2026-13-01")
    assert code == 2
