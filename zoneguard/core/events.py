"""Events one module announces and others may act on, without importing each other.

Signals are sent inside the transaction of the event, so that a receiver's writes commit or roll
back with it. Receivers must be quick and must not call remote systems themselves: the
notification service already defers e-mail and robot messages until after commit."""

from django.dispatch import Signal

# An organisation's facts changed (see core/facts.py): registry data, resumption state, ...
# kwargs: organisation_id: int, facts: frozenset[str] (names of the facts that may have changed)
organisation_changed = Signal()

# A gate measured 37.3 °C or more and refused entry.
# kwargs: alert (the gates module's alert object), organisation_id: int, site_id: int,
#         person_id: int | None, temperature: Decimal, checked_at: datetime
fever_detected = Signal()

# A home isolation ended (released, or the person taken to hospital), inside its transaction.
# kwargs: case (the isolation module's case), actor (the user who closed it)
isolation_closed = Signal()

# A user downloaded an export written in the background (core/exports.py); the audit log records it.
# kwargs: job (core.models.ExportJob), actor (the user)
export_downloaded = Signal()
