"""Forms of the catalog pages: an item's columns with its coverage mapping, and the import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.documents.models import Category, Column, Document

from .importer import LEVELS
from .models import Area


class ItemForm(forms.Form):
    number = forms.CharField(label=_("序号"), max_length=16, required=False)
    level1 = forms.CharField(label=_("一级事项"), max_length=200)
    level2 = forms.CharField(label=_("二级事项"), max_length=200, required=False)
    elements = forms.CharField(
        label=_("公开内容（要素）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(
        label=_("公开依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    time_limit = forms.CharField(label=_("公开时限"), max_length=300, required=False)
    subject = forms.CharField(label=_("公开主体"), max_length=300, required=False)
    channels = forms.CharField(
        label=_("公开渠道和载体"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    audience = forms.CharField(
        label=_("公开对象"), max_length=100, required=False, help_text=_("全社会 / 特定群体")
    )
    mode = forms.CharField(
        label=_("公开方式"), max_length=100, required=False, help_text=_("主动 / 依申请")
    )
    levels = forms.MultipleChoiceField(
        label=_("公开层级"),
        required=False,
        choices=[(level, level) for level in LEVELS],
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.ModelChoiceField(
        label=_("对应目录分类"), queryset=Category.objects.all(), required=False
    )
    column = forms.ModelChoiceField(
        label=_("对应专栏"), queryset=Column.objects.filter(is_active=True), required=False
    )
    doc_type = forms.ChoiceField(
        label=_("对应公文种类"),
        required=False,
        choices=[("", "—"), *Document.DocType.choices],
    )
    query = forms.CharField(label=_("对应检索词"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("调整理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改、新增或删除上级目录中的事项时必填"),
    )

    TEXT = ("number", "level1", "level2", "elements", "basis", "time_limit", "subject",
            "channels", "audience", "mode")  # fmt: skip

    @classmethod
    def initial_for(cls, item) -> dict:
        data = {key: getattr(item, key) for key in cls.TEXT}
        data.update(
            levels=list(item.levels or []),
            category=item.category_id,
            column=item.column_id,
            doc_type=item.doc_type,
            query=item.query,
            reason=item.change_reason,
        )
        return data

    def item_data(self) -> dict:
        data = {key: self.cleaned_data.get(key, "") for key in self.TEXT}
        data.update(
            levels=self.cleaned_data.get("levels") or [],
            category=self.cleaned_data.get("category"),
            column=self.cleaned_data.get("column"),
            doc_type=self.cleaned_data.get("doc_type") or "",
            query=self.cleaned_data.get("query") or "",
        )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX 文件"))
    area = forms.ModelChoiceField(
        label=_("领域"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("按表格中的领域（工作表名称、标题或领域列）"),
    )
