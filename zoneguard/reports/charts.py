"""The chart of the daily reports page, drawn from the same selectors as its overview."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from zoneguard.core.charts import Chart, day_label, last_days, series

from . import selectors

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def filed_and_due(*, actor: User, day: date) -> Chart:
    """Reports filed (bars) against reports due (a line) on each of the 14 days ending with `day`."""
    days = selectors.filing_by_day(actor=actor, days=last_days(day))
    return Chart(
        title=_("Daily reports filed and due over the last 14 days"),
        categories=[day_label(d.day) for d in days],
        series=[
            series(_("Filed"), [d.filed for d in days], type="bar"),
            series(_("Due"), [d.due for d in days], type="line"),
        ],
    )
