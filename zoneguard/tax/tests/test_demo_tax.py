"""The demo zone carries the story: 衡阳步步高连锁's 595,646.00 over five taxes, the eight
companies' 8,271,253.36, the six categories of relief policy pushed to the enterprises they
apply to, and a hall with slots for the coming days. Loading twice changes nothing."""

from decimal import Decimal

from zoneguard.accounts.models import User
from zoneguard.demo.builder import load_demo_zone
from zoneguard.notifications.models import Notification
from zoneguard.registry.models import Organisation
from zoneguard.tax import selectors
from zoneguard.tax.models import (
    Appointment,
    Deferral,
    DeferralItem,
    Policy,
    PolicyCategory,
    PolicyMatch,
    Question,
    Slot,
    TaxProfile,
)

MODELS = (Deferral, DeferralItem, Policy, PolicyMatch, Question, Slot, Appointment, TaxProfile, Notification)


def counts():
    return tuple(m.objects.count() for m in MODELS)


def test_the_demo_zone_carries_the_story_s_deferrals(db):
    load_demo_zone(password="demo-password-1")
    officer = User.objects.get(username="taxofficer")
    summary = selectors.deferral_summary(actor=officer)
    assert summary.enterprises == 8
    assert summary.total == Decimal("8271253.36")
    bubugao = Deferral.objects.get(organisation__name="衡阳步步高连锁有限责任公司", status="approved")
    assert bubugao.approved_total == bubugao.total == Decimal("595646.00")
    assert set(bubugao.items.values_list("tax_type__name", flat=True)) == {
        "增值税",
        "消费税",
        "城市维护建设税",
        "地方教育附加",
        "印花税",
    }
    assert sum(bubugao.items.values_list("approved_amount", flat=True), Decimal(0)) == Decimal("595646.00")
    assert bubugao.approved_months == 3
    assert {
        "衡阳步步高连锁有限责任公司",
        "衡阳铺目科技责任有限公司",
        "衡阳富运汽车销售服务有限公司",
    } <= {row["deferral"].organisation.name for row in summary.rows}
    assert Deferral.objects.filter(status="submitted").exists()  # one for the tax officer to decide


def test_the_demo_zone_pushes_the_six_categories_of_policy(db):
    load_demo_zone(password="demo-password-1")
    assert PolicyCategory.objects.count() == 6
    assert Policy.objects.filter(status="published").count() >= 6
    jinhua = User.objects.get(username="jinhua")
    assert Notification.objects.filter(recipient=jinhua, source_type="tax.policy").exists()
    bubugao = Organisation.objects.get(name="衡阳步步高连锁有限责任公司")
    officer = User.objects.get(username="taxofficer")
    titles = {r.policy.title for r in selectors.eligible_policies(actor=officer, organisation=bubugao)}
    assert "受疫情影响生产经营困难的纳税人依法延期缴纳税款" in titles
    assert Slot.objects.filter(is_open=True).exists()
    assert Appointment.objects.exists()


def test_loading_the_demo_twice_changes_nothing_in_the_tax_services(db):
    load_demo_zone(password="demo-password-1")
    first = counts()
    load_demo_zone(password="demo-password-2")
    assert counts() == first
