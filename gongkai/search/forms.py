import datetime as dt
import re
import unicodedata

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import ErrorTextMixin
from gongkai.documents.models import Category, Column, Document
from gongkai.orgs.models import Org

# The dates people type: 2026-1-1, 2026/01/01, 2026.1.1, 2026年1月1日, 20260101 (full-width
# digits too: NFKC first).
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", re.ASCII)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
MAX_MATCHES_NAMED = 5


class LooseDateField(forms.DateField):
    """A date in any of the forms people type; the error names the forms understood."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("日期“%(value)s”无法识别，请按 2026-01-01 或 2026年1月1日 的格式填写。")
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip()
        found = _DATE_PARTS.match(text) or _DATE_COMPACT.match(text)
        try:
            if found is None:
                raise ValueError(text)
            return dt.date(*(int(g) for g in found.groups()))
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": str(value)[:40]}
            ) from None


class YearField(forms.IntegerField):
    """A year, "2026" or "2026年"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip().removesuffix("年")
        return super().to_python(value)


class LenientPageField(forms.IntegerField):
    """A page number; anything else (a stale or mistyped link) is the first page."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError:
            return None


def _unique(rows, value: str, noun) -> tuple[object, str | None]:
    """The one row matching, or an error naming the candidates."""
    if len(rows) == 1:
        return rows[0], None
    if not rows:
        return None, _("找不到“%(v)s”，请从列表中选择%(noun)s。") % {"v": value, "noun": noun}
    names = "、".join(r.name for r in rows[:MAX_MATCHES_NAMED])
    return None, _("有多个%(noun)s与“%(v)s”相符：%(names)s，请选择其一。") % {
        "v": value,
        "noun": noun,
        "names": names + ("等" if len(rows) > MAX_MATCHES_NAMED else ""),
    }


def resolve_org(value: str) -> tuple[Org | None, str | None]:
    """An organisation by code, full name, short name, or a part of its name that is unique."""
    qs = Org.objects.filter(is_active=True).only("pk", "code", "name", "short_name", "path")
    exact = list(qs.filter(Q(code=value) | Q(name=value) | Q(short_name=value))[:2])
    if len(exact) == 1:
        return exact[0], None
    found = list(qs.filter(name__contains=value).order_by("path")[:50])
    # "市教育局" means 示范市教育局, not also each of its 科室 whose names contain it.
    ending = [o for o in found if o.name.endswith(value)]
    return _unique(ending if len(ending) == 1 else found, value, _("机构"))


def resolve_named(model, value: str, code_field: str, noun, **only):
    qs = model.objects.filter(**only)
    exact = list(qs.filter(Q(**{code_field: value}) | Q(name=value))[:2])
    if len(exact) == 1:
        return exact[0], None
    return _unique(list(qs.filter(name__contains=value)[:50]), value, noun)


class DocumentFilterForm(ErrorTextMixin, forms.Form):
    """The public search and list filters (portal, normative database); the same names as the
    API's query parameters, turned into `find_documents` filters by `selector_filters`.

    Organisation, category and column are chosen by name (a list to pick from) and also
    accepted as codes; whatever was given, the cleaned value is the code."""

    q = forms.CharField(label=_("关键词"), max_length=200, required=False)
    org = forms.CharField(
        label=_("发布机构"),
        max_length=128,
        required=False,
        widget=forms.TextInput(
            attrs={"list": "org-names", "placeholder": _("输入机构名称，如：教育局")}
        ),
    )
    # No max_length: a <select> has no such attribute; values are looked up, never stored.
    category = forms.CharField(label=_("主题分类"), required=False, widget=forms.Select)
    column = forms.CharField(label=_("专栏"), required=False, widget=forms.Select)
    type = forms.ChoiceField(
        label=_("公文种类"), choices=[("", _("全部")), *Document.DocType.choices], required=False
    )
    validity = forms.ChoiceField(
        label=_("有效性"), choices=[("", _("全部")), *Document.Validity.choices], required=False
    )
    year = YearField(
        label=_("成文年份"),
        min_value=1949,
        max_value=2100,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("如：2026")}),
    )
    date_from = LooseDateField(
        label=_("成文日期自"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：2026-01-01")}),
    )
    date_to = LooseDateField(
        label=_("成文日期至"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：2026年12月31日")}),
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        choices=[("relevance", _("按相关度")), ("date", _("按发布时间"))],
        required=False,
    )
    page = LenientPageField(label=_("页码"), min_value=1, max_value=100_000, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # The lists to choose from; options load when the form is rendered, not before.
        self.fields["category"].widget.choices = _LazyChoices(_category_choices)
        self.fields["column"].widget.choices = _LazyChoices(_column_choices)
        self.org_names = _LazyChoices(_org_names)
        self.resolved_names: dict[str, str] = {}  # field → the chosen item's name

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # the message beside the field, announced with it
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )

    def clean_org(self):
        value = " ".join((self.cleaned_data.get("org") or "").split())
        if not value:
            return ""
        org, error = resolve_org(value)
        if error:
            raise forms.ValidationError(error, code="unknown_org")
        self.resolved_names["org"] = org.name
        return org.code

    def clean_category(self):
        return self._named("category", Category, "code", _("主题分类"))

    def clean_column(self):
        return self._named("column", Column, "slug", _("专栏"), is_active=True)

    def _named(self, name, model, code_field, noun, **only):
        value = (self.cleaned_data.get(name) or "").strip()[:64]
        if not value:
            return ""
        found, error = resolve_named(model, value, code_field, noun, **only)
        if error:
            raise forms.ValidationError(error, code=f"unknown_{name}")
        self.resolved_names[name] = found.name
        return getattr(found, code_field)

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        # Shown again as chosen: the organisation's name, the category's and column's code.
        if self.is_bound and self.resolved_names:
            self.data = self.data.copy()
            for name in self.resolved_names:
                if name == "org":
                    self.data[name] = self.resolved_names[name]
                elif data.get(name):
                    self.data[name] = data[name]
        return data

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


class _LazyChoices:
    """Choices read from the database when first iterated (once per form)."""

    def __init__(self, load):
        self._load, self._items = load, None

    def __iter__(self):
        if self._items is None:
            self._items = list(self._load())
        return iter(self._items)


def _category_choices():
    rows = list(
        Category.objects.order_by("sort_order", "name").values_list(
            "pk", "code", "name", "parent_id"
        )
    )
    children: dict = {}
    for pk, code, name, parent in rows:
        children.setdefault(parent, []).append((pk, code, name))
    out = [("", _("全部"))]

    def walk(parent, depth):
        for pk, code, name in children.get(parent, []):
            out.append((code, "\u3000" * depth + name))
            if depth < 6:
                walk(pk, depth + 1)

    walk(None, 0)
    return out


def _column_choices():
    return [
        ("", _("全部")),
        *Column.objects.filter(is_active=True)
        .order_by("sort_order", "name")
        .values_list("slug", "name"),
    ]


def _org_names():
    return (
        Org.objects.filter(is_active=True)
        .exclude(kind=Org.Kind.INTERNAL_UNIT)
        .order_by("path")
        .values_list("name", flat=True)
    )
