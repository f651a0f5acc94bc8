"""The 受理机关 picker of the request form: a list grouped by level, and a name box.

Without JavaScript the list is a plain <select> with one <optgroup> per level; beside it a
text box with a <datalist> of the names lets the browser itself suggest names as one types.
A name typed there wins over the list (the newer, deliberate choice); the server resolves it
(`selectors.org_find_accepting`), so nothing depends on a script.
"""

from __future__ import annotations

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors

NAME_SUFFIX = "_name"


class OrgPicker(forms.Select):
    """A grouped <select> followed by a name box with a <datalist> of the same names."""

    def value_from_datadict(self, data, files, name):
        typed = (data.get(name + NAME_SUFFIX) or "").strip()
        return typed or data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and (name + NAME_SUFFIX) not in data

    def format_value(self, value):
        # A typed name shows the organisation it resolved to as selected in the list.
        values = super().format_value(value)
        codes = {str(v) for group in self.choices for v in _codes(group)}
        if values and values[0] not in codes:
            found = selectors.org_find_accepting(values[0])
            return [found.code] if found else []
        return values

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        typed = value if isinstance(value, str) and value not in _all_codes(self.choices) else ""
        names = [label for group in self.choices for label in _labels(group)]
        return format_html(
            '{}<div class="org-finder"><label for="{}">{}</label>'
            '<input type="text" id="{}" name="{}" value="{}" list="{}" autocomplete="off"'
            ' maxlength="128" aria-describedby="{}">'
            '<datalist id="{}">{}</datalist><p class="help" id="{}">{}</p></div>',
            select,
            base_id + NAME_SUFFIX,
            _("或输入机关名称查找"),
            base_id + NAME_SUFFIX,
            name + NAME_SUFFIX,
            typed,
            base_id + "_list",
            base_id + "_finder_help",
            base_id + "_list",
            format_html_join("", '<option value="{}"></option>', ((n,) for n in names)),
            base_id + "_finder_help",
            _("输入机关名称（或其中几个字）后提交；填写了名称的，以名称为准。"),
        )


def _codes(group):
    value, label = group
    if isinstance(label, (list, tuple)):
        return [v for v, _label in label]
    return [value] if value else []


def _labels(group):
    value, label = group
    if isinstance(label, (list, tuple)):
        return [lab for _v, lab in label]
    return [label] if value else []


def _all_codes(choices) -> set[str]:
    return {str(v) for group in choices for v in _codes(group)}


class OrgChoiceField(forms.ModelChoiceField):
    """An organisation that accepts disclosure requests, by code (the list) or by name."""

    widget = OrgPicker
    default_error_messages = {
        "invalid_choice": gettext_lazy(
            "找不到该受理机关：请从列表中选择，或输入机关全称（内设科室的申请请向其所属机关提出）。"
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(queryset=selectors.orgs_accepting_requests(), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        org = self.queryset.filter(code=value).first() or selectors.org_find_accepting(
            value, within=self.queryset
        )
        if org is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice")
        return org

    def _get_choices(self):
        if hasattr(self, "_choices"):
            return self._choices
        return GroupedOrgChoices(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class GroupedOrgChoices(BaseChoiceIterator):
    """The choices grouped by level, read from the database when first iterated (never at
    import time), then kept for the life of the form (two queries a form)."""

    def __init__(self, field: OrgChoiceField):
        self.field = field
        self._cache: list | None = None

    def __iter__(self):
        if self._cache is None:
            groups = selectors.orgs_by_level(self.field.queryset)
            self._cache = [
                ("", self.field.empty_label or ""),
                *[(label, [(o.code, o.name) for o in orgs]) for _level, label, orgs in groups],
            ]
        yield from self._cache
