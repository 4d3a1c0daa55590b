"""Staff on duty as the daily reports state it, offered to the resumption rates (see
resumption/onduty.py), which weigh it against what the gates counted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .models import DailyReport


def reported_on_duty(organisation_ids: Sequence[int], day: date) -> dict[int, int]:
    return dict(
        DailyReport.objects.filter(organisation_id__in=list(organisation_ids), day=day).values_list(
            "organisation_id", "staff_on_duty"
        )
    )
