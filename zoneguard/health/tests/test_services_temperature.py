"""parse_temperature: what a gate or a declaration may send as a reading, and how it is rounded."""

from decimal import Decimal

import pytest

from zoneguard.core.errors import InvalidInput
from zoneguard.health.services import parse_temperature


@pytest.mark.parametrize(
    ("sent", "reading"),
    [
        (36.5, Decimal("36.5")),
        (37.25, Decimal("37.3")),  # half up: 37.25 counts as a fever
        (37.249, Decimal("37.2")),
        (36, Decimal("36.0")),
        ("36.5", Decimal("36.5")),
        (" 36.5 ", Decimal("36.5")),
        (Decimal("42.96"), Decimal("43.0")),
        (None, None),
        ("", None),
    ],
)
def test_readings_are_rounded_half_up_to_a_tenth(sent, reading):
    assert parse_temperature(sent) == reading
    assert parse_temperature(sent) == reading  # the second time from the converted readings


@pytest.mark.parametrize("sent", [33.9, 43.05, "abc", "nan", "NaN", "inf", float("nan"), [36.5], {"c": 36}])
def test_anything_else_is_refused_with_the_field_named(sent):
    with pytest.raises(InvalidInput) as refused:
        parse_temperature(sent, field="reading")
    assert list(refused.value.errors) == ["reading"]
