"""Find and mask personal information before anything is published (RULES §1 Art.15, glossary 个人信息).

Detects 18-digit resident identity numbers (GB 11643 check digit verified, plausible birth date),
mobile numbers, bank card numbers (Luhn-verified, 16–19 digits) and e-mail addresses. Digits
that are part of a longer run of digits are not matched, so document numbers, amounts and index
numbers do not raise false alarms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# (?<![0-9]) / (?![0-9]): a match must not be a slice of a longer number.
RESIDENT_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9][0-9](?:[- ]?[0-9]{4}){2})(?![0-9])")
BANK_CARD_RE = re.compile(r"(?<![0-9])([0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)(?![0-9])")
EMAIL_RE = re.compile(
    # ASCII look-behind: Chinese text right before an address is not part of it ("发到a@b.cn").
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)

KIND_LABELS = {
    "resident_id": "身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    value: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def masked(self) -> str:
        return mask_value(self.kind, self.value)

    def as_dict(self) -> dict:
        # Never the raw value: findings are shown to reviewers and written to the audit trail.
        return {"kind": self.kind, "label": self.label, "start": self.start, "masked": self.masked}


def is_valid_resident_id(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != value[17].upper():
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _digits(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", value)


def scan(text: str) -> list[Finding]:
    """Every piece of personal information in `text`, in order, without overlaps."""
    if not text:
        return []
    found: list[Finding] = []
    for m in RESIDENT_ID_RE.finditer(text):
        if is_valid_resident_id(m.group(1).upper()):
            found.append(Finding("resident_id", m.start(1), m.end(1), m.group(1)))
    for m in MOBILE_RE.finditer(text):
        found.append(Finding("mobile", m.start(1), m.end(1), m.group(1)))
    for m in BANK_CARD_RE.finditer(text):
        digits = _digits(m.group(1))
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            found.append(Finding("bank_card", m.start(1), m.end(1), m.group(1)))
    for m in EMAIL_RE.finditer(text):
        found.append(Finding("email", m.start(1), m.end(1), m.group(1)))
    # An identity number is also a Luhn-valid digit run now and then: keep the first, most
    # specific finding for any overlapping span (identity numbers were added first).
    found.sort(key=lambda f: (f.start, list(KIND_LABELS).index(f.kind)))
    result: list[Finding] = []
    for f in found:
        if result and f.start < result[-1].end:
            continue
        result.append(f)
    return result


def mask_value(kind: str, value: str) -> str:
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = _digits(value)
    keep_head, keep_tail = {"resident_id": (4, 4), "mobile": (3, 4), "bank_card": (4, 4)}[kind]
    return digits[:keep_head] + "*" * (len(digits) - keep_head - keep_tail) + digits[-keep_tail:]


def mask_with_name(text: str, name: str) -> str:
    """`mask(text)`, and the writer's own name (given on a form, written into the text)
    replaced by its first character and 某 (李四 → 李某), as published letters do."""
    masked, _found = mask(text or "")
    name = (name or "").strip()
    if len(name) >= 2:
        masked = masked.replace(name, name[0] + "某")
    return masked


def mask(text: str) -> tuple[str, list[Finding]]:
    """Return `text` with every finding masked (4101**********1234), and what was masked."""
    findings = scan(text)
    out, pos = [], 0
    for f in findings:
        out.append(text[pos : f.start])
        out.append(f.masked)
        pos = f.end
    out.append(text[pos:])
    return "".join(out), findings
