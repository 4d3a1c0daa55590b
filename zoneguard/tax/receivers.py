"""What the tax services do when other modules announce events."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from zoneguard.core.events import organisation_changed


@receiver(organisation_changed, dispatch_uid="tax.policies_for_changed_organisation")
def match_policies(sender: Any, organisation_id: int, facts: Any = (), **kwargs: Any) -> None:
    """An organisation's facts changed (registry data, resumption state, tax profile ...): it may now
    be eligible for published policies; if so, it is told once per policy."""
    from .services import matches_refresh_for_organisation

    matches_refresh_for_organisation(organisation_id=organisation_id, facts=facts or ())
