"""A fever measured at a gate opens an incident at once (core.events.fever_detected, sent by the
gates module inside its check-in transaction)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from zoneguard.core.errors import ApplicationError

from .services import incident_from_fever

logger = logging.getLogger(__name__)


def on_fever_detected(sender: Any, **kwargs: Any) -> None:
    # In a savepoint: a refusal here must not undo the gate's check-in and alert, which remain
    # the record of the fever; it is logged for the operators instead.
    try:
        with transaction.atomic():
            incident_from_fever(
                alert=kwargs["alert"],
                organisation_id=kwargs["organisation_id"],
                site_id=kwargs.get("site_id"),
                person_id=kwargs.get("person_id"),
                temperature=kwargs["temperature"],
                checked_at=kwargs["checked_at"],
            )
    except (ApplicationError, KeyError, ValueError, ArithmeticError):
        logger.exception("could not open an incident for a fever alert")
