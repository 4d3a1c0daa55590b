"""The API under /api/v1/supplies/: ledger posts (409 with what is available, idempotent
client_id), stock, requests and their transitions, and every caller outside the scope refused."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneguard.core.roles import Role
from zoneguard.supplies import stock
from zoneguard.supplies.models import Depot, LedgerEntry, SupplyRequest
from zoneguard.testing import make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/supplies"


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_receipt_then_an_issue_over_the_api(supplies, api_for):
    api = api_for("officer_a")
    depot, item = supplies.zone_depot.pk, supplies.kn95.pk
    received = post_json(
        api,
        f"{URL}/ledger",
        {
            "kind": "receipt",
            "item_id": item,
            "depot_id": depot,
            "quantity": "5000",
            "source": "donation",
            "donor": "高新投",
        },
    )
    assert received.status_code == 201, received.json()
    assert received.json()["donor"] == "高新投"
    issued = post_json(
        api,
        f"{URL}/ledger",
        {"kind": "issue", "item_id": item, "depot_id": depot, "quantity": "1000", "recipient_name": "志愿者李"},
    )
    assert issued.status_code == 201
    rows = api.get(f"{URL}/stock", {"depot_id": depot, "item_id": item}).json()
    assert [(r["depot_id"], r["item_id"], Decimal(r["quantity"])) for r in rows] == [(depot, item, Decimal(4000))]
    # 1,000 issued this week: 4,000 last 28 days.
    assert Decimal(rows[0]["days_of_cover"]) == Decimal(28)


def test_an_issue_beyond_the_stock_is_a_409_with_what_is_available_and_writes_nothing(supplies, api_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 300)
    before = LedgerEntry.objects.count()
    answer = post_json(
        api_for("officer_a"),
        f"{URL}/ledger",
        {
            "kind": "issue",
            "item_id": supplies.kn95.pk,
            "depot_id": supplies.zone_depot.pk,
            "quantity": "301",
            "recipient_name": "x",
        },
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "insufficient_stock"
    assert answer.json()["errors"]["available"] == ["300"]
    assert LedgerEntry.objects.count() == before
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == Decimal(300)


def test_the_same_client_id_twice_answers_the_same_entry(supplies, api_for):
    api = api_for("keeper")
    body = {
        "kind": "receipt",
        "item_id": supplies.alcohol.pk,
        "depot_id": supplies.zone_depot.pk,
        "quantity": "20",
        "source": "purchase",
        "client_id": str(uuid.uuid4()),
    }
    first, second = post_json(api, f"{URL}/ledger", body), post_json(api, f"{URL}/ledger", body)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert LedgerEntry.objects.count() == 1


def test_a_request_is_allocated_from_two_depots_handed_over_and_acknowledged(supplies, api_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 1500)
    supplies.receive(supplies.store_a, supplies.kn95, 1000)
    admin_b, officer = api_for("admin_b"), api_for("officer_a")
    created = post_json(
        admin_b,
        f"{URL}/requests",
        {
            "organisation_id": supplies.zone.enterprise_b.pk,
            "needed_by": str(timezone.localdate() + timedelta(days=2)),
            "reason": "复工",
            "lines": [{"item_id": supplies.kn95.pk, "quantity": "2000"}],
        },
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    allocated = post_json(
        officer,
        f"{URL}/requests/{pk}/allocate",
        {
            "allocations": [
                {"item_id": supplies.kn95.pk, "depot_id": supplies.zone_depot.pk, "quantity": "1500"},
                {"item_id": supplies.kn95.pk, "depot_id": supplies.store_a.pk, "quantity": "300"},
            ]
        },
    )
    assert allocated.status_code == 200, allocated.json()
    assert allocated.json()["status"] == "allocated" and len(allocated.json()["allocations"]) == 2
    too_much = post_json(
        officer,
        f"{URL}/requests/{pk}/allocate",
        {"allocations": [{"item_id": supplies.kn95.pk, "depot_id": supplies.zone_depot.pk, "quantity": "1"}]},
    )
    assert too_much.status_code == 409 and too_much.json()["errors"]["available"] == ["0"]
    assert post_json(admin_b, f"{URL}/requests/{pk}/acknowledge", {}).status_code == 409
    handed = post_json(officer, f"{URL}/requests/{pk}/hand-over", {})
    assert handed.status_code == 200 and handed.json()["status"] == "handed_over"
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == 0
    assert stock.on_hand(supplies.store_a.pk, supplies.kn95.pk) == Decimal(700)
    assert post_json(api_for("admin_a"), f"{URL}/requests/{pk}/acknowledge", {}).status_code == 404
    acknowledged = post_json(admin_b, f"{URL}/requests/{pk}/acknowledge", {})
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "received"


def test_the_requesting_admin_withdraws_through_the_api_and_outsiders_cannot(supplies, api_for, client):
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.enterprise_b, needed_by=timezone.localdate(), reason="复工"
    )
    url = f"{URL}/requests/{request.pk}/withdraw"
    for outsider in ("admin_a", "officer_a", "gate_a"):
        assert post_json(api_for(outsider), url, {}).status_code == 404, outsider
    assert client.post(url, {}, content_type="application/json").status_code == 401
    withdrawn = post_json(api_for("admin_b"), url, {})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert post_json(api_for("admin_b"), url, {}).status_code == 409


def test_a_refusal_needs_a_reason(supplies, api_for):
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.market, needed_by=timezone.localdate(), reason="市场消杀"
    )
    url = f"{URL}/requests/{request.pk}/refuse"
    assert post_json(api_for("officer_a"), url, {"reason": ""}).status_code == 422
    refused = post_json(api_for("officer_a"), url, {"reason": "酒精暂缺"})
    assert refused.status_code == 200 and refused.json()["refusal_reason"] == "酒精暂缺"


def test_each_caller_sees_their_own_depots_and_requests(supplies, api_for):
    z = supplies.zone
    SupplyRequest.objects.create(organisation=z.enterprise_a, needed_by=timezone.localdate(), reason="a")
    SupplyRequest.objects.create(organisation=z.enterprise_b, needed_by=timezone.localdate(), reason="b")

    def depots(user):
        return sorted(d["name"] for d in api_for(user).get(f"{URL}/depots").json()["items"])

    def requests(user):
        return sorted(r["reason"] for r in api_for(user).get(f"{URL}/requests").json()["items"])

    assert depots("officer_a") == sorted(["园区物资库", "企业甲仓库", "企业乙仓库"])
    assert depots("admin_a") == ["企业甲仓库"]
    assert depots("keeper") == ["园区物资库"]
    assert requests("officer_a") == ["a", "b"]
    assert requests("admin_b") == ["b"]
    for outsider in ("officer_b", "gate_a", "volunteer", "community_worker"):
        assert depots(outsider) == [] and requests(outsider) == []
        assert api_for(outsider).get(f"{URL}/items").json()["items"] == []


def test_outsiders_reach_nothing(supplies, api_for, client, device_for):
    z = supplies.zone
    supplies.receive(supplies.store_a, supplies.kn95, 100)
    request = SupplyRequest.objects.create(organisation=z.enterprise_a, needed_by=timezone.localdate(), reason="a")
    issue = {
        "kind": "issue",
        "item_id": supplies.kn95.pk,
        "depot_id": supplies.store_a.pk,
        "quantity": "1",
        "recipient_name": "x",
    }
    device = device_for(z.site_a)
    for api in (api_for("admin_b"), api_for("officer_b"), api_for("gate_a"), device):
        assert post_json(api, f"{URL}/ledger", issue).status_code == 404
        answer = api.get(f"{URL}/stock", {"depot_id": supplies.store_a.pk})
        assert answer.status_code == 404 if api is device else answer.json() == []
        assert api.get(f"{URL}/requests/{request.pk}").status_code == 404
        assert post_json(api, f"{URL}/requests/{request.pk}/refuse", {"reason": "x"}).status_code == 404
    assert client.get(f"{URL}/stock").status_code == 401
    assert post_json(client, f"{URL}/ledger", issue).status_code == 401
    assert stock.on_hand(supplies.store_a.pk, supplies.kn95.pk) == Decimal(100)


def test_the_lists_hold_their_query_counts(supplies, api_for, django_assert_max_num_queries):
    z = supplies.zone
    for depot in (supplies.zone_depot, supplies.store_a, supplies.store_b):
        for item in (supplies.kn95, supplies.alcohol):
            supplies.receive(depot, item, 100)
            supplies.issue(depot, item, 10)
    for _ in range(5):
        SupplyRequest.objects.create(organisation=z.enterprise_b, needed_by=timezone.localdate(), reason="b")
    api = api_for("officer_a")
    for url in (f"{URL}/stock", f"{URL}/ledger", f"{URL}/requests", f"{URL}/depots", f"{URL}/items"):
        with django_assert_max_num_queries(12):
            assert api.get(url).status_code == 200


def test_the_commander_edits_the_priority_table(supplies, api_for, zone):
    body = {
        "rank": 1,
        "label": "医疗物资生产企业",
        "organisation_kind": "enterprise",
        "sector_id": zone.sector_manufacturing.pk,
    }
    for outsider in ("officer_a", "admin_a", "officer_b"):
        assert post_json(api_for(outsider), f"{URL}/priorities", body).status_code == 404
    created = post_json(api_for("commander"), f"{URL}/priorities", body)
    assert created.status_code == 201, created.json()
    assert [r["label"] for r in api_for("officer_a").get(f"{URL}/priorities").json()] == ["医疗物资生产企业"]
    assert api_for("officer_b").get(f"{URL}/priorities").json() == []
    pk = created.json()["id"]
    assert api_for("officer_a").delete(f"{URL}/priorities/{pk}").status_code == 404
    assert api_for("commander").delete(f"{URL}/priorities/{pk}").status_code == 204


def test_an_admin_opens_their_stores_kept_by_their_own_accounts_only(supplies, api_for, client):
    z = supplies.zone
    z.users["clerk_a"] = make_user("clerk_a", Role.GATE_OFFICER, organisation=z.enterprise_a)
    z.users["clerk_project"] = make_user("clerk_project", Role.GATE_OFFICER, organisation=z.project)
    before = Depot.objects.count()
    api = api_for("admin_a")
    for outsider in (z.keeper, z.admin_b, z.officer_b, z.volunteer):  # another organisation's, or none
        answer = post_json(
            api,
            f"{URL}/depots",
            {"name": "甲二库", "kind": "enterprise", "organisation_id": z.enterprise_a.pk, "keeper_id": outsider.pk},
        )
        assert answer.status_code == 422 and list(answer.json()["errors"]) == ["keeper_id"]
    assert Depot.objects.count() == before
    # an organisation opens its own store, not a zone or community depot
    zone_kind = post_json(
        api, f"{URL}/depots", {"name": "甲区库", "kind": "zone", "organisation_id": z.enterprise_a.pk}
    )
    assert zone_kind.status_code == 422 and list(zone_kind.json()["errors"]) == ["kind"]
    assert Depot.objects.count() == before
    own = post_json(
        api,
        f"{URL}/depots",
        {"name": "甲二库", "kind": "enterprise", "organisation_id": z.enterprise_a.pk, "keeper_id": z.clerk_project.pk},
    )
    assert own.status_code == 201 and own.json()["keeper_id"] == z.clerk_project.pk
    # the subsidiary's store, as access.py says an admin runs it, kept by the parent's own clerk
    sub = post_json(
        api,
        f"{URL}/depots",
        {"name": "丙库", "kind": "enterprise", "organisation_id": z.project.pk, "keeper_id": z.clerk_a.pk},
    )
    assert sub.status_code == 201 and Depot.objects.get(name="丙库").organisation == z.project
    # another organisation's admin, and an anonymous caller, open nothing there
    other = {"name": "乙闯入库", "kind": "enterprise", "organisation_id": z.enterprise_a.pk}
    assert post_json(api_for("admin_b"), f"{URL}/depots", other).status_code == 422
    assert post_json(api_for("admin_b"), f"{URL}/depots", {**other, "organisation_id": z.project.pk}).status_code == 422
    assert post_json(client, f"{URL}/depots", other).status_code == 401
    assert not Depot.objects.filter(name="乙闯入库").exists()
    # those who run supplies keep the wider choice
    zone_wide = post_json(
        api_for("officer_a"), f"{URL}/depots", {"name": "社区站", "kind": "community", "keeper_id": z.keeper.pk}
    )
    assert zone_wide.status_code == 201


def test_opening_a_depot_says_the_same_of_an_account_elsewhere_and_of_none(supplies, api_for):
    z = supplies.zone
    admin = api_for("admin_a")
    answers = []
    for keeper_id in (z.admin_b.pk, 99999):
        answer = post_json(
            admin,
            f"{URL}/depots",
            {"name": "仓库", "kind": "enterprise", "organisation_id": z.enterprise_a.pk, "keeper_id": keeper_id},
        )
        answers.append((answer.status_code, answer.json()))
    assert answers[0] == answers[1] and answers[0][0] == 422
