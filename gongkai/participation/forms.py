"""Public forms of questions and answers: ask, track, rate. Validation of substance is the
service's (`services.questions.validate_question`), so the form and the API refuse alike."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Org

from .models import QuestionKind, Rating

_TOKEN_SALT = "gongkai.participation.question"  # noqa: S105 (a signing salt, not a secret)


def new_submission_token() -> str:
    """A one-time token: the first POST with it registers a question; a replay finds it used."""
    import secrets

    return signing.dumps(secrets.token_hex(16), salt=_TOKEN_SALT)


def submission_key(token: str) -> str | None:
    try:
        return signing.loads(token or "", salt=_TOKEN_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None


def askable_orgs():
    return Org.objects.filter(is_active=True).exclude(kind=Org.Kind.INTERNAL_UNIT).order_by("path")


class AskForm(forms.Form):
    org = forms.ModelChoiceField(
        label=_("收信机关"),
        queryset=askable_orgs(),
        to_field_name="code",
        empty_label=_("请选择"),
        help_text=_("写给人民政府的留言由政府办公室转交主管部门办理。"),
    )
    kind = forms.ChoiceField(label=_("留言类别"), choices=QuestionKind.choices)
    subject = forms.CharField(
        label=_("主题"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-similar": "subject"}),
    )
    text = forms.CharField(
        label=_("留言内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "data-similar": "text"}),
    )
    name = forms.CharField(
        label=_("姓名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact = forms.CharField(
        label=_("联系电话或电子邮箱"),
        max_length=200,
        help_text=_("仅用于答复联系，不会公开。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    publish_consent = forms.BooleanField(
        label=_("同意在答复后公开留言和答复（个人信息将被遮盖，姓名和联系方式不公开）"),
        required=False,
    )
    captcha = CaptchaField(label=_("验证码（请计算图中算式）"))
    token = forms.CharField(widget=forms.HiddenInput)


class TrackForm(forms.Form):
    number = forms.CharField(label=_("留言编号"), max_length=32)
    password = forms.CharField(
        label=_("查询密码"), max_length=64, widget=forms.PasswordInput(render_value=False)
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("评价意见（可选）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
