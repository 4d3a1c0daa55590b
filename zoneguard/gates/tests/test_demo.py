"""The demo zone carries health rules, declarations and some days of entries at the story's sites."""

from zoneguard.demo.builder import load_demo_zone
from zoneguard.gates.models import CheckIn, FeverAlert, SiteGate
from zoneguard.health.models import Declaration, HealthRule


def counts():
    return tuple(m.objects.count() for m in (HealthRule, Declaration, CheckIn, FeverAlert, SiteGate))


def test_it_loads_gates_and_declarations_idempotently(db):
    load_demo_zone(password="demo-password-1")
    first = counts()
    assert all(first), first
    assert CheckIn.objects.filter(site__name="实名制通道").exists()
    assert CheckIn.objects.filter(site__organisation__name="湖南金化科技集团有限公司", site__name="大门").exists()
    assert CheckIn.objects.filter(site__organisation__kind="market").exists()
    assert Declaration.objects.filter(status="red").exists()
    load_demo_zone(password="demo-password-1")
    assert counts() == first
