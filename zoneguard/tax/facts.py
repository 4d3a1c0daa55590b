"""The organisation facts the tax services own (see core/facts.py): kept on the tax profile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from zoneguard.core.facts import OrganisationFact, register_fact

from .models import RevenueBand, TaxpayerType, TaxProfile

# Tax profile field → fact name (announced in organisation_changed when the field changes).
PROFILE_FACTS = {
    "taxpayer_type": "taxpayer_type",
    "revenue_band": "revenue_band",
    "hardship_reported": "hardship_reported",
}


def _profile_column(column: str, *, missing: Any = None) -> Any:
    def values(ids: Sequence[int]) -> dict[int, Any]:
        found = dict(TaxProfile.objects.filter(organisation_id__in=ids).values_list("organisation_id", column))
        if missing is not None:
            return {pk: found.get(pk, missing) for pk in ids}
        # A blank choice is no value: conditions on it hold for nobody.
        return {pk: value for pk, value in found.items() if value not in (None, "")}

    return values


def register() -> None:
    register_fact(
        OrganisationFact(
            "taxpayer_type",
            _("Taxpayer type"),
            "choice",
            _profile_column("taxpayer_type"),
            lambda: list(TaxpayerType.choices),
        )
    )
    register_fact(
        OrganisationFact(
            "revenue_band",
            _("Annual revenue band"),
            "choice",
            _profile_column("revenue_band"),
            lambda: list(RevenueBand.choices),
        )
    )
    # Without a profile, no hardship has been reported.
    register_fact(
        OrganisationFact(
            "hardship_reported", _("Hardship reported"), "bool", _profile_column("hardship_reported", missing=False)
        )
    )
