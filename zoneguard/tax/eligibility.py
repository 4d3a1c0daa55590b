"""Eligibility conditions as data: (fact, operator, value) over the registered organisation facts.

A policy applies to an organisation when every one of its conditions holds; a policy without
conditions applies to every taxpayer. A fact without a value for an organisation (no tax profile
yet, a module not installed) satisfies no condition: eligibility is never guessed. Evaluation
costs one query per fact used, whatever the number of organisations and policies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.core import facts as fact_registry
from zoneguard.core.errors import InvalidInput

from .models import Operator, Policy, PolicyCondition

OPERATORS_BY_KIND: dict[str, tuple[str, ...]] = {
    "choice": (Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN),
    "number": (Operator.EQ, Operator.NE, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE),
    "bool": (Operator.IS_TRUE, Operator.IS_FALSE),
    "text": (Operator.EQ, Operator.NE, Operator.CONTAINS, Operator.IN, Operator.NOT_IN),
}
LIST_OPERATORS = frozenset({Operator.IN, Operator.NOT_IN})
NO_VALUE_OPERATORS = frozenset({Operator.IS_TRUE, Operator.IS_FALSE})
NUMBER_LIMIT = Decimal("1e15")
MAX_LIST_VALUES = 50
UNKNOWN = gettext_lazy("unknown")


def registered(name: str) -> fact_registry.OrganisationFact | None:
    try:
        return fact_registry.fact(name)
    except KeyError:
        return None


def _choice_labels(fact: fact_registry.OrganisationFact) -> dict[str, str]:
    return {str(value): str(label) for value, label in (fact.choices() if fact.choices else [])}


def _choice_value(fact: fact_registry.OrganisationFact, raw: str, labels: dict[str, str]) -> str:
    """A choice given by its stored value or by its label (officers type what they read)."""
    text = raw.strip()
    if not labels or text in labels:
        return text
    for value, label in labels.items():
        if label == text:
            return value
    raise InvalidInput.for_field(
        "value",
        _("“%(value)s” is not a value of %(fact)s. Choose one of: %(choices)s.")
        % {"value": text, "fact": fact.label, "choices": "、".join(labels.values())},
        code="unknown_value",
    )


def _number(raw: str) -> str:
    try:
        number = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        raise InvalidInput.for_field("value", _("Enter a number."), code="invalid_number")
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def normalize_condition(*, fact_name: str, operator: str, value: str = "", values: Sequence[str] = ()) -> Any:
    """The stored JSON value of a condition, or InvalidInput saying what is wrong."""
    fact = registered(fact_name)
    if fact is None:
        raise InvalidInput.for_field("fact", _("Choose a known fact."), code="unknown_fact")
    allowed = OPERATORS_BY_KIND.get(fact.kind, ())
    if operator not in allowed:
        raise InvalidInput.for_field(
            "operator",
            _("For %(fact)s choose one of: %(operators)s.")
            % {"fact": fact.label, "operators": "、".join(str(Operator(o).label) for o in allowed)},
            code="invalid_operator",
        )
    if operator in NO_VALUE_OPERATORS:
        return None
    labels = _choice_labels(fact) if fact.kind == "choice" else {}
    if operator in LIST_OPERATORS:
        items = [v for v in (values or split_values(value)) if v.strip()]
        if not items:
            raise InvalidInput.for_field("value", _("Enter at least one value."), code="value_required")
        if len(items) > MAX_LIST_VALUES:
            raise InvalidInput.for_field("value", _("Enter at most 50 values."), code="too_many_values")
        normalized = [_choice_value(fact, v, labels) if fact.kind == "choice" else v.strip() for v in items]
        return list(dict.fromkeys(normalized))
    if not value.strip():
        raise InvalidInput.for_field("value", _("Enter a value."), code="value_required")
    if fact.kind == "number":
        return _number(value)
    if fact.kind == "choice":
        return _choice_value(fact, value, labels)
    return value.strip()


def split_values(text: str) -> list[str]:
    """ "a, b、c" → ["a", "b", "c"]: officers separate values with commas or the Chinese 、."""
    for separator in ("，", "、", "\n", ";", "；"):
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def holds(kind: str, operator: str, expected: Any, actual: Any) -> bool:
    if actual is None:
        return False
    if kind == "bool":
        return bool(actual) is (operator == Operator.IS_TRUE)
    if kind == "number":
        try:
            number = Decimal(str(actual))
            limit = Decimal(str(expected))
        except (InvalidOperation, TypeError):
            return False
        return {
            Operator.EQ: number == limit,
            Operator.NE: number != limit,
            Operator.GT: number > limit,
            Operator.GTE: number >= limit,
            Operator.LT: number < limit,
            Operator.LTE: number <= limit,
        }.get(Operator(operator), False)
    text = str(actual)
    if operator == Operator.EQ:
        return text == str(expected)
    if operator == Operator.NE:
        return text != str(expected)
    if operator == Operator.IN:
        return text in {str(v) for v in expected or []}
    if operator == Operator.NOT_IN:
        return text not in {str(v) for v in expected or []}
    if operator == Operator.CONTAINS:
        return str(expected) in text
    return False


@dataclass(frozen=True)
class ConditionResult:
    condition: PolicyCondition
    fact_label: str
    operator_label: str
    expected: str
    actual: str
    holds: bool

    @property
    def text(self) -> str:
        return f"{self.fact_label} {self.operator_label} {self.expected}".strip()

    @property
    def reason(self) -> str:
        """Why it holds or not, in the reader's language: "规模 是 小型 (实际: 小型)"."""
        return _("%(condition)s (actually: %(actual)s)") % {"condition": self.text, "actual": self.actual}


@dataclass(frozen=True)
class PolicyResult:
    policy: Policy
    organisation_id: int
    conditions: list[ConditionResult]

    @property
    def eligible(self) -> bool:
        return all(result.holds for result in self.conditions)


class Evaluation:
    """Facts of many organisations, read once, to evaluate many policies against them.

    The policies' conditions must be loaded (prefetch_related("conditions"))."""

    def __init__(self, policies: Iterable[Policy], organisation_ids: Iterable[int]) -> None:
        self.policies = list(policies)
        self.organisation_ids = list(dict.fromkeys(organisation_ids))
        names = {c.fact for p in self.policies for c in p.conditions.all()}
        self.facts = {name: f for name in names if (f := registered(name)) is not None}
        self.values = fact_registry.facts_for(self.organisation_ids, self.facts) if self.organisation_ids else {}
        self.labels = {name: _choice_labels(f) for name, f in self.facts.items() if f.kind == "choice"}

    def _display(self, name: str, value: Any) -> str:
        fact = self.facts.get(name)
        if value is None or fact is None:
            return str(UNKNOWN)
        if fact.kind == "bool":
            return _("yes") if value else _("no")
        if isinstance(value, list):
            return "、".join(self._display(name, v) for v in value)
        return self.labels.get(name, {}).get(str(value), str(value))

    def condition(self, condition: PolicyCondition, organisation_id: int) -> ConditionResult:
        fact = self.facts.get(condition.fact)
        actual = self.values.get(organisation_id, {}).get(condition.fact)
        return ConditionResult(
            condition=condition,
            fact_label=str(fact.label) if fact else condition.fact,
            operator_label=str(Operator(condition.operator).label) if condition.operator in Operator.values else "?",
            expected="" if condition.value is None else self._display(condition.fact, condition.value),
            actual=self._display(condition.fact, actual),
            holds=fact is not None and holds(fact.kind, condition.operator, condition.value, actual),
        )

    def result(self, policy: Policy, organisation_id: int) -> PolicyResult:
        return PolicyResult(
            policy=policy,
            organisation_id=organisation_id,
            conditions=[self.condition(c, organisation_id) for c in policy.conditions.all()],
        )

    def eligible(self) -> list[PolicyResult]:
        """Every (policy, organisation) pair that is eligible, with its reasons."""
        return [
            result
            for policy in self.policies
            for organisation_id in self.organisation_ids
            if (result := self.result(policy, organisation_id)).eligible
        ]


def condition_text(condition: PolicyCondition) -> str:
    """The condition as a sentence, without an organisation: "规模 属于 小型、微型"."""
    fact = registered(condition.fact)
    label = str(fact.label) if fact else condition.fact
    operator = str(Operator(condition.operator).label) if condition.operator in Operator.values else "?"
    if condition.value is None:
        return f"{label} {operator}"
    labels = _choice_labels(fact) if fact is not None and fact.kind == "choice" else {}
    values = condition.value if isinstance(condition.value, list) else [condition.value]
    return f"{label} {operator} {'、'.join(labels.get(str(v), str(v)) for v in values)}"
