"""Organisation codes: the 9-character code (GB 11714) and the 18-character unified social
credit code (GB 32100), both with their check characters."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def org_code_check_char(body: str) -> str:
    total = sum(ORG_CODE_CHARS.index(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_char(body: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def is_valid_org_code(code: str) -> bool:
    if len(code) == 9:
        body = code[:8]
        return all(c in ORG_CODE_CHARS for c in body) and org_code_check_char(body) == code[8]
    if len(code) == 18:
        body = code[:17]
        return all(c in USCC_CHARS for c in body) and uscc_check_char(body) == code[17]
    return False


def validate_org_code(value: str) -> None:
    if not is_valid_org_code(value or ""):
        raise ValidationError(
            _(
                "“%(value)s”不是有效的组织机构代码（9 位）或统一社会信用代码（18 位），请核对校验位。"
            ),
            code="invalid_org_code",
            params={"value": value},
        )
