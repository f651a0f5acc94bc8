from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import ErrorTextMixin
from gongkai.documents.models import Document
from gongkai.search.forms import DocumentFilterForm

from .compilation import FORMATS

CURRENT = "current"
ALL = "all"


class NormativeFilterForm(DocumentFilterForm):
    """The public database's filters: the document filters, validity "currently valid" first."""

    validity = forms.ChoiceField(
        label=_("有效性"),
        choices=[(CURRENT, _("现行有效")), *Document.Validity.choices, (ALL, _("全部"))],
        required=False,
    )

    def selector_filters(self) -> dict:
        filters = super().selector_filters()
        chosen = self.cleaned_data.get("validity") or CURRENT
        filters["validity"] = None if chosen == ALL else chosen
        filters["kinds"] = ("normative",)
        filters.pop("column")
        return filters


class CompileForm(ErrorTextMixin, forms.Form):
    org = forms.CharField(label=_("机构代码"), max_length=32)
    sub_units = forms.BooleanField(label=_("包含所属单位"), required=False, initial=True)
    valid_on = forms.DateField(label=_("有效日期"), required=False)
    category = forms.MultipleChoiceField(label=_("主题分类"), required=False, choices=())
    format = forms.ChoiceField(label=_("格式"), choices=[(f, f.upper()) for f in FORMATS])

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories)

    def clean_valid_on(self):
        return self.cleaned_data.get("valid_on") or timezone.localdate()
