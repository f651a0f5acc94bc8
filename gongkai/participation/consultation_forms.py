"""The public comment form. The substance is checked by the service
(`consultations.validate_comment`), so the form and the API refuse the same things."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import ErrorTextMixin

TOKEN_SALT = "gongkai.participation.comment"  # noqa: S105 (a signing salt, not a secret)


class CommentForm(ErrorTextMixin, forms.Form):
    text = forms.CharField(
        label=_("您的意见和建议"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    name = forms.CharField(label=_("姓名（不公开）"), max_length=100)
    contact = forms.CharField(
        label=_("联系电话或电子邮箱（不公开）"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    publish_consent = forms.BooleanField(
        label=_("同意公开我的意见内容（个人信息将被遮盖，姓名和联系方式始终不公开）"),
        required=False,
    )
    attachment = forms.FileField(label=_("附件（可选）"), required=False)
    captcha = CaptchaField(label=_("验证码（请计算图中算式）"))
    token = forms.CharField(widget=forms.HiddenInput)
