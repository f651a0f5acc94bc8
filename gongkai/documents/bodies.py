"""How a document's body is shown: rich text stays rich, plain text keeps its paragraphs.

Bodies are sanitised with nh3 when saved (documents.services), so they are HTML either way. A
body typed or pasted as plain text has no block tags, only newlines, which a browser would run
together: salutation, body and signature on one line, 第一条…第五条 in one paragraph. Such a
body gets a paragraph per blank-line-separated block and a line break per newline.
"""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe

# Any of these means the author laid the text out in HTML: keep it as it is.
_BLOCK = re.compile(
    r"<(?:p|div|br|ul|ol|li|table|tr|h[1-6]|blockquote|pre|section|article|hr|dl)\b",
    re.IGNORECASE,
)
_PARAGRAPHS = re.compile(r"\n[ \t\u3000]*\n")  # a line holding only spaces separates too


def render_body(body: str | None) -> SafeString:
    """The body as safe HTML with its paragraphs and line breaks."""
    # Sanitised again on the way out: rows written before sanitising (or by a bulk import)
    # are made safe too. nh3 escapes every <, > and & of the text, so what follows adds only
    # our own tags to text that is already escaped.
    html = nh3.clean(body or "")
    if _BLOCK.search(html):
        return mark_safe(html)  # noqa: S308 - sanitised above
    text = html.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return mark_safe("")
    paragraphs = [p.strip("\n") for p in _PARAGRAPHS.split(text) if p.strip()]
    return mark_safe(  # noqa: S308 - sanitised and escaped above
        "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    )
