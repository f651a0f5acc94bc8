"""No fitting to files: the extractor's code names no place (issue 19).

A rule keyed to a document's issuer or place would score on the annotated files and fail on the
next office's plan. The places are those of the annotated plans' issuers and of the samples."""

import json
import re
from pathlib import Path

import pytest

SUPERVISION = Path(__file__).resolve().parents[1]
PLANS = Path(__file__).parent / "plans"
SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"

PLACES = {
    "郑州", "济源", "张掖", "池州", "江门", "潍坊", "荆州", "黄冈", "黃岡", "舟山", "新余",
    "徐州", "北京", "宣城", "定陶", "菏泽", "冠县", "莱芜", "济南", "宣汉", "绥棱", "谯城",
    "亳州", "梅岭", "潮安", "松桥", "白鹭", "青岚",
}  # fmt: skip
PLACE_RE = re.compile(r"^(?P<place>[^市县區区省]{2,4}?)(?:市|县|縣|区|區|省|产城)")


def annotated_places() -> set[str]:
    places = set()
    for folder in (PLANS, PLANS / "real", SAMPLES):
        for path in folder.glob("*.expected.json") if folder.is_dir() else []:
            issuer = json.loads(path.read_text("utf-8")).get("issuer") or ""
            match = PLACE_RE.match(issuer)
            if match and not match.group("place").startswith(("国", "國")):
                places.add(match.group("place"))
    return places


def extractor_modules() -> list[Path]:
    names = ["extract.py", "resolve.py", "structure.py"]
    return [SUPERVISION / n for n in names] + sorted(SUPERVISION.glob("extract_*.py"))


def test_places_are_read_from_the_annotations():
    assert {"池州", "江门", "宣城", "北京"} <= annotated_places()


@pytest.mark.parametrize("module", extractor_modules(), ids=lambda p: p.name)
def test_extractor_code_names_no_place(module):
    text = module.read_text("utf-8")
    named = sorted(p for p in PLACES | annotated_places() if p in text)
    assert not named, f"{module.name} mentions {named}: rules must not depend on a place"
