"""Payment deferrals: validation that writes nothing, exact totals, approval with fewer months or
smaller amounts, refusal, new due dates, and the summary."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.notifications.models import Notification
from zoneguard.tax import selectors, services
from zoneguard.tax.models import Deferral, DeferralItem, DeferralStatus

STORY = [
    ("vat", "420000.00"),
    ("consumption", "90000.00"),
    ("urban_construction", "35700.00"),
    ("local_education_surcharge", "10200.00"),
    ("stamp", "39746.00"),
]


GIVEN = object()  # apply(period=None, due_on=None) leaves them to the service's defaults


def statement():
    return SimpleUploadedFile("银行对账单.pdf", b"%PDF-1.4 test", "application/pdf")


def last_month():
    return services.add_months(timezone.localdate().replace(day=1), -1)


def apply(tax, items=STORY, months=3, organisation=None, actor=None, period=GIVEN, due_on=GIVEN, evidence=GIVEN):
    """An application for last month, due in 20 days whatever the day of the month, with its
    hardship evidence: an application the tax officer may approve."""
    zone = tax.zone
    return services.deferral_apply(
        actor=actor or zone.admin_a,
        organisation=organisation or zone.enterprise_a,
        months=months,
        reason="疫情冲击，资金周转困难",
        items=items,
        period=last_month() if period is GIVEN else period,
        due_on=timezone.localdate() + timedelta(days=20) if due_on is GIVEN else due_on,
        evidence=[statement()] if evidence is GIVEN else evidence,
    )


def test_it_totals_the_taxes_exactly(tax, early_in_month):
    deferral = apply(tax, period=None, due_on=None)
    assert deferral.total == Decimal("595646.00")
    assert deferral.status == DeferralStatus.SUBMITTED
    assert DeferralItem.objects.filter(deferral=deferral).count() == 5
    # Last month, the latest over, and its statutory deadline, the 15th of this month.
    assert deferral.period == services.add_months(early_in_month.replace(day=1), -1)
    assert deferral.due_on == early_in_month.replace(day=15)
    told = Notification.objects.get(recipient=tax.officer, source_type="tax.deferral")
    assert "595,646.00" in told.title


def test_cents_add_up_without_floating_point_error(tax):
    deferral = apply(tax, items=[("vat", "0.10"), ("stamp", "0.20"), ("consumption", "1234567890123.07")])
    assert deferral.total == Decimal("1234567890123.37")
    assert Deferral.objects.get(pk=deferral.pk).total == Decimal("1234567890123.37")


@pytest.mark.parametrize(
    ("items", "months", "field"),
    [
        ([("vat", "100.001")], 3, "items.0.amount"),
        ([("vat", "-5.00")], 3, "items.0.amount"),
        ([("vat", "0")], 3, "items.0.amount"),
        ([("vat", 100.5)], 3, "items.0.amount"),  # a float is refused, not rounded
        ([("vat", "NaN")], 3, "items.0.amount"),
        ([("vat", "10000000000000.00")], 3, "items.0.amount"),
        ([("vat", "9999999999999.99"), ("stamp", "0.01")], 3, "items"),
        ([("vat", "1.00"), ("vat", "2.00")], 3, "items.1.tax_type"),
        ([("income", "1.00")], 3, "items.0.tax_type"),
        ([], 3, "items"),
        ([("vat", "1.00")], 0, "months"),
        ([("vat", "1.00")], 4, "months"),
    ],
)
def test_invalid_input_is_refused_and_nothing_is_written(tax, items, months, field):
    with pytest.raises(InvalidInput) as error:
        apply(tax, items=items, months=months)
    assert field in error.value.errors
    assert not Deferral.objects.exists() and not DeferralItem.objects.exists()


def test_a_deferral_is_applied_for_before_the_taxes_fall_due(tax):
    with pytest.raises(InvalidInput) as error:
        apply(tax, period=date(2020, 1, 1), due_on=date(2020, 2, 24))
    assert "due_on" in error.value.errors


def test_a_tax_period_not_yet_begun_is_refused(tax):
    with pytest.raises(InvalidInput) as error:
        apply(tax, period=date(2099, 1, 1))
    assert (error.value.code, list(error.value.errors)) == ("future_period", ["period"])
    assert not Deferral.objects.exists()


def test_one_application_per_taxpayer_and_period(tax):
    first = apply(tax)
    with pytest.raises(Conflict) as error:
        apply(tax, period=first.period)
    assert error.value.code == "deferral_exists"
    services.deferral_decide(actor=tax.officer, deferral=first, approve=False, note="资料不全")
    apply(tax, period=first.period)  # refused: the taxpayer may apply again


def test_approval_grants_fewer_months_and_smaller_amounts_and_sets_the_new_due_date(tax):
    zone = tax.zone
    deferral = apply(tax)
    decided = services.deferral_decide(
        actor=tax.officer,
        deferral=deferral,
        approve=True,
        months=2,
        amounts={"stamp": "0", "vat": "400000.50"},
        note="印花税不予延期",
    )
    assert decided.status == DeferralStatus.APPROVED
    assert decided.approved_months == 2
    assert decided.approved_total == Decimal("535900.50")
    assert decided.new_due_on == services.add_months(deferral.due_on, 2)
    granted = dict(decided.items.values_list("tax_type__code", "approved_amount"))
    assert granted == {
        "vat": Decimal("400000.50"),
        "consumption": Decimal("90000.00"),
        "urban_construction": Decimal("35700.00"),
        "local_education_surcharge": Decimal("10200.00"),
        "stamp": Decimal("0.00"),
    }
    told = Notification.objects.get(recipient=zone.admin_a, source_type="tax.deferral")
    assert "535,900.50" in told.title and told.body == "印花税不予延期"
    with pytest.raises(Conflict):
        services.deferral_decide(actor=tax.officer, deferral=deferral, approve=False, note="重复")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"months": 4}, "months"),
        ({"amounts": {"vat": "420000.01"}}, "amounts.vat"),
        ({"amounts": {"vat": "1.001"}}, "amounts.vat"),
        ({"amounts": {"property": "1.00"}}, "amounts.property"),
        ({"amounts": {code: "0" for code, _a in STORY}}, "amounts"),
    ],
)
def test_approval_never_grants_more_than_applied_for(tax, kwargs, field):
    deferral = apply(tax)
    with pytest.raises(InvalidInput) as error:
        services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True, **kwargs)
    assert field in error.value.errors
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.SUBMITTED
    assert not deferral.items.filter(approved_amount__isnull=False).exists()


def test_a_refusal_needs_a_reason_and_is_told(tax):
    deferral = apply(tax)
    with pytest.raises(InvalidInput):
        services.deferral_decide(actor=tax.officer, deferral=deferral, approve=False)
    refused = services.deferral_decide(actor=tax.officer, deferral=deferral, approve=False, note="100% 资料缺失")
    assert refused.status == DeferralStatus.REFUSED and refused.approved_total is None
    told = Notification.objects.get(recipient=tax.zone.admin_a, source_type="tax.deferral")
    assert told.body == "100% 资料缺失"


def test_only_tax_officers_decide_and_only_the_taxpayer_applies(tax):
    zone = tax.zone
    with pytest.raises(Forbidden):
        apply(tax, actor=zone.admin_b)
    with pytest.raises(Forbidden):
        apply(tax, actor=zone.officer_a)
    deferral = apply(tax, actor=tax.officer)  # taken by phone
    for actor in (zone.admin_a, zone.officer_a, zone.commander):
        with pytest.raises(Forbidden):
            services.deferral_decide(actor=actor, deferral=deferral, approve=True)


def test_months_move_the_due_date_to_the_same_day_or_the_month_end():
    assert services.add_months(date(2020, 2, 24), 3) == date(2020, 5, 24)
    assert services.add_months(date(2020, 11, 30), 3) == date(2021, 2, 28)
    assert services.add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert services.default_period(date(2020, 2, 10)) == date(2020, 1, 1)
    # After the 15th last month's taxes are due already: this month's are the next to fall due.
    assert services.default_period(date(2020, 2, 20)) == date(2020, 2, 1)


def test_evidence_is_kept_with_the_application(tax):
    deferral = apply(tax, evidence=[SimpleUploadedFile("银行对账单.pdf", b"%PDF-1.4 test", "application/pdf")])
    evidence = deferral.evidence.get()
    assert evidence.name == "银行对账单.pdf" and evidence.size == 13
    with pytest.raises(InvalidInput):
        services.deferral_evidence_add(
            actor=tax.zone.admin_a, deferral=deferral, file=SimpleUploadedFile("x.html", b"<script>", "text/html")
        )
    assert deferral.evidence.count() == 1


def test_the_summary_counts_enterprises_and_totals_each_tax_exactly(tax):
    zone = tax.zone
    a = apply(tax)
    b = apply(tax, organisation=zone.enterprise_b, actor=zone.admin_b, items=[("vat", "7675607.36")])
    c = apply(tax, organisation=zone.market, actor=tax.officer, items=[("stamp", "1.00")])
    services.deferral_decide(actor=tax.officer, deferral=a, approve=True)
    services.deferral_decide(actor=tax.officer, deferral=b, approve=True)
    services.deferral_decide(actor=tax.officer, deferral=c, approve=False, note="不符合条件")
    summary = selectors.deferral_summary(actor=tax.officer)
    assert (summary.enterprises, summary.deferrals, summary.total) == (2, 2, Decimal("8271253.36"))
    assert {t.code: t.total for t in summary.by_tax_type} == {
        "vat": Decimal("8095607.36"),
        "consumption": Decimal("90000.00"),
        "urban_construction": Decimal("35700.00"),
        "local_education_surcharge": Decimal("10200.00"),
        "stamp": Decimal("39746.00"),
    }
    # The enterprise sees its own deferral only.
    own = selectors.deferral_summary(actor=zone.admin_a)
    assert (own.enterprises, own.total) == (1, Decimal("595646.00"))
    # A period before the decisions holds nothing.
    yesterday = timezone.localdate() - timedelta(days=1)
    assert selectors.deferral_summary(actor=tax.officer, date_to=yesterday).total == 0
    Deferral.objects.filter(pk=a.pk).update(decided_at=timezone.make_aware(datetime.combine(yesterday, time(23, 59))))
    assert selectors.deferral_summary(actor=tax.officer, date_to=yesterday).total == Decimal("595646.00")


def test_without_hardship_evidence_an_application_is_refused_not_approved(tax):
    deferral = apply(tax, evidence=[])
    with pytest.raises(Conflict) as error:
        services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True)
    assert error.value.code == "no_evidence" and "困难证明材料" in error.value.message
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.SUBMITTED and deferral.approved_total is None
    assert not Notification.objects.filter(recipient=tax.zone.admin_a, source_type="tax.deferral").exists()
    # Once the evidence is uploaded it may be approved; without it, refused.
    services.deferral_evidence_add(actor=tax.zone.admin_a, deferral=deferral, file=statement())
    assert services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True).status == "approved"
    other = apply(tax, organisation=tax.zone.enterprise_b, actor=tax.zone.admin_b, evidence=[])
    refused = services.deferral_decide(actor=tax.officer, deferral=other, approve=False, note="未提供证明材料")
    assert refused.status == DeferralStatus.REFUSED


def test_a_second_decision_is_refused_as_already_decided(tax):
    deferral = apply(tax)
    services.deferral_decide(actor=tax.officer, deferral=deferral, approve=False, note="资料不全")
    with pytest.raises(Conflict) as error:
        services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True)
    assert (error.value.code, error.value.message) == ("already_decided", "该申请已审批。")
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.REFUSED
