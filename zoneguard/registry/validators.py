"""Checks for Chinese identifiers: resident ID numbers (GB 11643), unified social credit codes
(GB 32100) and mobile phone numbers. Each `normalize_*` accepts what people type (full-width
digits, spaces, a lower-case x) and returns the canonical form; each `validate_*` raises a
translated ValidationError that says what is wrong.

The check characters and the birth date come from python-stdnum (stdnum.cn.ric, stdnum.cn.uscc).
Its `validate` functions are not used: ric's checks the place of birth against a list of
counties that lacks some in use (Hengyang's own 蒸湘区, 430408, among them) and the Hong Kong and
Macau residence permits (81, 82); uscc's refuses the letters that registration authorities other
than the market regulator put first (N for rural cooperatives, Y for others)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent

# First two digits of a resident ID: the province-level division (GB/T 2260).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
        "91",
    ]
)

CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def _canonical(value: str | None) -> str:
    # NFKC turns full-width digits and letters from Chinese input methods into ASCII.
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value or "")).upper()


def normalize_id_number(value: str | None) -> str:
    return _canonical(value)


def id_number_check_char(first17: str) -> str:
    return str(ric.calc_check_digit(first17 + "?"))  # stdnum reads the number with its check character


def birth_date_from_id_number(value: str) -> date | None:
    try:
        return ric.get_birth_date(value)
    except (InvalidComponent, ValueError):
        return None


def validate_id_number(value: str) -> None:
    value = normalize_id_number(value)
    if len(value) != 18:
        raise ValidationError(_("An ID number has 18 characters."), code="id_length")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="id_characters")
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(_("The ID number does not start with a valid region code."), code="id_region")
    born = birth_date_from_id_number(value)
    if born is None:
        raise ValidationError(_("The birth date in the ID number is not a real date."), code="id_birth_date")
    if born.year < 1900 or born > timezone.localdate():
        raise ValidationError(_("The birth date in the ID number is not possible."), code="id_birth_date")
    if ric.calc_check_digit(value) != value[17]:
        raise ValidationError(
            _("The check digit of the ID number is wrong; please check the number."), code="id_check_digit"
        )


@lru_cache(maxsize=100_000)
def _known_valid_id_number(value: str) -> bool:
    validate_id_number(value)
    return True


def validate_id_number_cached(value: str) -> None:
    """validate_id_number for a canonical number, remembering the numbers found valid: a gate sees
    the same staff every day, and a batch of 1,000 entries should not check each number anew."""
    _known_valid_id_number(value)


def normalize_credit_code(value: str | None) -> str:
    return _canonical(value)


def credit_code_check_char(first17: str) -> str:
    return str(uscc.calc_check_digit(first17))


def validate_credit_code(value: str) -> None:
    value = normalize_credit_code(value)
    if len(value) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="credit_code_length")
    if not CREDIT_CODE_RE.match(value):
        raise ValidationError(
            _("The unified social credit code contains characters it cannot have (I, O, S, V, Z)."),
            code="credit_code_characters",
        )
    if uscc.calc_check_digit(value) != value[17]:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong."), code="credit_code_check"
        )


def normalize_phone(value: str | None) -> str:
    value = _canonical(value)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(_("Enter a mainland mobile number: 11 digits starting with 1."), code="mobile")


def validate_contact_phone(value: str) -> None:
    """Organisations give a mobile number or a landline with its area code (0734-8888888)."""
    raw = unicodedata.normalize("NFKC", value or "").strip()
    if MOBILE_RE.match(normalize_phone(raw)) or LANDLINE_RE.match(raw.replace(" ", "")):
        return
    raise ValidationError(
        _("Enter a mobile number or a landline with its area code, such as 0734-8888888."), code="phone"
    )


# Bidirectional embedding, override and isolate controls: invisible, they reorder the text around
# them, so that a name shows in a list as something else than it is.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_name(value: str) -> None:
    """Names of people, organisations and sites: no characters that disguise how they read."""
    if any(char in BIDI_CONTROLS for char in value or ""):
        raise ValidationError(_("Names cannot contain text-direction control characters."), code="bidi")
