from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import pii

ID_BODY = "41010519900307123"  # Zhengzhou, born 1990-03-07


def valid_id(body: str = ID_BODY) -> str:
    total = sum(int(d) * w for d, w in zip(body, pii.ID_WEIGHTS, strict=True))
    return body + pii.ID_CHECK[total % 11]


def test_resident_id_checksum_and_masking():
    """A valid ID is found and masked as 4101**********1234; a wrong check digit is not."""
    good = valid_id()
    text = f"申请人张三，身份证号{good}，住址略。"
    findings = pii.scan(text)
    assert [f.kind for f in findings] == ["resident_id"]
    masked, _ = pii.mask(text)
    assert good not in masked
    assert f"{good[:4]}**********{good[-4:]}" in masked
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert pii.scan(f"号码{wrong}") == []


def test_mobile_email_and_bank_card():
    text = "联系电话 13812345678，邮箱 zhang.san@example.com，卡号 6222 0212 3456 7890 128。"
    assert [f.kind for f in pii.scan(text)] == ["mobile", "email", "bank_card"]
    # One digit off fails the Luhn check: not a card number.
    assert pii.scan("卡号 6222 0212 3456 7890 127") == []
    card = "4111111111111111"
    assert [f.kind for f in pii.scan(f"卡号{card}")] == ["bank_card"]
    assert pii.mask(f"卡号{card}")[0] == "卡号4111********1111"
    assert pii.mask("电话138-1234-5678")[0] == "电话138****5678"
    assert pii.mask("z@example.org")[0] == "z***@example.org"


def test_no_false_alarms_on_administrative_numbers():
    """Document numbers, index numbers, amounts, dates and landlines are not personal data."""
    text = (
        "郑政办〔2020〕43号；索引号 41604893X/2018-01173；金额 123456789012 元；"
        "2020年1月20日；电话 0371-67181234；编号 2020001300001234567890"
    )
    assert pii.scan(text) == []


@given(st.text(alphabet="0123456789 -年月日号，。abc@", max_size=60))
def test_masking_removes_every_finding(text):
    masked, findings = pii.mask(text)
    assert pii.scan(masked) == [] or all(f.kind == "email" for f in pii.scan(masked))
    for f in findings:
        assert f.value not in masked or f.value == f.masked


def test_findings_never_expose_the_raw_value():
    good = valid_id()
    (finding,) = pii.scan(good)
    assert good not in str(finding.as_dict())
