"""Resumption and staff return rates on the small known zone, checked by hand.

Zone: enterprise A (10 staff, manufacturing, community 祥光), enterprise B (5, manufacturing, 祥光),
project 丙 (8, construction, no community), market 丁 (3, no sector, 祥光).
A is approved from 02-20, 丙 from 02-25, B is waiting for review, 丁 has not filed.
A gate counts 7 people at A and 9 at 丁 (capped at 丁's 3 registered staff)."""

from datetime import date

import pytest

from zoneguard.core.attendance import register_attendance_source, unregister_attendance_source
from zoneguard.resumption import selectors, services
from zoneguard.resumption.tests.conftest import backdate, filing_data


@pytest.fixture
def gate_counts(zone):
    counts = {zone.enterprise_a.pk: 7, zone.market.pk: 9}
    register_attendance_source("test-gate", lambda ids, day: {pk: n for pk, n in counts.items() if pk in ids})
    yield counts
    unregister_attendance_source("test-gate")


@pytest.fixture
def filings(zone, review_rules):
    a = services.filing_submit(actor=zone.admin_a, organisation=zone.enterprise_a, data=filing_data())
    backdate(services.filing_decide(actor=zone.officer_a, filing=a, approve=True), date(2020, 2, 20))
    project = services.filing_submit(
        actor=zone.admin_a,
        organisation=zone.project,
        data=filing_data(staff_expected=8, staff_local=8, staff_other_provinces=0),
    )
    backdate(services.filing_decide(actor=zone.officer_b, filing=project, approve=True), date(2020, 2, 25))
    pending = services.filing_submit(
        actor=zone.admin_b,
        organisation=zone.enterprise_b,
        data=filing_data(staff_expected=5, staff_local=5, staff_other_provinces=0),
    )
    backdate(pending, date(2020, 2, 20))


def figures(row):
    return (row.label, row.registered, row.resumed, row.total_staff, row.on_duty)


def test_it_computes_the_rates_by_kind_sector_and_community(zone, filings, gate_counts):
    rates = selectors.resumption_rates(actor=zone.commander, day=date(2020, 2, 21))
    assert figures(rates.overall) == ("全部", 4, 1, 26, 10)
    assert rates.overall.resumption_rate == pytest.approx(0.25)
    assert rates.overall.return_rate == pytest.approx(10 / 26)
    assert [figures(r) for r in rates.by_kind] == [
        ("在建项目", 1, 0, 8, 0),
        ("企业", 2, 1, 15, 7),
        ("市场", 1, 0, 3, 3),
    ]
    assert sorted(figures(r) for r in rates.by_sector) == sorted(
        [("制造业", 2, 1, 15, 7), ("建筑业", 1, 0, 8, 0), ("—", 1, 0, 3, 3)]
    )
    assert sorted(figures(r) for r in rates.by_community) == sorted([("祥光社区", 3, 1, 18, 10), ("—", 1, 0, 8, 0)])
    states = {r.organisation.name: (r.state, r.resumed, r.on_duty) for r in rates.organisations}
    assert states == {
        "企业甲": ("approved", True, 7),
        "企业乙": ("submitted", False, 0),
        "项目丙": ("approved", False, 0),  # approved, but resumes only on 02-25
        "市场丁": ("not_filed", False, 3),
    }


def test_building_projects_count_as_resumed_from_their_date(zone, filings, gate_counts):
    before = selectors.resumption_rates(actor=zone.commander, day=date(2020, 2, 24), kind="building_project")
    after = selectors.resumption_rates(actor=zone.commander, day=date(2020, 2, 25), kind="building_project")
    assert (before.overall.registered, before.overall.resumption_rate) == (1, 0.0)
    assert (after.overall.registered, after.overall.resumption_rate) == (1, 1.0)


def test_officers_see_the_rates_of_their_competence(zone, filings, gate_counts):
    rates = selectors.resumption_rates(actor=zone.officer_a, day=date(2020, 2, 21))
    assert figures(rates.overall) == ("全部", 3, 1, 18, 10)
    assert selectors.resumption_rates(actor=zone.volunteer, day=date(2020, 2, 21)).overall.registered == 0


def test_without_a_counting_source_nobody_is_on_duty(zone, filings):
    rates = selectors.resumption_rates(actor=zone.commander, day=date(2020, 2, 21))
    assert rates.overall.on_duty == 0
    assert rates.overall.return_rate == 0.0
