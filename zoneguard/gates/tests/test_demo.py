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


def test_the_closed_fever_alert_tells_its_whole_story(db, client):
    zone = load_demo_zone(password="demo-password-1")
    alert = FeverAlert.objects.get(status="closed")
    # Closed after a normal re-test by the gate officer who handled it: the worker passes again.
    retest = alert.retests.get()
    assert retest.is_normal and retest.recorded_by == alert.closed_by == alert.acknowledged_by == zone.users["gate"]
    assert alert.checked_at < retest.measured_at <= alert.released_at == alert.closed_at
    client.force_login(zone.users["gate"])
    response = client.get(f"/gates/alerts/{alert.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "None" not in page
        and "复测正常前" not in page
        and "起已恢复放行" in page
        and 'data-testid="retest-form"' not in page
    )
    assert str(zone.users["gate"]) in page
