"""Document numbers (发文字号, GB/T 9704-2012): issuer's code + 〔year〕 + serial + 号."""

import re

from django.utils.translation import gettext as _

from gongkai.core.exceptions import ApplicationError

_OPEN, _CLOSE = "〔[【(（", "〕]】)）"
DOCUMENT_NUMBER_RE = re.compile(
    rf"^(?P<code>[^\d\s{re.escape(_OPEN)}]+?)\s*[{re.escape(_OPEN)}]?\s*(?P<year>(?:19|20)\d{{2}})\s*"
    rf"[{re.escape(_CLOSE)}]?\s*第?\s*(?P<serial>\d{{1,6}})\s*号?$"
)


def parse_document_number(value: str) -> tuple[str, int, int] | None:
    """(code, year, serial) of any common spelling, or None when it is not a document number."""
    m = DOCUMENT_NUMBER_RE.match((value or "").strip())
    if not m or int(m["serial"]) == 0:
        return None
    return m["code"].strip(), int(m["year"]), int(m["serial"])


def normalise_document_number(value: str) -> str:
    """郑政办[2020]43号, 郑政办（2020）第043号, "郑政办 2020 43" → 郑政办〔2020〕43号; "" stays ""."""
    if not (value or "").strip():
        return ""
    parsed = parse_document_number(value)
    if parsed is None:
        raise ApplicationError(
            _(
                "发文字号“%(value)s”格式有误，应为：机关代字〔年份〕序号号，例如 郑政办〔2020〕43号。"
            )
            % {"value": value},
            code="invalid_document_number",
        )
    code, year, serial = parsed
    return f"{code}〔{year}〕{serial}号"
