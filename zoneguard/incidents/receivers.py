"""A fever measured at a gate opens an incident at once (core.events.fever_detected, sent by the
gates module inside its check-in transaction)."""

from __future__ import annotations

from typing import Any

from .services import incident_from_fever


def on_fever_detected(sender: Any, **kwargs: Any) -> None:
    incident_from_fever(
        alert=kwargs["alert"],
        organisation_id=kwargs["organisation_id"],
        site_id=kwargs.get("site_id"),
        person_id=kwargs.get("person_id"),
        temperature=kwargs["temperature"],
        checked_at=kwargs["checked_at"],
    )
