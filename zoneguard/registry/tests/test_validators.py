import pytest
from django.core.exceptions import ValidationError

from zoneguard.registry.models import Person
from zoneguard.registry.validators import (
    credit_code_check_char,
    id_number_check_char,
    normalize_id_number,
    normalize_phone,
    validate_contact_phone,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from zoneguard.testing import valid_id_number


def with_check(first17: str) -> str:
    return first17 + id_number_check_char(first17)


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the example printed in GB 11643
        with_check("43040819900101123"),
        with_check("43040620000229001"),  # 29 February of a leap year
        " 11010519491231002x ",  # lower-case x and spaces are normalised
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width input from a Chinese keyboard
    ],
)
def test_it_accepts_valid_id_numbers(number: str) -> None:
    validate_id_number(number)


def test_it_computes_the_gb11643_check_character() -> None:
    assert id_number_check_char("11010519491231002") == "X"
    assert normalize_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1101051949123100", "id_length"),
        ("11010519491231002XX", "id_length"),
        ("1101051949123100AX", "id_characters"),
        ("X10105194912310021", "id_characters"),
        (with_check("00010519491231002"), "id_region"),
        (with_check("43040619900230001"), "id_birth_date"),  # 30 February
        (with_check("43040619011301001"), "id_birth_date"),  # month 13
        (with_check("43040618891231001"), "id_birth_date"),  # before 1900
        (with_check("43040620991231001"), "id_birth_date"),  # in the future
        (with_check("43040619010229001"), "id_birth_date"),  # 1901 was not a leap year
        ("110105194912310021", "id_check_digit"),
    ],
)
def test_it_refuses_bad_id_numbers(number: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.code == code


def test_it_names_the_check_digit_in_chinese() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            validate_id_number("110105194912310021")
        assert "校验码" in str(error.value.messages[0])


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example printed in GB 32100
        "91430400730000043" + credit_code_check_char("91430400730000043"),
        " 91350100m000100y43 ",
    ],
)
def test_it_accepts_valid_credit_codes(code: str) -> None:
    validate_credit_code(code)


def test_it_computes_the_gb32100_check_character() -> None:
    # The example code of the standard.
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100Y433", "credit_code_length"),
        ("91350100M00O100Y43", "credit_code_characters"),  # letter O is not used
        ("9135010AM000100Y43", "credit_code_characters"),  # region code must be digits
        ("91350100M000100Y44", "credit_code_check"),
    ],
)
def test_it_refuses_bad_credit_codes(code: str, error_code: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == error_code


@pytest.mark.parametrize("phone", ["13800138000", "+8613800138000", "138 0013 8000", "19912345678"])
def test_it_accepts_mobile_numbers(phone: str) -> None:
    validate_mobile(phone)
    assert normalize_phone(phone).isdigit()


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "138001380001", "0734-8888888", "phone"])
def test_it_refuses_bad_mobile_numbers(phone: str) -> None:
    with pytest.raises(ValidationError):
        validate_mobile(phone)


@pytest.mark.parametrize("phone", ["0734-8888888", "07348888888", "13800138000", "010-12345678"])
def test_it_accepts_contact_phones(phone: str) -> None:
    validate_contact_phone(phone)


@pytest.mark.parametrize("phone", ["8888888", "0734-88", "call me"])
def test_it_refuses_bad_contact_phones(phone: str) -> None:
    with pytest.raises(ValidationError):
        validate_contact_phone(phone)


def test_the_cached_check_refuses_what_the_check_refuses():
    from zoneguard.registry.validators import validate_id_number_cached

    validate_id_number_cached("11010519491231002X")
    validate_id_number_cached("11010519491231002X")  # from memory
    for _ in range(2):
        with pytest.raises(ValidationError):
            validate_id_number_cached("110105194912310021")


@pytest.mark.parametrize(
    "control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_names_with_text_direction_controls_are_refused(zone, api_for, control):
    client = api_for("commander")
    disguised = f"张三{control}司公限有"
    person = client.post(
        "/api/v1/people", {"name": disguised, "id_number": valid_id_number()}, content_type="application/json"
    )
    assert person.status_code == 422
    assert person.json()["errors"]["name"] == ["名称中不能含有文字方向控制字符。"]
    organisation = client.post(
        "/api/v1/organisations", {"name": disguised, "kind": "enterprise"}, content_type="application/json"
    )
    assert organisation.status_code == 422
    site = client.post(
        "/api/v1/sites", {"organisation_id": zone.enterprise_a.pk, "name": disguised}, content_type="application/json"
    )
    assert site.status_code == 422
    assert not Person.objects.filter(name=disguised).exists()
