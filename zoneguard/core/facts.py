"""Facts about organisations that other modules reason over (tax policy eligibility, targeting of
notices, dashboards) without knowing which module keeps them.

Each module registers the facts it owns in its AppConfig.ready(): the registry registers kind,
sector, size, community and total staff; resumption registers the resumption state; and so on.
A fact answers for many organisations at once, so that evaluating a rule over the whole zone
costs one query per fact, not one per organisation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

FactKind = Literal["choice", "number", "bool", "text"]


@dataclass(frozen=True)
class OrganisationFact:
    name: str
    label: Any  # a lazy translation
    kind: FactKind
    # organisation ids → {id: value}; organisations without a value may be left out.
    values: Callable[[Sequence[int]], dict[int, Any]]
    # For "choice" facts: the possible (value, label) pairs, read when a form needs them.
    choices: Callable[[], list[tuple[Any, Any]]] | None = None


_FACTS: dict[str, OrganisationFact] = {}


def register_fact(fact: OrganisationFact) -> None:
    _FACTS[fact.name] = fact


def unregister_fact(name: str) -> None:
    _FACTS.pop(name, None)


def fact(name: str) -> OrganisationFact:
    return _FACTS[name]


def all_facts() -> list[OrganisationFact]:
    return sorted(_FACTS.values(), key=lambda f: f.name)


def facts_for(organisation_ids: Iterable[int], names: Iterable[str]) -> dict[int, dict[str, Any]]:
    """{organisation id: {fact name: value}} for the named facts (unknown names raise KeyError)."""
    ids = list(organisation_ids)
    result: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    for name in names:
        for pk, value in _FACTS[name].values(ids).items():
            if pk in result:
                result[pk][name] = value
    return result
