"""Fixtures of the tax tests: the tax bureau added to the test zone (builders.py), uploads kept in
a temporary directory, and a stand-in for the resumption module's fact."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from zoneguard.core.facts import OrganisationFact, fact, register_fact, unregister_fact
from zoneguard.testing import Zone

from .builders import Tax, build_tax


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tax(zone: Zone) -> Tax:
    return build_tax(zone)


@pytest.fixture
def early_in_month(monkeypatch: Any) -> Any:
    """Today is the 10th of this month: last month's taxes are not yet due (on the 15th), so that
    a deferral of them may be applied for with the statutory deadline, whatever the real day."""
    real = timezone.localdate
    today = real().replace(day=10)

    def localdate(value: Any = None, timezone: Any = None) -> Any:
        return today if value is None else real(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return today


@pytest.fixture
def resumption_fact() -> Any:
    """Stands for the resumption module's "resumption_state" fact: a dict the test fills."""
    states: dict[int, str] = {}
    try:
        previous = fact("resumption_state")  # the real one, once the resumption module is installed
    except KeyError:
        previous = None
    register_fact(
        OrganisationFact(
            "resumption_state",
            "复工状态",
            "choice",
            lambda ids: {pk: states[pk] for pk in ids if pk in states},
            lambda: [("resumed", "已复工"), ("filed", "已备案"), ("not_filed", "未备案")],
        )
    )
    yield states
    if previous is not None:
        register_fact(previous)
    else:
        unregister_fact("resumption_state")
