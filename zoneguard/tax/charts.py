"""The chart of the deferral summary page, drawn from the same approved deferrals as its table."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from zoneguard.core.charts import Chart, series

from . import selectors
from .money import format_amount

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def deferred_by_tax_type(*, actor: User, date_from: date | None = None, date_to: date | None = None) -> Chart:
    """Bars: the amounts granted by tax type, labelled to the fen."""
    totals = selectors.deferral_totals(actor=actor, date_from=date_from, date_to=date_to)
    return Chart(
        title=_("Deferred amounts by tax type (yuan)"),
        categories=[t.name for t in totals],
        series=[
            series(
                _("Yuan deferred"),
                [t.total for t in totals],
                labels=[format_amount(t.total) for t in totals],
            )
        ],
    )
