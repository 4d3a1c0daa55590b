"""Refusals read as sentences for users, never as the names engineers gave things."""

from django.core.exceptions import ValidationError
from django.db.models.constraints import BaseConstraint
from django.utils import translation

from zoneguard.core.errors import InvalidInput


def test_a_constraint_without_a_message_of_its_own_asks_to_check_the_values():
    with translation.override("zh-hans"):
        violated = ValidationError(BaseConstraint.default_violation_error_message % {"name": "project_dates_ordered"})
        error = InvalidInput.from_validation_error(violated)
    assert "project_dates_ordered" not in error.message and "请核对" in error.message
    assert error.errors == {"__all__": [error.message]}
    # Any other message stands as written.
    plain = InvalidInput.from_validation_error(ValidationError({"title": ["请填写标题。"]}))
    assert plain.errors == {"title": ["请填写标题。"]}
