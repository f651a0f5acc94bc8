"""A body typed as plain text keeps its paragraphs on the public page and the printable page."""

import pytest

from gongkai.documents.bodies import render_body

LETTER = (
    "各区县教育局：\n\n"
    "　　现将有关事项通知如下。\n"
    "第一条 为规范管理，制定本办法。\n"
    "第二条 本办法自印发之日起施行。\n\n"
    "示范市教育局\n2026年3月2日"
)


def test_plain_text_becomes_paragraphs_and_line_breaks():
    html = render_body(LETTER)
    assert html.startswith("<p>各区县教育局：</p><p>")
    assert "制定本办法。<br>第二条" in html
    assert html.endswith("<p>示范市教育局<br>2026年3月2日</p>")


def test_rich_text_stays_as_it_is():
    body = "<p>第一条 总则。</p><p>第二条 <strong>适用范围</strong>。</p>"
    assert render_body(body) == body


@pytest.mark.parametrize(
    "body",
    [
        "第一条 a < b & c\n<script>alert(1)</script>\n第二条",
        '<img src=x onerror="alert(1)">\n\n<a href="javascript:alert(1)">x</a>',
        "&lt;script&gt;\n<b onclick=alert(1)>x</b>",
    ],
)
def test_plain_text_is_escaped_before_it_is_laid_out(body):
    html = render_body(body)
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    # Text already escaped is not escaped twice.
    assert "&amp;lt;" not in html and "&amp;amp;" not in html


def test_empty_body_renders_nothing():
    assert render_body("") == "" and render_body(None) == "" and render_body("\n \n") == ""


@pytest.mark.django_db
def test_public_and_print_pages_keep_the_paragraphs(client, publish):
    doc = publish(body=LETTER)
    for url in (doc.get_absolute_url(), f"/documents/{doc.index_number}/print/"):
        page = client.get(url).content.decode()
        assert "<p>各区县教育局：</p>" in page, url
        assert "第一条 为规范管理，制定本办法。<br>第二条" in page, url
        assert "示范市教育局<br>2026年3月2日" in page, url
