from django import template

from gongkai.workbench import nav

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench_nav(context):
    """The sections of the workbench the signed-in user may open (gongkai.workbench.nav)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return nav.nav_for(user) if user is not None else []
