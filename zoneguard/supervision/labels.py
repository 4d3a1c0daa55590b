"""How the rules of scoring.py are named to people (the codes are stored with closed months)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from . import scoring

RULE_LABELS = {
    scoring.BASE: _("Base points"),
    scoring.OVERDUE: _("Overdue"),
    scoring.OVERDUE_CAPPED: _("Overdue, capped per item"),
    scoring.EARLY: _("Done early"),
    scoring.BONUS_CAP: _("Bonus over the monthly cap"),
    scoring.FLOOR: _("Raised to the lowest score"),
}


def explain(line: dict[str, Any]) -> str:
    """The line's rule in words, with its figures."""
    rule, days, weight = line["rule"], line.get("days", 0), line.get("weight", "1")
    if rule in (scoring.OVERDUE, scoring.OVERDUE_CAPPED):
        text = _("%(days)s days late × weight %(weight)s") % {"days": days, "weight": weight}
        return f"{RULE_LABELS[rule]}: {text}"
    if rule == scoring.EARLY:
        text = _("%(days)s days early × weight %(weight)s") % {"days": days, "weight": weight}
        return f"{RULE_LABELS[rule]}: {text}"
    return str(RULE_LABELS.get(rule, rule))
