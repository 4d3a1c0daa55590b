"""The corps' pages: a volunteer's "My tasks" (sign up, check in and out, cancel), the application,
the community worker's office (volunteers and approval, shifts, tasks and the shop checklist,
results, to-dos, hours, the certificate), the home items, the hook other apps add sections with;
and who is refused (another community's worker 404, a volunteer 403 on the office, anonymous to
the sign-in page)."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from zoneguard.audit.models import AuditEvent
from zoneguard.core.roles import Role
from zoneguard.dashboard.home import home_items
from zoneguard.testing import make_user, valid_id_number
from zoneguard.volunteers import my_tasks, services
from zoneguard.volunteers.models import Shift, ShopVisit, SignUp, Task, Todo, Volunteer

from .conftest import local


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_volunteer_signs_up_checks_in_and_out_on_my_tasks(corps, client_for):
    client = client_for("volunteer")
    running = corps.shift(timezone.now() - timedelta(minutes=20), hours=3)
    later = corps.shift(local(2, 7))
    page = html(client.get("/volunteers/my/"))
    assert "我的任务" in page and 'data-testid="section-today"' in page
    assert f'data-testid="open-{running.pk}"' in page and f'data-testid="open-{later.pk}"' in page
    assert client.post(f"/volunteers/shifts/{running.pk}/signup/").status_code == 302
    signup = SignUp.objects.get(shift=running)
    page = html(client.get("/volunteers/my/"))
    assert f'data-testid="today-{signup.pk}"' in page and f"/volunteers/signups/{signup.pk}/check-in/" in page
    assert f'data-testid="open-{running.pk}"' not in page
    client.post(f"/volunteers/signups/{signup.pk}/check-in/")
    page = html(client.get("/volunteers/my/"))
    assert f"/volunteers/signups/{signup.pk}/check-out/" in page and "签到" in page
    client.post(f"/volunteers/signups/{signup.pk}/check-out/")
    signup.refresh_from_db()
    assert signup.checked_in_at and signup.checked_out_at
    # A later shift: signed up, shown among the coming ones, given back.
    client.post(f"/volunteers/shifts/{later.pk}/signup/")
    coming = SignUp.objects.get(shift=later)
    assert f'data-testid="coming-{coming.pk}"' in html(client.get("/volunteers/my/"))
    client.post(f"/volunteers/signups/{coming.pk}/cancel/")
    coming.refresh_from_db()
    assert coming.status == "cancelled"


def test_a_refused_sign_up_is_a_message_and_changes_nothing(corps, client_for):
    client = client_for("volunteer")
    full = corps.shift(local(1, 7), needed=1)
    corps.signup(full, corps.second)
    response = client.post(f"/volunteers/shifts/{full.pk}/signup/", follow=True)
    assert "已满" in response.content.decode()
    assert not SignUp.objects.filter(shift=full, volunteer=corps.first).exists()


def test_other_apps_add_sections_to_my_tasks(corps, client_for, monkeypatch):
    errands = SimpleNamespace(
        sections=lambda volunteer: [
            my_tasks.TaskSection("代购", "volunteers/_my_coming.html", {"signups": []}, order=15, key="errands")
        ]
    )
    original = my_tasks._providers
    monkeypatch.setattr(my_tasks, "_providers", lambda: [*original(), errands.sections])
    page = html(client_for("volunteer").get("/volunteers/my/"))
    assert 'data-testid="section-errands"' in page
    assert page.index("section-today") < page.index("section-errands") < page.index("section-open-shifts")


def test_a_volunteer_role_user_applies_from_my_tasks(corps, client_for):
    corps.zone.users["newcomer"] = make_user("newcomer", Role.VOLUNTEER)
    client = client_for("newcomer")
    assert "/volunteers/apply/" in html(client.get("/volunteers/my/"))
    form = html(client.get("/volunteers/apply/"))
    assert "祥光社区" in form and "青峰社区" in form
    response = client.post(
        "/volunteers/apply/",
        {
            "community": corps.zone.community.pk,
            "name": "陈艳",
            "id_number": valid_id_number(seq=701),
            "phone": "13912345679",
            "skills": ["language"],
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user=corps.zone.users["newcomer"])
    assert volunteer.status == "pending"
    assert "待审核" in html(client.get("/volunteers/my/"))
    bad = client_for("volunteer_b").post("/volunteers/apply/", {"community": corps.zone.community.pk})
    assert bad.status_code == 302  # has a record already: back to My tasks
    assert client_for("community_worker").get("/volunteers/apply/").status_code == 403


def test_the_worker_approves_and_reads_a_volunteer_in_full(corps, client_for):
    zone = corps.zone
    pending = Volunteer.objects.create(
        person=zone.staff_a[0], community=zone.community, name="陈艳", phone="13700000001", status="pending"
    )
    client = client_for("community_worker")
    listing = html(client.get("/volunteers/", {"status": "pending"}))
    assert "陈艳" in listing and "137****0001" in listing and "张青葵" not in listing
    client.post(f"/volunteers/{pending.pk}/approve/", {"next": "/volunteers/?status=pending"})
    pending.refresh_from_db()
    assert pending.status == "approved"
    detail = html(client.get(f"/volunteers/{pending.pk}/"))
    assert "13700000001" in detail and zone.staff_a[0].id_number in detail
    assert AuditEvent.objects.filter(action="read_personal", object_id=str(pending.pk)).exists()
    created = client.post(
        "/volunteers/new/",
        {
            "community": zone.community.pk,
            "name": "刘红梅",
            "id_number": valid_id_number(seq=702),
            "skills": ["driving"],
        },
    )
    assert created.status_code == 302
    assert Volunteer.objects.get(name="刘红梅").status == "approved"
    invalid = client.post("/volunteers/new/", {"community": zone.community.pk, "name": "某人", "id_number": "12345"})
    assert invalid.status_code == 200 and "has-error" in invalid.content.decode()


def test_the_worker_plans_a_shift_and_puts_a_volunteer_on_it(corps, client_for):
    zone = corps.zone
    client = client_for("community_worker")
    form = html(client.get("/volunteers/shifts/new/"))
    assert "市场丁 · 入口" in form and "君昇市场" not in form
    start = timezone.localtime() + timedelta(days=1)
    response = client.post(
        "/volunteers/shifts/new/",
        {
            "site": zone.market_site.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
            "needed": 2,
            "note": "测温",
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    client.post(
        f"/volunteers/shifts/{shift.pk}/signup/",
        {"volunteer": corps.second.pk, "next": f"/volunteers/shifts/{shift.pk}/"},
    )
    detail = html(client.get(f"/volunteers/shifts/{shift.pk}/"))
    assert "胡柏林" in detail and "1 / 2" in detail
    listing = html(client.get("/volunteers/shifts/"))
    assert "胡柏林" in listing
    backwards = client.post(
        "/volunteers/shifts/new/",
        {"site": zone.market_site.pk, "starts_at": "2020-02-21T11:00", "ends_at": "2020-02-21T07:00", "needed": 2},
    )
    assert backwards.status_code == 200 and Shift.objects.count() == 1


def test_a_canvassing_round_on_the_pages(corps, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    zone = corps.zone
    worker, volunteer = client_for("community_worker"), client_for("volunteer")
    response = worker.post(
        "/volunteers/tasks/new/",
        {
            "community": zone.community.pk,
            "kind": "canvassing",
            "title": "长湖街门店摸排",
            "volunteers": [corps.first.pk],
            "shops": [corps.shop.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get()
    assert f'data-testid="task-{task.pk}"' in html(volunteer.get("/volunteers/my/"))
    assert "长湖街大药房" in html(volunteer.get(f"/volunteers/tasks/{task.pk}/"))
    form = html(volunteer.get(f"/volunteers/tasks/{task.pk}/shops/{corps.shop.pk}/"))
    assert 'name="staff_registered"' in form and 'enctype="multipart/form-data"' in form
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="JPEG")
    recorded = volunteer.post(
        f"/volunteers/tasks/{task.pk}/shops/{corps.shop.pk}/",
        {
            "is_open": "True",
            "staff_count": "2",
            "masks_worn": "True",
            "staff_registered": "False",
            "disinfection_done": "True",
            "photo": SimpleUploadedFile("门口.jpg", buffer.getvalue(), content_type="image/jpeg"),
        },
    )
    assert recorded.status_code == 302
    visit = ShopVisit.objects.get()
    assert visit.photo and visit.staff_registered is False
    photo = worker.get(f"/volunteers/visits/{visit.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert client_for("worker_b").get(f"/volunteers/visits/{visit.pk}/photo/").status_code == 404
    results = html(worker.get("/volunteers/results/"))
    assert "祥光社区" in results
    todo = Todo.objects.get()
    assert "长湖街大药房" in html(worker.get("/volunteers/todos/"))
    worker.post(f"/volunteers/todos/{todo.pk}/close/", {"note": "已登记"})
    todo.refresh_from_db()
    assert todo.status == "done"
    incomplete = volunteer.post(f"/volunteers/tasks/{task.pk}/shops/{corps.shop.pk}/", {"is_open": "True"})
    assert incomplete.status_code == 200 and "has-error" in incomplete.content.decode()
    assert volunteer.get(f"/volunteers/tasks/{task.pk}/shops/{zone.enterprise_a.pk}/").status_code == 404


def test_leaflets_on_the_task_page(corps, client_for):
    task = services.task_create(
        actor=corps.zone.community_worker,
        community=corps.zone.community,
        kind="leaflets",
        title="宣传单",
        volunteer_ids=[corps.first.pk],
    )
    volunteer = client_for("volunteer")
    volunteer.post(f"/volunteers/tasks/{task.pk}/leaflets/", {"building": "3栋", "leaflets": "60"})
    page = html(volunteer.get(f"/volunteers/tasks/{task.pk}/"))
    assert "3栋" in page and ">60<" in page


def test_hours_and_the_certificate_on_the_pages(corps, client_for):
    corps.signup(corps.shift(local(-1, 7)), checked_in_at=local(-1, 7), checked_out_at=local(-1, 9, 30))
    worker = html(client_for("community_worker").get("/volunteers/hours/"))
    assert "张青葵" in worker and "2.5" in worker and "祥光社区" in worker
    own = html(client_for("volunteer").get("/volunteers/hours/"))
    assert "张青葵" in own and "胡柏林" not in own
    pdf = client_for("volunteer").get(f"/volunteers/{corps.first.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for("volunteer").get(f"/volunteers/{corps.second.pk}/certificate.pdf").status_code == 404
    assert client_for("worker_b").get(f"/volunteers/{corps.first.pk}/certificate.pdf").status_code == 404


def test_outsiders_are_refused(corps, client_for):
    zone = corps.zone
    shift = corps.shift(local(1, 7))
    signup = corps.signup(shift)
    task = services.task_create(actor=zone.community_worker, community=zone.community, kind="leaflets", title="x")
    office = [
        f"/volunteers/{path}"
        for path in ("", "new/", "shifts/", "shifts/new/", "tasks/", "tasks/new/", "results/", "todos/")
    ]
    for user in ("volunteer", "admin_a", "gate_a", "officer_a"):
        client = client_for(user)
        for url in office:
            assert client.get(url).status_code == 403, (user, url)
    other = client_for("worker_b")
    for url in (f"/volunteers/{corps.first.pk}/", f"/volunteers/shifts/{shift.pk}/", f"/volunteers/tasks/{task.pk}/"):
        assert other.get(url).status_code == 404, url
    for url in (
        f"/volunteers/signups/{signup.pk}/cancel/",
        f"/volunteers/{corps.first.pk}/suspend/",
        f"/volunteers/shifts/{shift.pk}/signup/",
    ):
        assert other.post(url).status_code == 404, url
        assert client_for("volunteer_b").post(url).status_code == 404, url
    assert client_for("volunteer").get(f"/volunteers/shifts/{shift.pk}/").status_code == 403
    assert client_for("volunteer").post(f"/volunteers/{corps.first.pk}/suspend/").status_code == 302
    corps.first.refresh_from_db()
    assert corps.first.status == "approved"  # refused with a message
    anonymous = Client()
    for url in [*office, "/volunteers/my/", "/volunteers/hours/", f"/volunteers/{corps.first.pk}/certificate.pdf"]:
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert anonymous.post(f"/volunteers/signups/{signup.pk}/check-in/").status_code == 302
    signup.refresh_from_db()
    assert signup.checked_in_at is None


def test_home_items(corps, client_for):
    zone = corps.zone
    Volunteer.objects.create(person=zone.staff_a[1], community=zone.community, name="陈艳", status="pending")
    corps.shift(timezone.now() + timedelta(minutes=1), needed=2) if timezone.localtime().hour < 23 else None
    labels = {str(item.label): item for item in home_items(zone.community_worker)}
    assert labels["待审核的志愿者"].value == "1"
    if "今日尚缺志愿者的班次" in labels:  # the tile opens today's shifts, not all those to come
        assert labels["今日尚缺志愿者的班次"].url == f"/volunteers/shifts/?day={timezone.localdate().isoformat()}"
    assert "待审核的志愿者" not in {str(i.label) for i in home_items(zone.worker_b)}
    volunteer = {str(item.label) for item in home_items(zone.volunteer)}
    assert "我的任务" in volunteer and "服务时长（小时）" in volunteer
    newcomer = make_user("newcomer", Role.VOLUNTEER)
    assert [str(i.label) for i in home_items(newcomer) if i.url == "/volunteers/apply/"] == ["到社区当志愿者"]
    assert not [i for i in home_items(zone.admin_a) if i.url.startswith("/volunteers/")]


def test_the_nav_shows_the_corps_to_workers_the_commander_and_volunteers(corps):
    from zoneguard.core.nav import nav_for

    zone = corps.zone
    assert "/volunteers/" in {i["url"] for i in nav_for(zone.community_worker)}
    assert "/volunteers/" in {i["url"] for i in nav_for(zone.commander)}
    assert "/volunteers/my/" in {i["url"] for i in nav_for(zone.volunteer)}
    assert not {i["url"] for i in nav_for(zone.admin_a)} & {"/volunteers/", "/volunteers/my/"}
