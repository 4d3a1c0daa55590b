"""The demo's incidents tell what the rest of the demo tells: the fever at 金化's gate is the
gate's own alert (same worker, time, reading and re-test), and the market's is shown as reported
by the volunteer who measured it."""

from zoneguard.demo.builder import load_demo_zone
from zoneguard.gates.models import FeverAlert
from zoneguard.incidents import selectors
from zoneguard.incidents.models import Incident


def test_the_demo_incidents_agree_with_the_gates_and_name_their_reporter(db, client):
    zone = load_demo_zone(password="demo-password-1")
    alert = FeverAlert.objects.get(status="closed", organisation=zone.organisations["湖南金化科技集团有限公司"])
    fever = Incident.objects.get(source_id="fever-jinhua")
    assert (fever.person, fever.temperature, fever.occurred_at) == (alert.person, alert.temperature, alert.checked_at)
    assert fever.resolution == alert.note
    assert selectors.reporter_name(fever) == ""  # raised by the gate itself
    market = Incident.objects.get(source_id="market-gaoxin")
    assert selectors.reporter_name(market) == "张青葵"
    client.force_login(zone.users["commander"])
    page = client.get(f"/incidents/{market.pk}/", follow=True).content.decode()
    assert "张青葵 ·" in page and "门岗自动上报" not in page
    assert "高鑫农贸市场 · 市场入口" in page  # the place as sites are written
