"""The chart of the gates' today page, drawn from the same counts as its table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from zoneguard.core.charts import Chart, series

from . import selectors

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def entries_by_hour(*, actor: User) -> Chart:
    """Today, hour by hour: people let in and refused (bars), fevers (a line)."""
    hours = selectors.hourly_counts(actor=actor)
    return Chart(
        title=_("Entries and fevers by hour today"),
        categories=[f"{h.hour:02d}:00" for h in hours],
        series=[
            series(_("Let in"), [h.entries for h in hours], type="bar"),
            series(_("Refused"), [h.denied for h in hours], type="bar"),
            series(_("Fevers"), [h.fevers for h in hours], type="line"),
        ],
    )
