"""The charts of the resumption rates page, drawn from the same selectors as its tables."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from zoneguard.core.charts import Chart, day_label, last_days, series
from zoneguard.registry.models import OrganisationKind

from . import selectors
from .selectors import RateRow
from .templatetags.resumption import percent

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def rates_by_sector(*, actor: User, day: date, kind: str = "") -> Chart:
    """Bars: the resumption rate of each sector and of the building projects on `day`."""
    rates = selectors.resumption_rates(actor=actor, day=day, kind=kind)
    rows: list[tuple[str, RateRow]] = [(row.label, row) for row in rates.by_sector if row.key]
    rows += [(_("No sector"), row) for row in rates.by_sector if not row.key]
    rows += [(_("Building projects"), row) for row in rates.by_kind if row.key == OrganisationKind.BUILDING_PROJECT]
    return Chart(
        title=_("Resumption rate by sector and of building projects, %(day)s") % {"day": day.isoformat()},
        categories=[label for label, _row in rows],
        series=[
            series(
                _("Resumption rate"),
                [_percent(row.resumption_rate) for _label, row in rows],
                labels=[
                    _("%(rate)s (%(resumed)s of %(registered)s)")
                    % {"rate": percent(row.resumption_rate), "resumed": row.resumed, "registered": row.registered}
                    for _label, row in rows
                ],
            )
        ],
        unit="%",
    )


def rates_last_days(*, actor: User, day: date, kind: str = "") -> Chart:
    """A line: the overall resumption rate on each of the 14 days ending with `day`."""
    rows = selectors.resumption_history(actor=actor, days=last_days(day), kind=kind)
    if not any(row.registered for row in rows):
        rows = []  # nothing registered in the actor's scope: no line of empty days
    return Chart(
        title=_("Resumption rate over the last 14 days"),
        categories=[day_label(row.key) for row in rows],
        series=[
            series(
                _("Resumption rate"),
                [_percent(row.resumption_rate) for row in rows],
                labels=[percent(row.resumption_rate) for row in rows],
            )
        ],
        unit="%",
    )
