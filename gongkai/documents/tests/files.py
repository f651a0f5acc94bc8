"""Real DOCX and PDF files generated from text, for the import tests and bench/import.py."""

import html
import io


def docx_bytes(text: str) -> bytes:
    """A DOCX with one paragraph per line (python-docx)."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    """A PDF with one paragraph per non-empty line (WeasyPrint, Noto CJK embedded)."""
    from gongkai.core import office

    root = office.font_dir().resolve()
    markup = (
        f'<html><head><style>@font-face {{ font-family: S; src: url("{office.FONT_FILES[400]}"); }}'
        " body { font-family: S; }</style></head><body>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
        + "</body></html>"
    )
    return (
        office.weasyprint_module()
        .HTML(string=markup, base_url=root.as_uri() + "/", url_fetcher=office.local_fetcher(root))
        .write_pdf()
    )
