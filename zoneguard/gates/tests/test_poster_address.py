"""QR posters, status cards and notification links point at the address ZoneGuard is reached
at: ZONEGUARD_SITE_URL when it is set, otherwise the address the request came in on (a host
Django's ALLOWED_HOSTS accepts)."""

import re

from django.test import Client

from zoneguard.core.context import FALLBACK_SITE_URL, absolute_url


def _poster_address(zone, host):
    client = Client(HTTP_HOST=host)
    client.force_login(zone.commander)
    page = client.get(f"/gates/sites/{zone.site_a.pk}/").content.decode()
    return re.search(r'data-testid="declaration-url">([^<]+)<', page).group(1), page


def test_the_poster_follows_the_request_s_host_when_no_site_url_is_set(zone, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["zone.example.gov.cn", "127.0.0.1"]
    address, page = _poster_address(zone, "zone.example.gov.cn")
    assert address == f"http://zone.example.gov.cn/health/d/{zone.site_a.code}/"
    assert 'data-testid="loopback-warning"' not in page
    # A loopback address is printed as it is, with a warning that phones cannot open it.
    address, page = _poster_address(zone, "127.0.0.1:8012")
    assert address.startswith("http://127.0.0.1:8012/")
    assert 'data-testid="loopback-warning"' in page
    # A host not configured is refused by Django before any link is made from it.
    client = Client(HTTP_HOST="evil.example.com")
    client.force_login(zone.commander)
    assert client.get(f"/gates/sites/{zone.site_a.pk}/").status_code == 400


def test_the_configured_site_url_wins(zone, settings):
    settings.SITE_URL = "https://fk.hengyang.example"
    settings.ALLOWED_HOSTS = ["10.1.2.3"]
    address, page = _poster_address(zone, "10.1.2.3")
    assert address == f"https://fk.hengyang.example/health/d/{zone.site_a.code}/"
    assert 'data-testid="loopback-warning"' not in page
    png = Client(HTTP_HOST="10.1.2.3")
    png.force_login(zone.commander)
    assert png.get(f"/gates/sites/{zone.site_a.pk}/poster.png").status_code == 200


def test_links_made_outside_a_request_fall_back_to_the_configured_or_local_address(settings):
    settings.SITE_URL = ""
    assert absolute_url("/gates/alerts/1/") == FALLBACK_SITE_URL + "/gates/alerts/1/"
    settings.SITE_URL = "https://fk.hengyang.example"
    assert absolute_url("/gates/alerts/1/") == "https://fk.hengyang.example/gates/alerts/1/"


def test_a_notification_sent_later_carries_the_address_of_the_request_that_raised_it(
    zone, settings, declare, device_for, item
):
    from zoneguard.gates.tests.conftest import post
    from zoneguard.notifications.models import Channel, Delivery, DeliveryRule

    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["gate.example.gov.cn"]
    DeliveryRule.objects.create(
        name="值班群", audience="duty_officers", channel=Channel.WECOM, webhook_url="https://qyapi.weixin.qq.com/x"
    )
    declare(zone.staff_a[0])
    gate = device_for(zone.site_a)
    gate.defaults["HTTP_HOST"] = "gate.example.gov.cn"
    assert post(gate, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], 38.0)).status_code == 201
    assert Delivery.objects.get().link.startswith("http://gate.example.gov.cn/gates/alerts/")
