"""The client address behind reverse proxies: a forwarded address only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from zoneguard.core.network import client_address


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_ignores_a_forwarded_address_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


def test_it_ignores_a_forwarded_address_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


def test_it_takes_the_forwarded_address_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request("10.0.0.1", "203.0.113.5")) == "203.0.113.5"


def test_it_skips_only_trusted_hops_so_a_client_cannot_choose_its_address(settings):
    # The client wrote 192.0.2.1 itself; the proxy appended the address it really came from.
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request("10.0.0.1", "192.0.2.1, 203.0.113.5")) == "203.0.113.5"
    # Two proxies in a row (a load balancer, then nginx), both trusted.
    assert client_address(request("10.0.0.1", "192.0.2.1, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


@pytest.mark.parametrize("forwarded", ["", "garbage", "203.0.113.5, not-an-address"])
def test_it_keeps_the_proxy_s_address_when_the_forwarded_one_is_unreadable(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request("10.0.0.1", forwarded)) == "10.0.0.1"


def test_it_reads_ipv6_and_ipv4_mapped_addresses(settings):
    settings.TRUSTED_PROXIES = ["2001:db8::/64"]
    assert client_address(request("2001:db8::1", "2001:db8:1::9")) == "2001:db8:1::9"
    assert client_address(request("2001:db8::1", "::ffff:203.0.113.5")) == "203.0.113.5"


def test_a_misconfigured_proxy_list_stops_the_start(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import zoneguard.settings as project_settings

    monkeypatch.setenv("ZONEGUARD_TRUSTED_PROXIES", "10.0.0.1,nginx.local")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(project_settings)
    monkeypatch.delenv("ZONEGUARD_TRUSTED_PROXIES")
    importlib.reload(project_settings)
