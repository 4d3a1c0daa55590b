"""Scores of a month from the records, the ranking, and a closed month frozen."""

from datetime import date
from decimal import Decimal as D
from unittest import mock

import pytest

from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.supervision import selectors, services
from zoneguard.supervision.models import AssessmentScheme, ClosedMonth, MonthScore

from .conftest import local

MARCH_5 = local(2020, 3, 5, 9, 0)
FEB = date(2020, 2, 1)


def at(moment, call, **kwargs):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return call(**kwargs)


def test_the_month_is_scored_from_the_records(zone, plan):
    at(local(2020, 2, 22, 10, 0), services.item_report, actor=zone.officer_a, item=plan.item, status="done")
    result = at(MARCH_5, selectors.month_scores, actor=zone.commander, month=FEB)
    rows = {row.department.pk: row for row in result.rows}
    # Department A: its item done 2 days late (1 × 1.5 × 2 = 3), the other still open on 5 March:
    # 14 days × 1.5 = 21, capped at 5. Department B: open, capped at 5.
    assert rows[zone.department_a.pk].total == D("92.00")
    assert [line["points"] for line in rows[zone.department_a.pk].lines] == ["100.00", "-3.00", "-5.00"]
    assert rows[zone.department_b.pk].total == D("95.00")
    assert [row.department.pk for row in result.rows] == [zone.department_b.pk, zone.department_a.pk]
    assert result.closed is None


def test_an_officer_sees_their_own_departments_score_only(zone, plan):
    result = at(MARCH_5, selectors.month_scores, actor=zone.officer_a, month=FEB)
    assert [row.department for row in result.rows] == [zone.department_a]
    assert at(MARCH_5, selectors.month_scores, actor=zone.admin_a, month=FEB).rows == []


def test_a_closed_month_is_frozen(zone, plan):
    closed = at(MARCH_5, services.month_close, actor=zone.commander, month=date(2020, 2, 14))
    assert closed.month == FEB and closed.scheme["item_cap"] == "5.00"
    before = at(MARCH_5, selectors.month_scores, actor=zone.commander, month=FEB)
    # Records and scheme change afterwards: the closed month answers what it stored.
    at(local(2020, 3, 6, 9, 0), services.item_report, actor=zone.officer_b, item=plan.item_b, status="done")
    services.scheme_save(actor=zone.commander, weights={"project": "3"}, item_cap=D("50"))
    after = at(local(2020, 4, 1, 9, 0), selectors.month_scores, actor=zone.commander, month=FEB)
    assert [(r.department.pk, r.total, r.rank, r.lines) for r in after.rows] == [
        (r.department.pk, r.total, r.rank, r.lines) for r in before.rows
    ]
    assert after.closed == closed
    assert MonthScore.objects.filter(closed_month=closed).count() == 2
    with pytest.raises(Conflict):
        at(MARCH_5, services.month_close, actor=zone.commander, month=FEB)


def test_the_change_from_last_month_reads_the_closed_month(zone, plan):
    at(MARCH_5, services.month_close, actor=zone.commander, month=FEB)
    march = at(local(2020, 3, 10, 9, 0), selectors.month_scores, actor=zone.commander, month=date(2020, 3, 1))
    assert march.rows == []  # no items due in March
    services.item_create(
        actor=zone.officer_a,
        task=plan.task,
        due_on=date(2020, 3, 2),
        title="三月第一周调度",
        expected_result="周报",
        responsible=zone.officer_a,
    )
    march = at(local(2020, 3, 10, 9, 0), selectors.month_scores, actor=zone.commander, month=date(2020, 3, 1))
    row = march.rows[0]
    assert row.total == D("95.00") and row.previous_total == D("90.00") and row.change == D("5.00")
    assert row.previous_rank == 2 and row.rank == 1 and row.rank_change == 1


def test_only_a_month_that_is_over_closes_and_only_by_the_commander(zone, plan):
    with pytest.raises(Conflict):
        at(local(2020, 2, 29, 23, 0), services.month_close, actor=zone.commander, month=FEB)
    with pytest.raises(Forbidden):
        at(MARCH_5, services.month_close, actor=zone.officer_a, month=FEB)
    assert not ClosedMonth.objects.exists()


def test_the_commander_edits_the_one_active_scheme(zone, plan):
    scheme = services.scheme_save(
        actor=zone.commander, weights={"project": "2", "other": "0.5"}, per_overdue_day=D("2"), floor=D("70")
    )
    assert scheme.pk == plan.scheme.pk and scheme.weights == {"project": "2.00", "other": "0.50"}
    assert AssessmentScheme.objects.count() == 1
    with pytest.raises(InvalidInput):
        services.scheme_save(actor=zone.commander, weights={"dancing": "1"})
    with pytest.raises(InvalidInput):
        services.scheme_save(actor=zone.commander, weights={"project": "11"})
    with pytest.raises(InvalidInput):
        services.scheme_save(actor=zone.commander, weights={}, floor=D("120"))
    with pytest.raises(Forbidden):
        services.scheme_save(actor=zone.officer_a, weights={})
