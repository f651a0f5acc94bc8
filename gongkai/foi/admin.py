import contextlib
import datetime as dt

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from gongkai.core.admin import AuditedModelAdmin
from gongkai.core.exceptions import ApplicationError

from . import letters
from .models import LetterTemplate


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["org", "kind", "outcome", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 24, "cols": 100})}

    def clean(self):
        data = super().clean()
        kind, outcome = data.get("kind"), data.get("outcome") or ""
        if kind and kind != letters.LetterKind.REPLY and outcome:
            self.add_error("outcome", _("只有答复书按办理结果区分模板。"))
        if data.get("text"):
            try:  # a template that cannot render would stop a letter on the day it is due
                letters.compose(
                    kind=kind or letters.LetterKind.REPLY,
                    template_text=data["text"],
                    context={},
                    number="",
                    recipient="",
                    signature="",
                    date=dt.date.today(),
                )
            except ApplicationError as exc:
                self.add_error("text", exc.message)
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedModelAdmin):
    """Offices word their letters themselves; gongkai's built-in wording is the fallback."""

    form = LetterTemplateForm
    list_display = ["kind", "outcome", "org", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["org"]
    autocomplete_fields = ["org"]
    readonly_fields = ["variables"]

    @admin.display(description=_("可用变量"))
    def variables(self, obj):
        names = sorted({v for names in letters.KIND_VARIABLES.values() for v in names})
        return format_html_join(" ", "<code>{{{{ {} }}}}</code>", ((n,) for n in names))

    def get_changeform_initial_data(self, request):
        """A new template starts from gongkai's wording for the kind and outcome asked for
        (?kind=reply&outcome=partial), so an office edits rather than writes from nothing."""
        initial = super().get_changeform_initial_data(request)
        kind = request.GET.get("kind", letters.LetterKind.REPLY)
        outcome = request.GET.get("outcome", "")
        with contextlib.suppress(KeyError, ValueError, ApplicationError):
            initial["text"] = letters.default_template(kind, outcome)
        return initial
