"""The scoring rules on plain data, with a month worked out by hand."""

from datetime import date
from decimal import Decimal as D

from zoneguard.supervision import scoring
from zoneguard.supervision.scoring import ItemRecord, Scheme

SCHEME = Scheme(
    base=D("100"),
    weights={"project": D("1.5"), "investment": D("1.2"), "other": D("0.5")},  # "service" unlisted: weighs 1
    per_overdue_day=D("2"),
    item_cap=D("6"),
    early_bonus=D("1"),
    monthly_bonus_cap=D("3"),
    floor=D("80"),
)
TODAY = date(2020, 3, 5)  # computed in March, for February (2020 is a leap year: February has 29 days)


def feb(day: int) -> date:
    return date(2020, 2, day)


ITEMS = [
    ItemRecord(1, "项目甲开工", "project", feb(10), feb(10)),  # done on its day: nothing
    ItemRecord(2, "项目乙开工", "project", feb(11), feb(12)),  # 1 day late: 2 × 1.5 × 1 = 3.00
    ItemRecord(3, "项目丙开工", "project", feb(12), feb(20)),  # 8 days late: 24.00, capped at 6.00
    ItemRecord(4, "拜访华为", "investment", feb(13), feb(15)),  # 2 days late: 2 × 1.2 × 2 = 4.80
    ItemRecord(5, "签约中兴", "investment", feb(14), feb(10)),  # early: 1 × 1.2 = 1.20
    ItemRecord(6, "走访企业", "service", feb(17), feb(15)),  # early, unlisted kind: 1 × 1 = 1.00
    ItemRecord(7, "项目丁开工", "project", feb(18), feb(17)),  # early: 1 × 1.5 = 1.50
    ItemRecord(8, "整理台账", "other", feb(19), feb(18)),  # early: 1 × 0.5 = 0.50
    ItemRecord(9, "清理档案", "other", feb(26), None),  # open, 8 days (27, 28, 29, 1–5 March): 8.00 → 6.00
    ItemRecord(10, "报送月报", "other", feb(29), None),  # open, 5 days (1–5 March): 2 × 0.5 × 5 = 5.00
    ItemRecord(11, "洽谈物联网项目", "investment", feb(20), feb(20)),  # on its day: nothing
]


def test_it_scores_a_hand_checked_month_with_every_rule():
    score = scoring.month_score(scheme=SCHEME, items=ITEMS, today=TODAY)
    assert [(line.rule, line.item_id, line.days, line.points) for line in score.lines] == [
        ("base", None, 0, D("100.00")),
        ("overdue", 2, 1, D("-3.00")),
        ("overdue_capped", 3, 8, D("-6.00")),
        ("overdue", 4, 2, D("-4.80")),
        ("early", 5, 4, D("1.20")),
        ("early", 6, 2, D("1.00")),
        ("early", 7, 1, D("1.50")),
        ("early", 8, 1, D("0.50")),
        ("overdue_capped", 9, 8, D("-6.00")),
        ("overdue", 10, 5, D("-5.00")),
        # Bonuses 1.20 + 1.00 + 1.50 + 0.50 = 4.20, capped at 3.00.
        ("bonus_cap", None, 0, D("-1.20")),
        # 100 − 24.80 + 4.20 − 1.20 = 78.20, below the floor of 80.
        ("floor", None, 0, D("1.80")),
    ]
    assert score.total == D("80.00")
    assert sum(line.points for line in score.lines) == score.total
    assert (score.items, score.overdue, score.done) == (11, 5, 9)


def test_it_keeps_the_total_above_the_floor_only_when_needed():
    score = scoring.month_score(scheme=SCHEME, items=ITEMS[:2], today=TODAY)
    assert score.total == D("97.00")
    assert [line.rule for line in score.lines] == ["base", "overdue"]


def test_it_counts_no_day_for_an_item_due_today_or_done_on_its_day():
    assert scoring.overdue_days(due_on=feb(20), done_on=None, today=feb(20)) == 0
    assert scoring.overdue_days(due_on=feb(20), done_on=None, today=feb(21)) == 1
    assert scoring.overdue_days(due_on=feb(20), done_on=feb(20), today=feb(25)) == 0
    assert scoring.overdue_days(due_on=feb(20), done_on=feb(18), today=feb(25)) == 0


def test_it_ranks_ties_together_and_shows_the_change_from_last_month():
    rows = scoring.ranking(
        totals={1: D("95.50"), 2: D("98.00"), 3: D("95.50"), 4: D("90")},
        previous={1: D("99"), 2: D("90"), 4: D("92")},
    )
    assert [(r.department_id, r.rank) for r in rows] == [(2, 1), (1, 2), (3, 2), (4, 4)]
    by_id = {r.department_id: r for r in rows}
    assert by_id[1].change == D("-3.50") and by_id[1].rank_change == -1  # first last month, second now
    assert by_id[2].change == D("8.00") and by_id[2].rank_change == 2
    assert by_id[3].change is None and by_id[3].rank_change is None  # no score last month
    assert by_id[4].rank_change == -2


def test_an_empty_month_scores_the_base():
    assert scoring.month_score(scheme=SCHEME, items=[], today=TODAY).total == D("100.00")
