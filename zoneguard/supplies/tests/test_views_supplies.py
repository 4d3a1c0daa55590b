"""The pages: stock, ledger, requests and the stock-count import (a bad row imports nothing), and
the outsiders refused."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from zoneguard.core.excel import build_workbook
from zoneguard.supplies import imports, stock
from zoneguard.supplies.models import LedgerEntry, SupplyRequest
from zoneguard.testing import response_bytes

pytestmark = pytest.mark.django_db


def xlsx(rows):
    workbook = build_workbook(title="盘点", headers=imports.headers(), rows=rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("count.xlsx", buffer.getvalue())


def test_the_stock_page_shows_each_depot_s_stock(supplies, client_for):
    supplies.receive(supplies.store_a, supplies.kn95, 1234)
    page = client_for("admin_a").get("/supplies/")
    assert page.status_code == 200
    assert "企业甲仓库" in page.content.decode() and "1234" in page.content.decode()
    assert "企业乙仓库" not in page.content.decode()


def test_the_ledger_form_records_an_issue_and_refuses_one_beyond_the_stock(supplies, client_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    client = client_for("keeper")
    form = {"kind": "issue", "item": supplies.kn95.pk, "depot": supplies.zone_depot.pk, "recipient_name": "邻居"}
    refused = client.post("/supplies/ledger/", {**form, "quantity": "101"})
    assert refused.status_code == 200
    assert "100" in str(refused.context["form"].errors["quantity"])
    assert client.post("/supplies/ledger/", {**form, "quantity": "60"}).status_code == 302
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == Decimal(40)


def test_a_count_with_a_bad_row_imports_nothing(supplies, client_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    supplies.receive(supplies.zone_depot, supplies.alcohol, 50)
    client = client_for("officer_a")
    before = LedgerEntry.objects.count()
    bad = xlsx([("园区物资库", "KN95口罩", 90), ("园区物资库", "75%酒精", "四十"), ("无此仓库", "KN95口罩", 1)])
    page = client.post("/supplies/count/", {"file": bad, "reason": "月末盘点"})
    assert page.status_code == 200
    assert [row.number for row in page.context["report"].bad_rows] == [4, 5]
    assert LedgerEntry.objects.count() == before
    good = xlsx([("园区物资库", "KN95口罩", 90), ("园区物资库", "75%酒精", 50)])
    assert client.post("/supplies/count/", {"file": good, "reason": "月末盘点"}).status_code == 302
    assert LedgerEntry.objects.filter(kind="adjustment").get().quantity == Decimal(-10)
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == Decimal(90)


def test_the_count_template_lists_the_current_stock(supplies, client_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    response = client_for("keeper").get("/supplies/count/template/")
    values = [[c.value for c in row] for row in load_workbook(io.BytesIO(response_bytes(response))).active.iter_rows()]
    assert ["园区物资库", "KN95口罩", 100] in values


def test_an_officer_allocates_and_hands_over_from_the_request_page(supplies, client_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 500)
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.enterprise_b, needed_by=timezone.localdate() + timedelta(days=1), reason="复工"
    )
    request.lines.create(item=supplies.kn95, quantity=300)
    client = client_for("officer_a")
    assert client.get(f"/supplies/requests/{request.pk}/").status_code == 200
    allocated = client.post(
        f"/supplies/requests/{request.pk}/allocate/",
        {"item_0": supplies.kn95.pk, "depot_0": supplies.zone_depot.pk, "quantity_0": "300"},
    )
    assert allocated.status_code == 302
    assert client.post(f"/supplies/requests/{request.pk}/hand-over/").status_code == 302
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == Decimal(200)
    assert client_for("admin_b").post(f"/supplies/requests/{request.pk}/acknowledge/").status_code == 302
    request.refresh_from_db()
    assert request.status == "received"


def test_an_allocation_refused_says_why_once_and_a_row_without_its_depot_is_not_dropped(supplies, client_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.enterprise_b, needed_by=timezone.localdate() + timedelta(days=1), reason="复工"
    )
    request.lines.create(item=supplies.kn95, quantity=300)
    client, url = client_for("officer_a"), f"/supplies/requests/{request.pk}/allocate/"
    too_much = client.post(url, {"item_0": supplies.kn95.pk, "depot_0": supplies.zone_depot.pk, "quantity_0": "300"})
    page = too_much.content.decode()
    assert too_much.status_code == 200 and "KN95口罩不足：可用 100" in page
    assert "<p>100</p>" not in page  # what is available is data for machines, said in the message
    no_depot = client.post(url, {"item_0": supplies.kn95.pk, "quantity_0": "50"})
    assert no_depot.status_code == 200 and "请填写这一行的物品、仓库和数量。" in no_depot.content.decode()
    assert not request.allocations.exists()


def test_a_requested_quantity_without_its_item_is_refused(supplies, client_for):
    answer = client_for("admin_b").post(
        "/supplies/requests/new/",
        {
            "organisation": supplies.zone.enterprise_b.pk,
            "needed_by": (timezone.localdate() + timedelta(days=4)).isoformat(),
            "reason": "复工",
            "quantity_0": "2000",
        },
    )
    assert answer.status_code == 200 and "请填写这一行的物品和数量。" in answer.content.decode()
    assert not SupplyRequest.objects.exists()


def test_an_admin_requests_for_their_organisation(supplies, client_for):
    client = client_for("admin_b")
    blank = client.get("/supplies/requests/new/")
    assert blank.context["form"]["organisation"].value() == supplies.zone.enterprise_b.pk  # nothing to pick
    assert "---------" not in blank.content.decode().split('name="organisation"')[1].split("</select>")[0]
    answer = client.post(
        "/supplies/requests/new/",
        {
            "organisation": supplies.zone.enterprise_b.pk,
            "needed_by": (timezone.localdate() + timedelta(days=4)).isoformat(),
            "reason": "2000只KN95，周五前",
            "item_0": supplies.kn95.pk,
            "quantity_0": "2000",
        },
    )
    assert answer.status_code == 302
    assert SupplyRequest.objects.get().organisation == supplies.zone.enterprise_b


def test_an_admin_withdraws_a_pending_request_from_its_page(supplies, client_for):
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.enterprise_b, needed_by=timezone.localdate() + timedelta(days=1), reason="复工"
    )
    request.lines.create(item=supplies.kn95, quantity=300)
    client = client_for("admin_b")
    assert 'id="withdraw"' in client.get(f"/supplies/requests/{request.pk}/").content.decode()
    assert 'id="withdraw"' not in client_for("officer_a").get(f"/supplies/requests/{request.pk}/").content.decode()
    assert client.post(f"/supplies/requests/{request.pk}/withdraw/").status_code == 302
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert 'id="withdraw"' not in client.get(f"/supplies/requests/{request.pk}/").content.decode()


def test_outsiders_get_nothing(supplies, client_for, client):
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.enterprise_a, needed_by=timezone.localdate(), reason="x"
    )
    for user in ("officer_b", "gate_a", "volunteer"):
        c = client_for(user)
        for url in ("/supplies/", "/supplies/ledger/", "/supplies/requests/", "/supplies/count/"):
            assert c.get(url).status_code == 403, (user, url)
    for user in ("officer_b", "admin_b", "gate_a"):
        assert client_for(user).get(f"/supplies/requests/{request.pk}/").status_code == 404
        assert client_for(user).post(f"/supplies/requests/{request.pk}/refuse/", {"reason": "x"}).status_code == 404
        assert client_for(user).post(f"/supplies/requests/{request.pk}/withdraw/").status_code == 404
    assert client.post(f"/supplies/requests/{request.pk}/withdraw/").status_code == 302  # to sign in
    assert client.get("/supplies/").status_code == 302  # to sign in
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_count_is_read_by_its_headers_in_either_language_and_a_missing_column_is_named(supplies, client_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    client = client_for("officer_a")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Item", "Depot", "Counted quantity"])  # a bare header row, columns in another order
    sheet.append(["KN95口罩", "园区物资库", 95])
    buffer = io.BytesIO()
    workbook.save(buffer)
    english = SimpleUploadedFile("count.xlsx", buffer.getvalue())
    assert client.post("/supplies/count/", {"file": english, "reason": "抽查"}).status_code == 302
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == Decimal(95)
    workbook = Workbook()
    workbook.active.append(["仓库", "物品"])
    workbook.active.append(["园区物资库", "KN95口罩"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.post("/supplies/count/", {"file": SimpleUploadedFile("c.xlsx", buffer.getvalue()), "reason": "x"})
    assert "实盘数量" in " ".join(page.context["report"].header_errors)
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == Decimal(95)


def test_the_hand_over_button_is_offered_only_to_those_who_may_hand_over(supplies, client_for):
    supplies.receive(supplies.zone_depot, supplies.kn95, 500)
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.enterprise_b, needed_by=timezone.localdate() + timedelta(days=1), reason="复工"
    )
    request.lines.create(item=supplies.kn95, quantity=300)
    client_for("officer_a").post(
        f"/supplies/requests/{request.pk}/allocate/",
        {"item_0": supplies.kn95.pk, "depot_0": supplies.zone_depot.pk, "quantity_0": "300"},
    )
    for user in ("officer_a", "keeper"):  # who runs supplies, the keeper of the depot it leaves
        assert 'id="hand-over"' in client_for(user).get(f"/supplies/requests/{request.pk}/").content.decode(), user
    # The organisation that asked acknowledges the receipt: a button it cannot use is not offered.
    asker = client_for("admin_b")
    assert 'id="hand-over"' not in asker.get(f"/supplies/requests/{request.pk}/").content.decode()
    asker.post(f"/supplies/requests/{request.pk}/hand-over/")
    request.refresh_from_db()
    assert request.status == "allocated"


def test_a_refusal_without_a_reason_comes_back_with_the_error_beside_the_reason(supplies, client_for):
    request = SupplyRequest.objects.create(
        organisation=supplies.zone.enterprise_a, needed_by=timezone.localdate(), reason="x"
    )
    client = client_for("officer_a")
    url = f"/supplies/requests/{request.pk}/"
    assert client.post(f"{url}refuse/", {"reason": "   "}).status_code == 302
    page = client.get(url)
    form = page.context["refuse_form"]
    assert form.is_bound and form.data["reason"] == "   "
    assert list(form.errors) == ["reason"]
    html = page.content.decode()
    beside = html.split('id="refuse-reason"', 1)[1].split("</form>", 1)[0]
    assert 'class="error" role="alert">请说明不予调配的理由。' in beside
    request.refresh_from_db()
    assert request.status == "pending"
    assert not client.get(url).context["refuse_form"].is_bound  # said once


def test_an_admin_without_a_depot_is_told_why_the_ledger_has_no_form(supplies, client_for):
    from zoneguard.core.roles import Role
    from zoneguard.testing import make_user

    supplies.zone.users["admin_market"] = make_user(
        "admin_market", Role.ORGANISATION_ADMIN, organisation=supplies.zone.market
    )
    client = client_for("admin_market")
    page = client.get("/supplies/ledger/").content.decode()
    assert 'id="no-depot"' in page and 'data-testid="open-depot"' in page
    assert 'name="depot"' not in page and 'name="quantity"' not in page
    with_depot = client_for("admin_a").get("/supplies/ledger/").content.decode()
    assert 'id="no-depot"' not in with_depot and 'name="depot"' in with_depot

    # The admin opens their market's store there, kept by themself, and records into it.
    from zoneguard.supplies.models import Depot

    keeper = supplies.zone.users["admin_market"]
    opened = client.post(
        "/supplies/ledger/depots/new/",
        {"name": "市场防疫物资柜", "kind": "enterprise", "organisation": supplies.zone.market.pk, "keeper": keeper.pk},
    )
    assert opened.status_code == 302
    depot = Depot.objects.get(name="市场防疫物资柜")
    assert (depot.organisation, depot.keeper) == (supplies.zone.market, keeper)
    assert 'name="depot"' in client.get("/supplies/ledger/").content.decode()


def test_an_admin_opens_no_store_for_another_organisation_from_the_ledger(supplies, client_for):
    from zoneguard.supplies.models import Depot

    before = Depot.objects.count()
    data = {"name": "别人的仓库", "kind": "enterprise", "organisation": supplies.zone.enterprise_b.pk}
    client = client_for("admin_a")
    client.post("/supplies/ledger/depots/new/", data)
    page = client.get("/supplies/ledger/")
    assert "organisation" in page.context["own_depot_form"].errors
    assert client_for("officer_b").post("/supplies/ledger/depots/new/", data).status_code == 404
    from django.test import Client

    assert Client().post("/supplies/ledger/depots/new/", data).status_code == 302  # sign in first
    assert Depot.objects.count() == before
