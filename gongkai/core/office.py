"""Office output shared by letters, compilations, gazettes and bulletins: Chinese fonts in DOCX
(python-docx) and PDF (WeasyPrint with Debian's Noto CJK, no network access)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .exceptions import ApplicationError

logger = logging.getLogger(__name__)

# Debian's fonts-noto-cjk puts its collections here (bookworm and later).
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = {400: "NotoSerifCJK-Regular.ttc", 700: "NotoSerifCJK-Bold.ttc"}
FONT_PACKAGE = "fonts-noto-cjk"

# DOCX (GB/T 9704-2012-like: A4, type area 156 × 225 mm, 22 lines of 28 characters)
TITLE_FONT = "方正小标宋简体"
TITLE_FONT_FALLBACK = "宋体"  # SimSun
BODY_FONT = "仿宋_GB2312"
BODY_FONT_FALLBACK = "仿宋"  # FangSong
LINE_PT = 28.95  # 225 mm / 22 lines


def set_fonts(rpr_parent, name: str) -> None:
    """Explicit fonts for every script, the East Asian one above all (`font.name` alone sets
    only ascii/hAnsi, and Word ignores `w:eastAsia` when a theme font is also named)."""
    from docx.oxml.ns import qn

    if hasattr(rpr_parent, "get_or_add_rPr"):
        rpr = rpr_parent.get_or_add_rPr()
    else:  # w:rPrDefault, which python-docx does not model
        rpr = rpr_parent.find(qn("w:rPr"))
        if rpr is None:
            rpr = rpr_parent.makeelement(qn("w:rPr"), {})
            rpr_parent.insert(0, rpr)
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def add_alt_names(document) -> None:
    """Tell Word and WPS what to use where 方正小标宋简体 / 仿宋_GB2312 are not installed."""
    from docx.oxml.ns import qn
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml" or not hasattr(part, "_blob"):
            continue
        root = etree.fromstring(part.blob)
        for name, alt in ((TITLE_FONT, TITLE_FONT_FALLBACK), (BODY_FONT, BODY_FONT_FALLBACK)):
            font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
            etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
            etree.SubElement(font, qn("w:family"), {qn("w:val"): "roman"})
        # python-docx loads this part as an opaque blob and writes `_blob` back on save.
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def weasyprint_module():
    try:
        import weasyprint
    except (OSError, ImportError) as exc:
        logger.error(
            "WeasyPrint cannot load its system libraries (%s); install the Debian packages "
            "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 (scripts/system-deps.sh)",
            exc,
        )
        raise ApplicationError(
            _(
                "服务器缺少生成 PDF 所需的系统软件包（libpango-1.0-0、libpangoft2-1.0-0），"
                "请联系系统管理员安装。"
            ),
            code="pdf_unavailable",
        ) from None
    return weasyprint


def font_dir() -> Path:
    missing = [str(FONT_DIR / name) for name in FONT_FILES.values()]
    missing = [path for path in missing if not Path(path).is_file()]
    if missing:
        logger.error(
            "Chinese fonts missing: %s; install the Debian package %s (scripts/system-deps.sh)",
            ", ".join(missing),
            FONT_PACKAGE,
        )
        raise ApplicationError(
            _("服务器缺少中文字体软件包 %(package)s，无法生成 PDF，请联系系统管理员安装。")
            % {"package": FONT_PACKAGE},
            code="fonts_missing",
        )
    return FONT_DIR


def local_fetcher(root: Path):
    """A URL fetcher that serves only files inside `root`: no network, no other files."""
    from weasyprint.urls import URLFetcher

    class LocalFontFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)

        def fetch(self, url, headers=None):
            from urllib.parse import unquote, urlsplit

            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if parts.scheme != "file" or parts.netloc or not path.is_relative_to(root):
                raise ValueError(f"office output fetches only local fonts, refused: {url}")
            return super().fetch(url, headers)

    return LocalFontFetcher()


def xlsx_cells(ws, values) -> list:
    """Cells for one row of a write-only sheet. Text stays text: a title starting with "=" is
    not a formula in the reader's Excel, and control characters (which XLSX cannot hold) are
    dropped instead of failing the export."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(ws, value=value)
        cells.append(cell)
    return cells


def new_docx(*, title_styles: tuple[tuple[str, int], ...] = ()):
    """An A4 python-docx document with the GB/T 9704 margins and Chinese fonts (16 pt body)."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(16)
    for name, size in title_styles:
        style = document.styles[name]
        set_fonts(style.element, TITLE_FONT)
        style.font.size = Pt(size)
    add_alt_names(document)
    return document
