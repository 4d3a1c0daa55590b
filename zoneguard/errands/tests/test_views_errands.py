"""The pages: the resident asks and confirms through their link, the volunteer takes and delivers
from "My tasks", the worker follows the list."""

from __future__ import annotations

from django.test import Client

from zoneguard.errands import services
from zoneguard.errands.models import Errand
from zoneguard.isolation.services import case_transfer, resident_token

from .conftest import receipt_photo


def _link(case):
    return f"/errands/r/{resident_token(case)}/"


def _ask_as_resident(phone, case):
    return phone.post(
        _link(case),
        {
            "item_0": "大米",
            "quantity_0": "5斤",
            "kind_0": "groceries",
            "item_1": "口罩",
            "quantity_1": "10个",
            "kind_1": "masks",
        },
    )


def test_the_resident_asks_follows_and_confirms_through_their_link(zone, errands):
    phone = Client()
    assert _ask_as_resident(phone, errands.case).status_code == 302
    errand = Errand.objects.get()
    assert errand.by_resident and [line.item for line in errand.lines.all()] == ["大米", "口罩"]
    services.errand_accept(actor=errands.first.user, errand=errand)
    services.errand_deliver(actor=errands.first.user, errand=errand, amount="38.50", receipt=receipt_photo())
    page = phone.get(_link(errands.case)).content.decode()
    assert "38.50" in page
    assert phone.get(f"{_link(errands.case)}{errand.pk}/receipt/").status_code == 200
    assert phone.post(f"{_link(errands.case)}{errand.pk}/confirm/").status_code == 302
    errand.refresh_from_db()
    assert errand.status == "received" and errand.received_by_resident


def test_a_receipt_is_shown_to_the_errand_s_volunteer_and_community_only(zone, client_for, errands, device_for):
    errand = services.errand_request(actor=None, case=errands.case, lines=[{"item": "青菜", "quantity": "2斤"}])
    services.errand_accept(actor=errands.first.user, errand=errand)
    services.errand_deliver(actor=errands.first.user, errand=errand, amount="8.00", receipt=receipt_photo())
    url = f"/errands/{errand.pk}/receipt/"
    assert client_for("volunteer").get(url).status_code == 200
    assert client_for("community_worker").get(url).status_code == 200
    for username in ("volunteer_other", "volunteer_2", "admin_a", "gate_a"):
        assert client_for(username).get(url).status_code in {403, 404}, username
    assert Client().get(url).status_code == 302
    assert device_for(zone.site_a).get(url).status_code == 302
    # Another case's link reaches no receipt of this one.
    assert Client().get(f"/errands/r/forged-token/{errand.pk}/receipt/").status_code == 404


def test_an_empty_list_is_refused_and_nothing_asked(zone, errands):
    response = Client().post(_link(errands.case), {"item_0": "", "quantity_0": ""})
    assert response.status_code == 200
    assert not Errand.objects.exists()


def test_a_quantity_without_its_item_is_refused_with_what_was_typed(zone, errands):
    response = Client().post(
        _link(errands.case), {"item_0": "大米", "quantity_0": "5斤", "item_1": "", "quantity_1": "10个"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "请写明" in page
    assert 'value="大米"' in page and 'value="10个"' in page
    assert not Errand.objects.exists()


def test_a_link_reaches_its_own_errands_only(zone, errands):
    from zoneguard.isolation import services as isolation
    from zoneguard.testing import make_person

    neighbour = isolation.case_open(
        actor=zone.community_worker,
        person=make_person(name="邻居", organisation=zone.community),
        community=zone.community,
        reason="other",
        address="祥光小区5栋102",
    )
    theirs = services.errand_request(actor=None, case=neighbour, lines=[{"item": "牛奶", "quantity": "1箱"}])
    phone = Client()
    assert "牛奶" not in phone.get(_link(errands.case)).content.decode()
    assert phone.post(f"{_link(errands.case)}{theirs.pk}/cancel/").status_code == 404
    assert Client().get("/errands/r/forged-token/").status_code == 404
    # A closed case asks for no more errands.
    case_transfer(actor=zone.community_worker, case=errands.case, note="转院")
    errands.case.refresh_from_db()
    assert _ask_as_resident(phone, errands.case).status_code == 200
    assert Errand.objects.count() == 1


def test_the_volunteer_takes_and_delivers_from_my_tasks(zone, client_for, errands):
    errand = services.errand_request(actor=None, case=errands.case, lines=[{"item": "青菜", "quantity": "2斤"}])
    volunteer = client_for("volunteer")
    page = volunteer.get("/volunteers/my/").content.decode()
    assert f'data-testid="offered-errand-{errand.pk}"' in page and "祥光小区3栋201" not in page
    assert volunteer.post(f"/errands/{errand.pk}/accept/")["Location"] == "/volunteers/my/"
    page = volunteer.get("/volunteers/my/").content.decode()
    assert f'data-testid="my-errand-{errand.pk}"' in page and "祥光小区3栋201" in page
    # Without the receipt: refused, and the amount is still there beside the receipt's error.
    page = volunteer.post(f"/errands/{errand.pk}/deliver/", {"amount": "12.30"}, follow=True).content.decode()
    assert 'value="12.30"' in page and "购物小票照片：此项为必填项。" in page
    errand.refresh_from_db()
    assert errand.status == "accepted"
    volunteer.post(f"/errands/{errand.pk}/deliver/", {"amount": "12.30", "receipt": receipt_photo()})
    errand.refresh_from_db()
    assert (errand.status, str(errand.amount)) == ("delivered", "12.30")


def test_the_worker_s_list_and_the_outsiders(zone, client_for, errands):
    errand = services.errand_request(
        actor=zone.community_worker, case=errands.case, lines=[{"item": "药", "quantity": "1"}]
    )
    worker = client_for("community_worker")
    assert "药" in worker.get("/errands/").content.decode()
    assert worker.get(f"/errands/{errand.pk}/").status_code == 200
    assert worker.get(f"/errands/new/{errands.case.pk}/").status_code == 200
    for username in ("admin_a", "gate_a", "officer_a"):
        client = client_for(username)
        assert client.get("/errands/").status_code == 403
        assert client.get(f"/errands/{errand.pk}/").status_code == 404
    assert client_for("volunteer_other").get(f"/errands/{errand.pk}/").status_code == 404


def test_when_the_isolation_ends_the_errands_nobody_took_are_no_longer_offered(zone, client_for, errands):
    waiting = services.errand_request(actor=None, case=errands.case, lines=[{"item": "青菜", "quantity": "2斤"}])
    taken = services.errand_request(actor=None, case=errands.case, lines=[{"item": "大米", "quantity": "5斤"}])
    services.errand_accept(actor=errands.first.user, errand=taken)
    case_transfer(actor=zone.community_worker, case=errands.case, note="送市中心医院")
    waiting.refresh_from_db()
    taken.refresh_from_db()
    assert (waiting.status, waiting.cancel_reason) == ("cancelled", "居家隔离已结束。")
    assert taken.status == "accepted"  # the volunteer is on it: it goes on to its delivery
    page = client_for("volunteer_2").get("/volunteers/my/").content.decode()
    assert f"offered-errand-{waiting.pk}" not in page


def test_the_tile_of_errands_not_yet_paid_back_opens_those_only(zone, errands, client_for):
    from zoneguard.errands.home import home_items

    waiting = services.errand_request(actor=None, case=errands.case, lines=[{"item": "牛奶", "quantity": "1箱"}])
    delivered = services.errand_request(actor=None, case=errands.case, lines=[{"item": "青菜", "quantity": "2斤"}])
    services.errand_accept(actor=errands.first.user, errand=delivered)
    services.errand_deliver(actor=errands.first.user, errand=delivered, amount="8.00", receipt=receipt_photo())
    tile = next(i for i in home_items(zone.community_worker) if str(i.label) == "已送达未结算的代购")
    assert tile.value == "1"
    listed = list(client_for("community_worker").get(tile.url).context["page"])
    assert listed == [delivered] and waiting not in listed


def test_a_case_number_too_long_for_the_database_filters_on_nothing(zone, client_for, errands):
    services.errand_request(actor=zone.community_worker, case=errands.case, lines=[{"item": "药", "quantity": "1"}])
    worker = client_for("community_worker")
    for case in ("99999999999999999999", "-1", "abc", ""):
        response = worker.get("/errands/", {"case": case})
        assert response.status_code == 200, case
        assert "药" in response.content.decode()


def test_the_request_form_stacks_each_item_s_fields_at_phone_width(zone, client_for, errands):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    pages = [
        client_for("community_worker").get(f"/errands/new/{errands.case.pk}/").content.decode(),
        Client().get(_link(errands.case)).content.decode(),
    ]
    for page in pages:
        assert "errands/errands.css" in page and 'class="lines-form errand-lines"' in page
        for label in ("物品", "数量", "类型"):
            assert f'data-label="{label}"' in page  # each cell names its column once the header is hidden
        assert 'aria-label="类型"' in page
    css = Path(finders.find("errands/errands.css")).read_text(encoding="utf-8")
    narrow = css.split("@media (max-width: 640px)", 1)[1]
    assert ".errand-lines td { border" in narrow and "display: block" in narrow and "attr(data-label)" in narrow
    assert "overflow-x: visible" in narrow  # no sideways scrolling inside the table
