"""Public declarations are rate-limited per client address and per site code: a shift change over
one factory's Wi-Fi passes, a flood is refused. Time is moved with the rate limits' clock."""

from django.test import Client

from zoneguard.core.errors import RateLimited
from zoneguard.health import services
from zoneguard.health.models import Declaration
from zoneguard.registry.models import Person
from zoneguard.testing import valid_id_number


def declare(client, zone, *, seq=700, site=None, **extra):
    data = {
        "site_code": (site or zone.site_a).code,
        "name": "李明",
        "id_number": valid_id_number(area="110101", seq=seq),
        "phone": "13912345678",
        "temperature": 36.5,
    }
    return client.post("/api/v1/declarations", data, content_type="application/json", **extra)


def test_a_shift_change_over_one_address_passes(zone, rules, rate_clock):
    wifi = Client(REMOTE_ADDR="203.0.113.5")
    statuses = []
    for n in range(300):  # 300 employees within five minutes
        statuses.append(declare(wifi, zone, seq=1000 + n).status_code)
        rate_clock[0] += 1
    assert statuses == [201] * 300
    assert Person.objects.filter(name="李明").count() == 300


def test_a_flood_from_one_address_is_refused(zone, rules, rate_clock):
    flood = Client(REMOTE_ADDR="203.0.113.5")
    statuses = []
    for n in range(3000):  # thousands within three minutes
        statuses.append(declare(flood, zone).status_code)
        if n % 20 == 0:
            rate_clock[0] += 1
    assert statuses.count(201) == 600
    assert statuses[600:] == [429] * 2400
    assert Declaration.objects.count() == 600
    refused = declare(flood, zone)
    assert refused.json() == {
        "code": "rate_limited",
        "message": "短时间内请求次数过多，请在 10:10 之后再试。",
        "errors": {},
    }
    assert int(refused["Retry-After"]) > 0
    english = declare(flood, zone, HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert english == "Too many requests in a short time. Please try again after 10:10."
    # Another address is not held up by the flood, and the next window lets the first in again.
    assert declare(Client(REMOTE_ADDR="198.51.100.9"), zone).status_code == 201
    rate_clock[0] += 600
    assert declare(flood, zone).status_code == 201


def test_wrong_site_codes_are_counted_against_the_address(zone, rules, rate_clock, settings):
    settings.RATE_LIMIT_DECLARATIONS_PER_ADDRESS = 5
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    data = {"name": "李明", "id_number": valid_id_number(area="110101", seq=701), "phone": "13912345678"}
    codes = [f"guess-{n}" for n in range(5)]
    statuses = [
        guesser.post("/api/v1/declarations", {**data, "site_code": code}, content_type="application/json").status_code
        for code in codes
    ]
    assert statuses == [404] * 5
    assert declare(guesser, zone).status_code == 429


def test_a_site_code_is_limited_whatever_the_addresses(zone, rules, rate_clock, settings):
    settings.RATE_LIMIT_DECLARATIONS_PER_SITE = 20
    statuses = [declare(Client(REMOTE_ADDR=f"203.0.113.{n}"), zone).status_code for n in range(21)]
    assert statuses == [201] * 20 + [429]
    assert declare(Client(REMOTE_ADDR="198.51.100.9"), zone, site=zone.site_b).status_code == 201


def test_the_default_limits_refuse_thousands_for_one_site_code(zone, rate_clock):
    # Many addresses (a botnet), one QR poster's code: the site's limit holds.
    admitted = 0
    for n in range(4000):
        try:
            services.declaration_site_admit(site_code=zone.site_a.code, client=f"10.{n // 256 % 256}.{n % 256}.1")
        except RateLimited:
            continue
        admitted += 1
    assert admitted == 3000


def test_behind_a_trusted_proxy_each_client_is_counted_apart(zone, rules, rate_clock, settings):
    settings.RATE_LIMIT_DECLARATIONS_PER_ADDRESS = 2
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert [declare(first, zone).status_code for _ in range(3)] == [201, 201, 429]
    assert declare(second, zone).status_code == 201


def test_without_a_trusted_proxy_a_forwarded_address_does_not_escape_the_limit(zone, rules, rate_clock, settings):
    settings.RATE_LIMIT_DECLARATIONS_PER_ADDRESS = 2
    settings.TRUSTED_PROXIES = []
    statuses = [
        declare(Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), zone).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]
