"""The address a request comes from, as the sign-in lockout and the rate limits count it.

Behind a reverse proxy every request arrives from the proxy's address, so that one client's
failed sign-ins would lock out everyone. The address the proxy forwards (X-Forwarded-For) is
believed only when the request comes from a proxy listed in ZONEGUARD_TRUSTED_PROXIES: anyone
else can write any address into that header."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (10.0.0.0/8, 2001:db8::/32); a bad entry raises ValueError."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


@functools.lru_cache(maxsize=4)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def _address(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind trusted proxies the address the nearest untrusted hop was seen at.

    The forwarded list is read from the right: each trusted proxy appends the address it received
    the request from, and the first address no trusted proxy owns is the client's. Entries left of
    it were written by the client and are ignored. Also django-axes' AXES_CLIENT_IP_CALLABLE."""
    remote = request.META.get("REMOTE_ADDR") or ""
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    if not trusted:
        return remote
    current = _address(remote)
    if current is None or not any(current in network for network in trusted):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        forwarded = _address(hop)
        if forwarded is None:
            break  # a trusted proxy writes addresses only: keep the last one it vouched for
        current = forwarded
        if not any(current in network for network in trusted):
            break
    return str(current)
