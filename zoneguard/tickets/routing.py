"""Which department a request goes to: pure, over the rules as (category, sector id, department id)."""

from __future__ import annotations

from collections.abc import Iterable


def route(*, category: str, sector_id: int | None, rules: Iterable[tuple[str, int | None, int]]) -> int | None:
    """The department of the rule for this category and the enterprise's sector, else of the
    category's rule for any sector; None when the zone has no rule (the commander routes it)."""
    any_sector = None
    for rule_category, rule_sector, department_id in rules:
        if rule_category != category:
            continue
        if rule_sector is None:
            any_sector = department_id
        elif sector_id is not None and rule_sector == sector_id:
            return department_id
    return any_sector
