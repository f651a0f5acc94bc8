"""Forms of the register's workbench pages: they shape the input; the services check it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Org

from .models import Kind, Platform
from .services import MAX_REASON
from .validation import FIELDS


class _OrgByCode(forms.ModelChoiceField):
    """An organisation by its code; a NUL byte is refused before it reaches the database."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


HELP = {
    "address": _("网站填首页网址；政务新媒体可填账号主页或 App 下载地址。"),
    "account_id": _("微信号、微博 UID、抖音号等平台上的唯一账号。"),
    "site_code": _("全国政府网站基本数据库分配的 10 位标识码。"),
    "icp_number": _("例如：京ICP备05070218号。"),
    "person_name": _("仅供内部管理，不在公开页面显示。"),
    "person_phone": _("仅供内部管理，不在公开页面显示。"),
    "served_by_gongkai": _("本单位的网站即本平台：更新时间按发布记录自动计算。"),
}


# Required for both kinds (the services also require a website's address and sponsor, and an
# account's platform and id, which the form cannot know before the kind is chosen).
REQUIRED = frozenset({"name", "person_name", "person_phone"})
ONLY_WEBSITE = _("仅政府网站填写。")
ONLY_NEW_MEDIA = _("仅政务新媒体填写。")


class EntryForm(forms.Form):
    """Propose opening (with the organisation and kind) or changing an entry."""

    org = _OrgByCode(
        label=_("开办单位"), queryset=Org.objects.none(), to_field_name="code", required=True
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)

    def __init__(self, *args, orgs=None, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is None:
            del self.fields["org"]
            del self.fields["kind"]
        else:
            self.fields["org"].queryset = orgs
        for field in FIELDS:
            if kind is not None and kind not in field.kinds:
                continue
            help_text = HELP.get(field.name, "")
            if kind is None and len(field.kinds) == 1:
                only = ONLY_WEBSITE if field.kinds[0] == Kind.WEBSITE else ONLY_NEW_MEDIA
                help_text = f"{only}{help_text}"
            if field.name == "served_by_gongkai":
                self.fields[field.name] = forms.BooleanField(
                    label=field.label, required=False, help_text=help_text
                )
            elif field.name == "platform":
                self.fields[field.name] = forms.ChoiceField(
                    label=field.label,
                    required=False,
                    choices=[("", _("（网站不填）")), *Platform.choices],
                    help_text=help_text,
                )
            elif field.name == "notes":
                self.fields[field.name] = forms.CharField(
                    label=field.label,
                    required=False,
                    max_length=field.max_length,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                self.fields[field.name] = forms.CharField(
                    label=field.label,
                    required=field.name in REQUIRED,
                    max_length=field.max_length,
                    help_text=help_text,
                )
        self.fields["reason"] = forms.CharField(
            label=_("申请理由"),
            max_length=MAX_REASON,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def entry_data(self) -> dict:
        return {f.name: self.cleaned_data[f.name] for f in FIELDS if f.name in self.cleaned_data}
