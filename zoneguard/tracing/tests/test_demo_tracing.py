"""The demo zone has a case to trace: the 金化 worker refused with a fever, their co-workers, the
market evenings and, through a co-worker, the people met at 君昇市场."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from zoneguard.accounts.models import User
from zoneguard.demo.builder import load_demo_zone
from zoneguard.gates.models import FeverAlert
from zoneguard.tracing import services


# The story's today is placed before the moment of loading (demo.builder.DemoZone.past), so what
# the case shared with whom depends on the hour: the story must hold at any of them.
@pytest.mark.parametrize("hour, minute", [(0, 30), (8, 5), (14, 0), (23, 30)])
def test_the_demo_fever_at_jinhua_traces_to_coworkers_and_the_markets(db, settings, tmp_path, hour, minute):
    settings.MEDIA_ROOT = tmp_path
    now = datetime(2026, 3, 4, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=now):
        traced_at_any_hour()


def traced_at_any_hour() -> None:
    zone = load_demo_zone(password="demo-password-1")
    case = zone.people["traced case"]
    assert FeverAlert.objects.filter(person=case, site__organisation__name="湖南金化科技集团有限公司").exists()
    tracer = User.objects.get(username="tracer")
    _person, found = services.trace(actor=tracer, person_id=case.pk, depth=2)
    first = [c for c in found if c.degree == 1]
    second = [c for c in found if c.degree == 2]
    workplace = zone.sites["湖南金化科技集团有限公司·大门"].pk
    market = zone.sites["高鑫农贸市场·市场入口"].pk
    assert sum(workplace in c.site_ids for c in first) >= 10  # the workshop's shift
    assert any(market in c.site_ids and workplace not in c.site_ids for c in first)  # the stall-holder
    assert {zone.sites["君昇市场·市场入口"].pk} in [set(c.site_ids) for c in second]
    # Loading again adds nothing.
    again = services.trace(actor=tracer, person_id=case.pk, depth=2)[1]
    load_demo_zone(password="demo-password-1")
    assert [c.person_id for c in services.trace(actor=tracer, person_id=case.pk, depth=2)[1]] == [
        c.person_id for c in again
    ]
