"""The score of a department for a month (督查考核), from its key-task items due that month.

Plain functions over plain data, no database: the records come in, the score and every line of
its calculation come out, so that the commander can show a department why it has the score it has,
and a closed month stores exactly these lines.

The rules, in the order they apply:

1. Every department starts the month at the scheme's base points.
2. An item not reported done by the end of its day (Asia/Shanghai) is overdue for every day after:
   until the day it was reported done, or until the day of the calculation while it is still
   open. Each overdue day costs the scheme's points per day times the weight of the task's kind,
   and one item costs at most the scheme's cap per item (weighted deductions can pile up on one
   stuck item otherwise, and one item should not decide the whole month).
3. An item reported done before its day earns the early-completion bonus times its kind's weight;
   all bonuses of a month together are capped, so that splitting work into many easy items does
   not pay.
4. The total never falls below the scheme's floor.

Points are Decimal, rounded to hundredths, half up, at each line, so that the lines add up to the
total exactly as shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

# Rule codes of the lines (stored with a closed month: never rename one).
BASE = "base"
OVERDUE = "overdue"
OVERDUE_CAPPED = "overdue_capped"
EARLY = "early"
BONUS_CAP = "bonus_cap"
FLOOR = "floor"


def points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Scheme:
    base: Decimal
    weights: Mapping[str, Decimal]  # task kind → weight; a kind not listed weighs 1
    per_overdue_day: Decimal
    item_cap: Decimal  # the most one item can cost
    early_bonus: Decimal  # per item done before its day
    monthly_bonus_cap: Decimal
    floor: Decimal

    def weight(self, kind: str) -> Decimal:
        return self.weights.get(kind, Decimal(1))


@dataclass(frozen=True)
class ItemRecord:
    item_id: int
    title: str
    kind: str
    due_on: date
    done_on: date | None  # the local day it was reported done, if it was


@dataclass(frozen=True)
class Line:
    rule: str
    points: Decimal
    item_id: int | None = None
    item: str = ""
    days: int = 0
    weight: Decimal = Decimal(1)

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "points": str(self.points),
            "item_id": self.item_id,
            "item": self.item,
            "days": self.days,
            "weight": str(self.weight),
        }


@dataclass(frozen=True)
class Score:
    total: Decimal
    lines: list[Line] = field(default_factory=list)
    items: int = 0
    overdue: int = 0
    done: int = 0


def overdue_days(*, due_on: date, done_on: date | None, today: date) -> int:
    """Days past the item's day until it was done, or until today while it is still open. Done on
    its day, or before, or not yet due: none."""
    end = done_on if done_on is not None else today
    return max(0, (end - due_on).days)


def is_overdue(*, due_on: date, done_on: date | None, today: date) -> bool:
    """Not reported done by the end of its day (local): from the next day on, while not done."""
    return done_on is None and today > due_on


def month_score(*, scheme: Scheme, items: Iterable[ItemRecord], today: date) -> Score:
    """The score of the month whose items are `items` (those due in it), computed on `today`."""
    lines = [Line(BASE, points(scheme.base))]
    ordered: Sequence[ItemRecord] = sorted(items, key=lambda i: (i.due_on, i.item_id))
    bonus_total = Decimal(0)
    overdue_count = done_count = 0
    for record in ordered:
        weight = scheme.weight(record.kind)
        if record.done_on is not None:
            done_count += 1
        days = overdue_days(due_on=record.due_on, done_on=record.done_on, today=today)
        if days:
            overdue_count += 1
            cost = points(scheme.per_overdue_day * weight * days)
            rule = OVERDUE
            if cost > scheme.item_cap:
                cost, rule = points(scheme.item_cap), OVERDUE_CAPPED
            lines.append(Line(rule, -cost, record.item_id, record.title, days, weight))
        elif record.done_on is not None and record.done_on < record.due_on:
            bonus = points(scheme.early_bonus * weight)
            bonus_total += bonus
            lines.append(
                Line(EARLY, bonus, record.item_id, record.title, (record.due_on - record.done_on).days, weight)
            )
    if bonus_total > scheme.monthly_bonus_cap:
        lines.append(Line(BONUS_CAP, points(scheme.monthly_bonus_cap - bonus_total)))
    total = sum((line.points for line in lines), Decimal(0))
    if total < scheme.floor:
        lines.append(Line(FLOOR, points(scheme.floor - total)))
        total = points(scheme.floor)
    return Score(total=points(total), lines=lines, items=len(ordered), overdue=overdue_count, done=done_count)


@dataclass(frozen=True)
class Ranked:
    department_id: int
    total: Decimal
    rank: int
    previous_total: Decimal | None
    previous_rank: int | None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous_total is None else self.total - self.previous_total

    @property
    def rank_change(self) -> int | None:
        """Places gained since last month (positive: moved up)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def ranks(totals: Mapping[int, Decimal]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): departments with the same score share a place."""
    ordered = sorted(totals.values(), reverse=True)
    return {department: ordered.index(total) + 1 for department, total in totals.items()}


def ranking(*, totals: Mapping[int, Decimal], previous: Mapping[int, Decimal]) -> list[Ranked]:
    """This month's ranking with the change from last month (`previous`: last month's totals, of the
    departments that had one)."""
    now, before = ranks(totals), ranks(previous)
    rows = [
        Ranked(department, total, now[department], previous.get(department), before.get(department))
        for department, total in totals.items()
    ]
    return sorted(rows, key=lambda r: (r.rank, r.department_id))
