"""The pages: my items with one report form each, tasks, ranking and calculation, scheme, meetings."""

from datetime import date
from unittest import mock

import pytest
from django.test import Client

from zoneguard.audit.models import AuditEvent
from zoneguard.supervision import services
from zoneguard.supervision.models import AssessmentScheme, ClosedMonth, Decision, ItemStatus, Meeting, TaskItem

from .conftest import evidence, local

FEB_20 = local(2020, 2, 20, 10, 0)
MARCH_5 = local(2020, 3, 5, 9, 0)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_an_officer_reports_todays_items_one_form_each(zone, plan, client_for):
    client = client_for("officer_a")
    with at(FEB_20):
        page = client.get("/supervision/")
        assert page.status_code == 200
        assert [row["item"] for row in page.context["rows"]] == [plan.item]  # officer_a2's is not theirs
        prefix = f"item-{plan.item.pk}"
        response = client.post(
            f"/supervision/items/{plan.item.pk}/report/",
            {f"{prefix}-status": "partly", f"{prefix}-percent": "50", f"{prefix}-evidence": evidence()},
        )
    assert response.status_code == 302
    item = TaskItem.objects.get(pk=plan.item.pk)
    assert (item.status, item.percent) == (ItemStatus.PARTLY, 50)
    assert item.reports.get().evidence.count() == 1


def test_a_refused_report_says_why_and_changes_nothing(zone, plan, client_for):
    prefix = f"item-{plan.item.pk}"
    response = client_for("officer_a").post(
        f"/supervision/items/{plan.item.pk}/report/", {f"{prefix}-status": "blocked"}, follow=True
    )
    assert response.status_code == 200
    assert TaskItem.objects.get(pk=plan.item.pk).status == ItemStatus.OPEN
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_another_department_reaches_no_item(zone, plan, client_for):
    client = client_for("officer_b")
    assert client.get(f"/supervision/items/{plan.item.pk}/").status_code == 404
    prefix = f"item-{plan.item.pk}"
    assert client.post(f"/supervision/items/{plan.item.pk}/report/", {f"{prefix}-status": "done"}).status_code == 404
    assert client.get(f"/supervision/tasks/{plan.task.pk}/").status_code == 404
    assert TaskItem.objects.get(pk=plan.item.pk).status == ItemStatus.OPEN


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "community_worker", "volunteer", "gate_a"])
def test_outsiders_reach_no_page(zone, plan, client_for, who):
    client = client_for(who)
    for url in [
        "/supervision/",
        "/supervision/tasks/",
        f"/supervision/tasks/{plan.task.pk}/",
        f"/supervision/items/{plan.item.pk}/",
        "/supervision/scores/",
        "/supervision/scores/?month=2020-02&export=xlsx",
        f"/supervision/scores/{zone.department_a.pk}/2020-02/",
        "/supervision/scheme/",
        "/supervision/meetings/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post("/supervision/months/2020-02/close/").status_code == 404


def test_anonymous_is_sent_to_sign_in(zone, plan):
    assert Client().get("/supervision/").status_code == 302
    assert Client().get("/supervision/scores/").status_code == 302
    assert Client().get("/supervision/scores/?export=xlsx").status_code == 302


def test_an_officer_plans_a_task_and_its_items(zone, plan, client_for):
    client = client_for("officer_a")
    response = client.post(
        "/supervision/tasks/",
        {
            "department": zone.department_a.pk,
            "year": "2020",
            "quarter": "1",
            "kind": "investment",
            "title": "5G 产业招商",
            "target": "签约 2 家",
        },
    )
    assert response.status_code == 302
    task_url = response["Location"]
    added = client.post(
        task_url,
        {
            "due_on": "2020-03-10",
            "cadence": "weekly",
            "title": "拜访 5G 企业",
            "expected_result": "拜访纪要",
            "responsible": zone.officer_a.pk,
        },
    )
    assert added.status_code == 302
    assert TaskItem.objects.filter(title="拜访 5G 企业", cadence="weekly").exists()
    other = client.post(
        "/supervision/tasks/",
        {
            "department": zone.department_b.pk,
            "year": "2020",
            "quarter": "1",
            "kind": "other",
            "title": "x",
            "target": "y",
        },
    )
    assert other.status_code == 200 and other.context["form"].errors


def test_the_commander_reads_the_ranking_and_a_calculation(zone, plan, client_for):
    client = client_for("commander")
    with at(MARCH_5):
        page = client.get("/supervision/scores/", {"month": "2020-02"})
        detail = client.get(f"/supervision/scores/{zone.department_a.pk}/2020-02/")
    assert [row.department for row in page.context["result"].rows] == [zone.department_b, zone.department_a]
    assert page.context["may_close"] is True
    assert detail.status_code == 200
    assert [line["points"] for line in detail.context["lines"]] == ["100.00", "-5.00", "-5.00"]
    assert "90.00" in detail.content.decode()
    assert client.get(f"/supervision/scores/{zone.department_a.pk}/2020-13/").status_code == 404


def _export_rows(response):
    import io

    from openpyxl import load_workbook

    from zoneguard.testing import response_bytes

    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_ranking_exports_as_the_page_shows_it(zone, plan, client_for):
    with at(MARCH_5):
        page = client_for("commander").get("/supervision/scores/", {"month": "2020-02"})
        export = client_for("commander").get("/supervision/scores/", {"month": "2020-02", "export": "xlsx"})
        own = client_for("officer_a").get("/supervision/scores/", {"month": "2020-02", "export": "xlsx"})
    assert "export=xlsx" in page.content.decode()
    expected = [
        [row.rank, row.department.name, float(row.total), None if row.change is None else float(row.change)]
        for row in page.context["result"].rows
    ]
    assert [row[:4] for row in _export_rows(export)] == expected
    assert [row[1] for row in _export_rows(own)] == [zone.department_a.name]  # their own department's row only
    exported = AuditEvent.objects.filter(action="export", object_type="supervision.score")
    assert [event.detail for event in exported.order_by("pk")] == [
        {"month": "2020-02", "rows": 2},
        {"month": "2020-02", "rows": 1},
    ]


def test_a_bad_month_is_a_form_error(zone, plan, client_for):
    page = client_for("commander").get("/supervision/scores/", {"month": "1999-01"})
    assert page.status_code == 200 and page.context["form"].errors


def test_the_commander_closes_a_month(zone, plan, client_for):
    with at(MARCH_5):
        response = client_for("commander").post("/supervision/months/2020-02/close/")
    assert response.status_code == 302
    assert ClosedMonth.objects.filter(month=date(2020, 2, 1)).exists()
    assert client_for("officer_a").post("/supervision/months/2020-01/close/").status_code == 404


def test_the_commander_edits_the_scheme_and_names_heads(zone, plan, client_for):
    client = client_for("commander")
    assert client.get("/supervision/scheme/").status_code == 200
    data = {
        "name": "考核办法",
        "base": "100",
        "per_overdue_day": "2",
        "item_cap": "6",
        "early_bonus": "1",
        "monthly_bonus_cap": "3",
        "floor": "80",
        **{f"weight_{k}": "1" for k in ["project", "investment", "service", "funds", "land", "meeting", "other"]},
        "weight_project": "1.5",
    }
    assert client.post("/supervision/scheme/", data).status_code == 302
    scheme = AssessmentScheme.objects.get(is_active=True)
    assert scheme.per_overdue_day == 2 and scheme.weights["project"] == "1.50"
    head = client.post("/supervision/scheme/heads/", {"department": zone.department_a.pk, "user": zone.officer_a2.pk})
    assert head.status_code == 302
    assert client_for("officer_a").get("/supervision/scheme/").status_code == 404


def test_a_meeting_on_its_pages(zone, plan, client_for):
    client = client_for("commander")
    created = client.post(
        "/supervision/meetings/",
        {
            "title": "经济运行调度会",
            "held_at": "2020-02-21T09:00",
            "place": "管委会三楼会议室",
            "departments": [zone.department_a.pk],
            "people": [zone.officer_b.pk],
        },
    )
    assert created.status_code == 302, created.context["form"].errors if created.context else ""
    meeting = Meeting.objects.get()
    url = f"/supervision/meetings/{meeting.pk}/"
    assert client.post(f"{url}agenda/", {"title": "重点项目", "task": plan.task.pk}).status_code == 302
    assert client.get(f"{url}edit/").context["form"]["title"].value() == "经济运行调度会"
    moved = client.post(
        f"{url}edit/",
        {
            "title": "经济运行调度会",
            "held_at": "2020-02-21T15:00",
            "video_link": "https://meeting.example.cn/9",
            "departments": [zone.department_a.pk],
            "people": [zone.officer_b.pk],
        },
    )
    assert moved.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.video_link) == ("", "https://meeting.example.cn/9")
    assert client_for("officer_b").get(f"{url}edit/").status_code == 404
    assert client_for("admin_a").get(f"{url}edit/").status_code == 404
    assert client.post(f"{url}minutes/", {"minutes": "要求细化落实到每一天。"}).status_code == 302
    decided = client.post(
        f"{url}decisions/",
        {"text": "二期开工", "department": zone.department_a.pk, "owner": zone.officer_a.pk, "due_on": "2020-02-28"},
    )
    assert decided.status_code == 302
    decision = Decision.objects.get()
    assert client.post(f"{url}decisions/{decision.pk}/item/").status_code == 302
    assert client.post(f"{url}decisions/{decision.pk}/item/").status_code == 302  # refused, said on the page
    assert TaskItem.objects.filter(title="二期开工").count() == 1
    # Officers and tasks are offered with their department: namesakes are told apart.
    assert f"{zone.officer_a.display_name}（经发局）" in client.get(url).content.decode()
    assert client.post(f"{url}minutes/send/").status_code == 302
    assert client.get(f"{url}edit/").status_code == 404  # the minutes are sent: the meeting stands
    page = client.get(url)
    assert len(page.context["receipts"]) == 3
    # An attendee reads the meeting, without its forms; an outsider does not reach it.
    assert client_for("officer_b").get(url).context["manages"] is False
    assert client_for("officer_b").post(f"{url}minutes/send/").status_code == 404
    assert client_for("admin_a").get(url).status_code == 404


def test_the_meeting_page_takes_no_decision_once_the_minutes_are_sent(zone, plan, client_for):
    meeting = services.meeting_create(
        actor=zone.commander,
        title="调度会",
        held_at=local(2020, 2, 21, 9, 0),
        place="管委会",
        departments=[zone.department_a],
    )
    url = f"/supervision/meetings/{meeting.pk}/"
    client = client_for("commander")
    assert f'action="{url}decisions/"' in client.get(url).content.decode()
    services.meeting_minutes_save(actor=zone.commander, meeting=meeting, minutes="纪要")
    services.minutes_send(actor=zone.commander, meeting=meeting)
    assert f'action="{url}decisions/"' not in client.get(url).content.decode()
    # A page opened before the minutes went out still posts: refused, and said as a message.
    decision = {
        "text": "会后补充",
        "department": zone.department_a.pk,
        "owner": zone.officer_a.pk,
        "due_on": "2020-02-28",
    }
    refused = client.post(f"{url}decisions/", decision, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "no decision can be added" in refused.content.decode()
    assert not Decision.objects.exists()
    assert client_for("admin_a").post(f"{url}decisions/", decision).status_code == 404


def test_the_home_page_offers_todays_items(zone, plan, client_for):
    from zoneguard.supervision.home import home_items

    with at(local(2020, 2, 21, 9, 0)):
        items = home_items(zone.officer_a)
        commander = home_items(zone.commander)
    assert items and items[0].value == "1" and commander[0].value == "3"
    assert commander[0].url == "/supervision/"  # every department's items due, the overdue marked
    assert home_items(zone.admin_a) == []


def test_services_stay_the_only_writers(zone, plan):
    services.item_report(actor=zone.officer_a, item=plan.item, status="done")
    assert TaskItem.objects.get(pk=plan.item.pk).status == ItemStatus.DONE


def _forms_by_item(page):
    return {row["item"].pk: row["form"] for row in page.context["rows"]}


def test_a_percent_out_of_range_comes_back_beside_the_field_of_its_item_with_what_was_typed(zone, plan, client_for):
    # Two items of officer_a on the page: the error must land on the one reported.
    second = services.item_create(
        actor=zone.officer_a,
        task=plan.task,
        due_on=date(2020, 2, 20),
        title="落实施工许可",
        expected_result="许可证",
        responsible=zone.officer_a,
    )
    client = client_for("officer_a")
    prefix = f"item-{second.pk}"
    with at(FEB_20):
        response = client.post(
            f"/supervision/items/{second.pk}/report/",
            {f"{prefix}-status": "partly", f"{prefix}-percent": "150", f"{prefix}-note": "已完成大半"},
        )
        assert response.status_code == 302
        page = client.get(response.url)
    forms = _forms_by_item(page)
    refused = forms[second.pk]
    assert refused.is_bound and list(refused.errors) == ["percent"]
    assert refused["note"].value() == "已完成大半" and refused["percent"].value() == "150"
    assert refused["status"].value() == "partly"
    assert not forms[plan.item.pk].is_bound
    html = page.content.decode()
    assert "已完成大半" in html and html.index("已完成大半") > html.index(f'data-testid="report-{second.pk}"')
    assert TaskItem.objects.get(pk=second.pk).status == ItemStatus.OPEN
    # Shown once: the page seen again offers a blank form.
    with at(FEB_20):
        assert not _forms_by_item(client.get("/supervision/"))[second.pk].is_bound


def test_blocked_without_a_reason_comes_back_with_the_reason_asked_for(zone, plan, client_for):
    client = client_for("officer_a")
    prefix = f"item-{plan.item.pk}"
    with at(FEB_20):
        response = client.post(
            f"/supervision/items/{plan.item.pk}/report/",
            {f"{prefix}-status": "blocked", f"{prefix}-percent": "30", f"{prefix}-note": "等待批复"},
        )
        page = client.get(response.url)
    form = _forms_by_item(page)[plan.item.pk]
    assert form.errors["reason"] == ["请说明受阻原因。"]
    assert (form["status"].value(), form["percent"].value(), form["note"].value()) == ("blocked", "30", "等待批复")
    assert not plan.item.reports.exists()


def test_a_refused_report_on_the_item_page_comes_back_there(zone, plan, client_for):
    client = client_for("officer_a")
    prefix = f"item-{plan.item.pk}"
    with at(FEB_20):
        response = client.post(
            f"/supervision/items/{plan.item.pk}/report/",
            {"next": "item", f"{prefix}-status": "partly", f"{prefix}-percent": "101"},
        )
        assert response.url == f"/supervision/items/{plan.item.pk}/"
        page = client.get(response.url)
    assert page.context["form"].is_bound and "percent" in page.context["form"].errors
