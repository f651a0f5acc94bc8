"""The fields of an entry as the reporting forms ask for them, and their checks.

Used by the services (the authority) on every proposal; forms only shape the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.exceptions import ApplicationError

from .models import Kind, Platform

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# 网站标识码: the 10-character code of the national database of government websites.
SITE_CODE = re.compile(r"[0-9A-Za-z]{10}")
# ICP 备案编号, e.g. 京ICP备05070218号 or 京ICP备05070218号-1.
ICP_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,2}ICP[备證证]\d{5,12}号(-\d{1,3})?")
PHONE = re.compile(r"[0-9+\-() 转]{7,32}")
# Platforms whose accounts have a platform id (微信号, 微博 UID, 抖音号…) that must be given.
NEEDS_ACCOUNT_ID = frozenset(
    {
        Platform.WECHAT,
        Platform.WEIBO,
        Platform.DOUYIN,
        Platform.TOUTIAO,
        Platform.KUAISHOU,
        Platform.CHANNELS,
    }
)


@dataclass(frozen=True)
class Field:
    name: str
    label: object  # lazy translation
    max_length: int = 0
    kinds: tuple[str, ...] = (Kind.WEBSITE, Kind.NEW_MEDIA)
    staff_only: bool = False


# The fields a proposal may set, in form order.
FIELDS: tuple[Field, ...] = (
    Field("name", gettext_lazy("名称"), 100),
    Field("platform", gettext_lazy("平台类型"), 16, (Kind.NEW_MEDIA,)),
    Field("address", gettext_lazy("网址或访问地址"), 300),
    Field("account_id", gettext_lazy("账号 ID（微信号等）"), 100, (Kind.NEW_MEDIA,)),
    Field("site_code", gettext_lazy("网站标识码"), 10, (Kind.WEBSITE,)),
    Field("icp_number", gettext_lazy("ICP 备案编号"), 64, (Kind.WEBSITE,)),
    Field("security_number", gettext_lazy("公安机关备案号"), 64, (Kind.WEBSITE,)),
    Field("sponsor_unit", gettext_lazy("主办单位"), 128),
    Field("operator_unit", gettext_lazy("承办（运维）单位"), 128),
    Field("certified_entity", gettext_lazy("认证主体"), 128, (Kind.NEW_MEDIA,)),
    Field("person_name", gettext_lazy("负责人"), 64, staff_only=True),
    Field("person_phone", gettext_lazy("负责人联系电话"), 32, staff_only=True),
    Field("served_by_gongkai", gettext_lazy("由本平台承载"), 0, (Kind.WEBSITE,)),
    Field("notes", gettext_lazy("备注"), 2000),
)
BY_NAME = {f.name: f for f in FIELDS}
STAFF_ONLY = frozenset(f.name for f in FIELDS if f.staff_only)


def text(value, label, *, max_length: int, required: bool = False, single_line=True) -> str:
    """Trimmed text without control characters; a NUL byte or a non-string is refused."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ApplicationError(_("%(f)s格式不正确。") % {"f": label}, code="invalid_text")
    if "\x00" in value:
        raise ApplicationError(_("%(f)s含有无效字符。") % {"f": label}, code="invalid_text")
    value = value.strip()
    if single_line:
        value = " ".join(value.split())
    value = _CONTROL.sub("", value)
    if required and not value:
        raise ApplicationError(_("请填写%(f)s。") % {"f": label}, code="required")
    if len(value) > max_length:
        raise ApplicationError(
            _("%(f)s不能超过 %(n)s 个字。") % {"f": label, "n": max_length}, code="too_long"
        )
    return value


def url(value, label, *, max_length: int = 300, required: bool = False) -> str:
    value = text(value, label, max_length=max_length, required=required)
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ApplicationError(
            _("%(f)s应为以 http:// 或 https:// 开头的网址。") % {"f": label}, code="invalid_url"
        ) from None
    return value


def clean_entry_data(raw: dict, *, kind: str) -> dict:
    """Every field of an entry of `kind`, checked; fields of the other kind come back blank.

    `raw` may omit fields (blank). Unknown keys are refused, so a proposal stores only what the
    register knows."""
    if kind not in Kind.values:
        raise ApplicationError(_("请选择有效的类型。"), code="invalid_kind")
    if not isinstance(raw, dict):
        raise ApplicationError(_("申请内容格式不正确。"), code="invalid_data")
    unknown = set(raw) - set(BY_NAME)
    if unknown:
        raise ApplicationError(
            _("申请内容含有未知字段：%(f)s。") % {"f": "、".join(sorted(unknown))[:100]},
            code="unknown_field",
        )
    website = kind == Kind.WEBSITE
    out: dict = {}
    for field in FIELDS:
        value = raw.get(field.name)
        applies = kind in field.kinds
        if field.name == "served_by_gongkai":
            if value not in (None, "", True, False):
                raise ApplicationError(_("“由本平台承载”格式不正确。"), code="invalid_flag")
            out[field.name] = bool(value) if applies else False
            continue
        if not applies:
            out[field.name] = ""
            continue
        if field.name == "address":
            out[field.name] = url(value, field.label, required=website)
        elif field.name == "notes":
            out[field.name] = text(value, field.label, max_length=2000, single_line=False)
        else:
            out[field.name] = text(
                value,
                field.label,
                max_length=field.max_length,
                required=field.name in ("name", "person_name", "person_phone")
                or (website and field.name == "sponsor_unit"),
            )
    if not website:
        if out["platform"] not in Platform.values:
            raise ApplicationError(_("请选择有效的平台类型。"), code="invalid_platform")
        if out["platform"] in NEEDS_ACCOUNT_ID and not out["account_id"]:
            raise ApplicationError(
                _("请填写账号 ID（如微信号、微博 UID、抖音号）。"), code="account_id_required"
            )
    if out["site_code"] and not SITE_CODE.fullmatch(out["site_code"]):
        raise ApplicationError(_("网站标识码应为 10 位数字或字母。"), code="invalid_site_code")
    if out["icp_number"] and not ICP_NUMBER.fullmatch(out["icp_number"].replace(" ", "")):
        raise ApplicationError(
            _("ICP 备案编号格式不正确，例如：京ICP备05070218号。"), code="invalid_icp"
        )
    if (
        not PHONE.fullmatch(out["person_phone"])
        or sum(c.isdigit() for c in out["person_phone"]) < 7
    ):
        raise ApplicationError(_("负责人联系电话格式不正确。"), code="invalid_phone")
    return out
