"""The public request form and the tracking form. Validation of substance is the service's
(`services.validate_application`), so the web form and the API refuse the same things."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.fields import OrgChoiceField

from .models import Delivery, Form, IdType
from .outcomes import ApplicantKind

_TOKEN_SALT = "gongkai.foi.submission"  # noqa: S105 (a signing salt, not a secret)


def new_submission_token() -> str:
    """A one-time token for the form: the first POST with it registers a request; a replay of
    the same POST finds the token already used (Request.submission_key is unique)."""
    import secrets

    return signing.dumps(secrets.token_hex(16), salt=_TOKEN_SALT)


def submission_key(token: str) -> str | None:
    try:
        return signing.loads(token, salt=_TOKEN_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None


class CaptchaInput(CaptchaTextInput):
    """The CAPTCHA with a Chinese text alternative for the image and a "换一题" link (a plain
    link that reloads the form without JavaScript; `foi/captcha.js` swaps the image in place)."""

    template_name = "foi/_captcha_widget.html"

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        # Drawn at twice the size and shown larger: the 1x image is small on a phone.
        context["image_2x"] = reverse("captcha-image-2x", kwargs={"key": self._key})
        return context


def captcha_field() -> CaptchaField:
    return CaptchaField(
        label=_("验证码（请计算图中算式）"),
        widget=CaptchaInput(),
        help_text=_("请输入图中算式的得数（阿拉伯数字）。"),
        error_messages={
            "required": _("请填写验证码。"),
            "incomplete": _("请填写验证码。"),
            "invalid": _("验证码错误，请计算新的算式后重新填写。"),
        },
    )


# One wording for every missing field ("请填写……" / "请选择……"), not Django's generic text.
def _required_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, CaptchaField) or not field.label:
            continue
        label = str(field.label).split("（")[0]
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            field.error_messages["required"] = _("请选择%(label)s。") % {"label": label}
        else:
            field.error_messages["required"] = _("请填写%(label)s。") % {"label": label}


class ApplicationForm(forms.Form):
    # Only organisations that accept requests (no 科室), grouped by level, findable by name.
    org = OrgChoiceField(label=_("受理机关"), empty_label=_("请选择"))
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("姓名或名称"), max_length=200)
    contact_person = forms.CharField(
        label=_("联系人（法人或其他组织填写）"), max_length=100, required=False
    )
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("电子邮箱"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    description = forms.CharField(
        label=_("所需政府信息的名称或内容描述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    document_number = forms.CharField(label=_("文号（如知道）"), max_length=100, required=False)
    form = forms.ChoiceField(
        label=_("获取信息的方式"), choices=Form.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label=_("获取信息的途径"),
        choices=[("", _("按获取方式自动选择")), *Delivery.choices],
        required=False,
    )
    attachment = forms.FileField(
        label=_("附件（如身份证件复印件，可选）"),
        required=False,
        # Lazy: formatted per request, in the visitor's language.
        help_text=lazy(
            lambda: (
                _("PDF、图片、DOCX 等，不超过 %(mb)s MB。")
                % {"mb": settings.GONGKAI_FOI_MAX_ATTACHMENT_BYTES // (1024 * 1024)}
            ),
            str,
        )(),
    )
    captcha = captcha_field()
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required_messages(self)


class TrackForm(forms.Form):
    number = forms.CharField(label=_("申请编号"), max_length=32)
    password = forms.CharField(
        label=_("查询密码"), max_length=64, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required_messages(self)


APPLICATION_FIELDS = (
    "org", "applicant_kind", "name", "contact_person", "id_type", "id_number", "phone", "email",
    "address", "postcode", "description", "document_number", "form", "delivery",
)  # fmt: skip


def application_input(cleaned: dict):
    """The service's input from a valid public or staff form (attachment read here, once)."""
    from .services import ApplicationInput

    upload = cleaned.get("attachment")
    return ApplicationInput(
        **{name: cleaned[name] for name in APPLICATION_FIELDS},
        attachments=[(upload.name, upload.read())] if upload else [],
    )
