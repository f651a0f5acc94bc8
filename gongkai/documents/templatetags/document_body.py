from django import template

from gongkai.documents.bodies import render_body

register = template.Library()


@register.filter
def body_html(body):
    """`{{ document.body|body_html }}`: the body with its paragraphs (see documents.bodies)."""
    return render_body(body)
