"""The API's pages (core.api.Paging): `count` is the full count of what the filters select, up to
settings.API_EXACT_COUNT_LIMIT, where counting stops and `count_exact` says so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zoneguard.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_count_is_the_full_count_whichever_page_is_asked(zone, api_for):
    client = api_for("commander")
    total = Organisation.objects.count()
    assert total > 3
    for query in ({}, {"limit": 1}, {"limit": 2, "offset": total - 1}, {"offset": total + 5}):
        body = client.get("/api/v1/organisations", query).json()
        assert (body["count"], body["count_exact"]) == (total, True), query
    last = client.get("/api/v1/organisations", {"limit": 2, "offset": total - 1}).json()
    assert len(last["items"]) == 1


def test_a_last_page_is_counted_from_its_items_without_a_count_query(zone, api_for):
    client = api_for("commander")
    full = client.get("/api/v1/organisations", {"limit": 1})
    partial = client.get("/api/v1/organisations")
    assert full.json()["count"] == partial.json()["count"]
    # Same answer, one statement fewer: the page that holds the end of the list needs no COUNT.
    with CaptureQueriesContext(connection) as one_item:
        client.get("/api/v1/organisations", {"limit": 1})
    with CaptureQueriesContext(connection) as all_items:
        client.get("/api/v1/organisations")
    assert any("COUNT(" in q["sql"] for q in one_item.captured_queries)
    assert not any("COUNT(" in q["sql"] for q in all_items.captured_queries)


def test_counting_stops_at_the_limit_and_says_the_count_is_not_exact(zone, api_for, settings):
    settings.API_EXACT_COUNT_LIMIT = 2
    client = api_for("commander")
    body = client.get("/api/v1/organisations", {"limit": 1}).json()
    assert (body["count"], body["count_exact"]) == (2, False)
    assert len(body["items"]) == 1
    settings.API_EXACT_COUNT_LIMIT = Organisation.objects.count()
    body = client.get("/api/v1/organisations", {"limit": 1}).json()
    assert (body["count"], body["count_exact"]) == (Organisation.objects.count(), True)


def test_an_outsider_counts_only_what_they_may_see(zone, api_for):
    body = api_for("admin_b").get("/api/v1/organisations", {"limit": 1}).json()
    assert body["count_exact"] and body["count"] < Organisation.objects.count()
    assert api_for("admin_b").get("/api/v1/organisations").json()["count"] == body["count"]
    anonymous = api_for("admin_b")
    anonymous.defaults.pop("HTTP_AUTHORIZATION")
    assert anonymous.get("/api/v1/organisations").status_code == 401
