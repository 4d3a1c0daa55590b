"""The registry's facts about organisations (see core/facts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from zoneguard.core.facts import OrganisationFact, register_fact

from .models import Organisation, OrganisationKind, OrganisationSize, Sector


def _column(column: str) -> Any:
    def values(ids: Sequence[int]) -> dict[int, Any]:
        return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", column))

    return values


def _sector_choices() -> list[tuple[Any, Any]]:
    return list(Sector.objects.values_list("code", "name"))


def _community_choices() -> list[tuple[Any, Any]]:
    return list(Organisation.objects.filter(kind=OrganisationKind.COMMUNITY).values_list("pk", "name"))


def register() -> None:
    register_fact(
        OrganisationFact(
            "kind", _("Organisation kind"), "choice", _column("kind"), lambda: list(OrganisationKind.choices)
        )
    )
    register_fact(OrganisationFact("sector", _("Sector"), "choice", _column("sector__code"), _sector_choices))
    register_fact(
        OrganisationFact("size", _("Size"), "choice", _column("size"), lambda: list(OrganisationSize.choices))
    )
    register_fact(OrganisationFact("community", _("Community"), "choice", _column("community_id"), _community_choices))
    register_fact(OrganisationFact("total_staff", _("Total staff"), "number", _column("total_staff")))
