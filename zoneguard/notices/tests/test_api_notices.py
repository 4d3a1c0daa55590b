"""The notices API: draft, publish, read receipts; outsiders are refused."""

from django.test import Client

from zoneguard.notices import services


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_it_drafts_publishes_and_shows_the_receipts(zone, api_for):
    officer = api_for("officer_a")
    response = post(officer, "/api/v1/notices", {"title": "通知", "body": "<p>请填报</p>", "kinds": ["enterprise"]})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert api_for("admin_a").get(f"/api/v1/notices/{pk}").status_code == 404  # not sent yet
    rewritten = officer.put(
        f"/api/v1/notices/{pk}",
        {"title": "填报通知", "body": "<p>请填报</p>", "kinds": ["enterprise"]},
        content_type="application/json",
    )
    assert rewritten.status_code == 200 and rewritten.json()["title"] == "填报通知"
    assert post(officer, f"/api/v1/notices/{pk}/publish").json() == {"recipients": 2}
    again = officer.put(
        f"/api/v1/notices/{pk}",
        {"title": "x", "body": "<p>x</p>", "kinds": ["enterprise"]},
        content_type="application/json",
    )
    assert again.status_code == 409
    reader = api_for("admin_a")
    body = reader.get(f"/api/v1/notices/{pk}").json()
    assert (body["body"], body["recipient_count"]) == ("<p>请填报</p>", None)
    assert post(reader, f"/api/v1/notices/{pk}/read").json() == {"marked": 1}
    receipts = {r["organisation_name"]: r["read_by"] for r in officer.get(f"/api/v1/notices/{pk}/receipts").json()}
    assert receipts == {"企业甲": "admin_a", "企业乙": None}
    listed = officer.get("/api/v1/notices").json()["items"][0]
    assert (listed["recipient_count"], listed["read_count"]) == (2, 1)


def test_outsiders_are_refused(zone, api_for):
    notice = services.notice_create(actor=zone.officer_a, title="t", body="<p>b</p>", kinds=["enterprise"])
    services.notice_publish(actor=zone.officer_a, notice=notice)
    outsider = api_for("volunteer")
    assert outsider.get(f"/api/v1/notices/{notice.pk}").status_code == 404
    assert post(outsider, f"/api/v1/notices/{notice.pk}/read").status_code == 404
    assert post(outsider, f"/api/v1/notices/{notice.pk}/publish").status_code == 404
    assert outsider.get(f"/api/v1/notices/{notice.pk}/receipts").status_code == 404
    draft = services.notice_create(actor=zone.officer_a, title="t", body="<p>b</p>", kinds=["enterprise"])
    body = {"title": "x", "body": "<p>x</p>", "kinds": ["market"]}
    for caller, status in ((outsider, 404), (api_for("admin_a"), 404), (api_for("officer_b"), 404), (Client(), 401)):
        assert caller.put(f"/api/v1/notices/{draft.pk}", body, content_type="application/json").status_code == status
    draft.refresh_from_db()
    assert draft.title == "t"
    assert api_for("admin_a").get(f"/api/v1/notices/{notice.pk}/receipts").status_code == 403
    assert post(outsider, "/api/v1/notices", {"title": "t", "body": "b", "kinds": ["enterprise"]}).status_code == 403
    assert outsider.get("/api/v1/notices").json()["count"] == 0
    assert Client().get("/api/v1/notices").status_code == 401


def test_the_list_costs_the_same_queries_for_more_notices(zone, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for("admin_a")
    client.get("/api/v1/notices")  # the token's first use is recorded once
    for i in range(3):
        notice = services.notice_create(actor=zone.officer_a, title=f"t{i}", body="<p>b</p>", kinds=["enterprise"])
        services.notice_publish(actor=zone.officer_a, notice=notice)
        if i == 0:
            with CaptureQueriesContext(connection) as one:
                assert client.get("/api/v1/notices").json()["count"] == 1
    with CaptureQueriesContext(connection) as three:
        assert client.get("/api/v1/notices").json()["count"] == 3
    assert len(three) == len(one)
