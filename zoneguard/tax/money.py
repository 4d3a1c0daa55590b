"""Amounts of money: Decimal with at most two places, never floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from zoneguard.core.errors import InvalidInput

from .models import CENT, MONEY_MAX

# What the API accepts: up to 13 digits, optionally a point and one or two decimals; no sign.
AMOUNT_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"


def parse_amount(raw: Any, *, field: str, allow_zero: bool = False) -> Decimal:
    """An exact amount in yuan, or InvalidInput for `field`: a third decimal place, a sign, more
    than 13 digits or a float are refused rather than rounded."""
    if isinstance(raw, (float, bool)):
        raise InvalidInput.for_field(field, _("Enter the amount as text, e.g. “595646.00”."), code="invalid_amount")
    try:
        amount = Decimal(str(raw).strip()) if not isinstance(raw, Decimal) else raw
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise InvalidInput.for_field(field, _("Enter an amount in yuan."), code="invalid_amount")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidInput.for_field(field, _("Enter at most two decimal places (fen)."), code="too_many_places")
    if amount < 0 or (amount == 0 and not allow_zero):
        message = _("Enter an amount of zero or more.") if allow_zero else _("Enter an amount greater than zero.")
        raise InvalidInput.for_field(field, message, code="not_positive")
    if amount > MONEY_MAX:
        raise InvalidInput.for_field(
            field, _("Enter at most %(max)s yuan.") % {"max": format_amount(MONEY_MAX)}, code="too_large"
        )
    return amount.quantize(CENT)


def amount_str(amount: Decimal | None) -> str:
    """Two decimals, no separators: the API's form ("595646.00")."""
    return f"{(amount or Decimal(0)).quantize(CENT):f}"


def format_amount(amount: Decimal | None) -> str:
    """Thousands separated, two decimals: the pages' form ("595,646.00")."""
    return f"{(amount or Decimal(0)).quantize(CENT):,.2f}"
