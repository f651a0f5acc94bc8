"""Files of the 信息公开 structure: the 机构职能目录 as DOCX and PDF, the reading-point poster
as PDF, and the QR codes they carry. Chinese fonts are embedded as in the annual report."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongkai.core import office
from gongkai.orgs.selectors import FunctionDirectory


def qr_svg(url: str, *, scale: int = 4, title: str = "") -> str:
    """An inline SVG QR code of `url` (segno escapes what it writes)."""
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=scale, title=title or _("二维码"))
    return mark_safe(svg)  # noqa: S308


def entry_rows(org) -> list[tuple[str, str]]:
    """The label/value lines of one organisation in the directory (blank ones left out)."""
    address = org.address + (f"（{_('邮编')} {org.postcode}）" if org.postcode else "")
    head = "，".join(
        p for p in (org.disclosure_head, org.disclosure_head_title, org.disclosure_head_phone) if p
    )
    rows = [
        (_("办公地址"), address),
        (_("办公时间"), org.office_hours),
        (_("联系电话"), org.phone),
        (_("传真"), org.fax),
        (_("电子邮箱"), org.email),
        (_("网站"), org.website),
        (_("负责人"), org.head),
        (_("政务公开工作负责人"), head),
    ]
    return [(label, value) for label, value in rows if value]


def directory_title(directory: FunctionDirectory) -> str:
    return _("%(name)s机构职能目录") % {"name": directory.government.name}


def directory_docx(directory: FunctionDirectory) -> bytes:
    document = office.new_docx(title_styles=(("Title", 22), ("Heading 1", 16)))
    document.add_paragraph(directory_title(directory), style="Title")
    for number, entry in enumerate(directory.entries, 1):
        org = entry.org
        document.add_paragraph(f"{number}. {org.name}", style="Heading 1")
        document.add_paragraph(f"{_('机构职能')}：")
        for line in (org.functions or _("暂无。")).splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
        if entry.units:
            document.add_paragraph(
                f"{_('内设机构和下属单位')}：" + "、".join(u.name for u in entry.units)
            )
        for label, value in entry_rows(org):
            document.add_paragraph(f"{label}：{value}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(template: str, context: dict) -> bytes:
    root = office.font_dir().resolve()
    markup = render_to_string(
        template,
        {
            **context,
            "font_regular": office.FONT_FILES[400],
            "font_bold": office.FONT_FILES[700],
        },
    )
    return (
        office.weasyprint_module()
        .HTML(string=markup, base_url=root.as_uri() + "/", url_fetcher=office.local_fetcher(root))
        .write_pdf()
    )


def directory_pdf(directory: FunctionDirectory) -> bytes:
    return _pdf(
        "portal/directory_pdf.html",
        {
            "title": directory_title(directory),
            "entries": [(e, entry_rows(e.org)) for e in directory.entries],
        },
    )


def poster_pdf(context: dict) -> bytes:
    return _pdf("portal/poster_pdf.html", context)
