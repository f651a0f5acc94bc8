from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import ErrorTextMixin
from gongkai.documents.models import Document


class DocumentFilterForm(ErrorTextMixin, forms.Form):
    """The public search and list filters (portal, normative database); the same names as the
    API's query parameters, turned into `find_documents` filters by `selector_filters`."""

    q = forms.CharField(label=_("关键词"), max_length=200, required=False)
    org = forms.CharField(label=_("机构代码"), max_length=32, required=False)
    category = forms.SlugField(label=_("主题分类"), max_length=64, required=False)
    column = forms.SlugField(label=_("专栏"), max_length=64, required=False)
    type = forms.ChoiceField(
        label=_("公文种类"), choices=[("", _("全部")), *Document.DocType.choices], required=False
    )
    validity = forms.ChoiceField(
        label=_("有效性"), choices=[("", _("全部")), *Document.Validity.choices], required=False
    )
    year = forms.IntegerField(label=_("成文年份"), min_value=1949, max_value=2100, required=False)
    date_from = forms.DateField(label=_("成文日期自"), required=False)
    date_to = forms.DateField(label=_("成文日期至"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        choices=[("relevance", _("按相关度")), ("date", _("按发布时间"))],
        required=False,
    )
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def selector_filters(self) -> dict:
        d = self.cleaned_data
        return {
            "org_code": d.get("org") or None,
            "category": d.get("category") or None,
            "column": d.get("column") or None,
            "doc_type": d.get("type") or None,
            "validity": d.get("validity") or None,
            "year": d.get("year"),
            "date_from": d.get("date_from"),
            "date_to": d.get("date_to"),
        }
