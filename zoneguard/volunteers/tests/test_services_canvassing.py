"""Canvassing rounds and leaflet drops: the checklist per shop, the roll-up per community, and the
to-do a shop open without its staff registered becomes."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.notifications.models import Notification
from zoneguard.registry.models import Organisation
from zoneguard.volunteers import canvassing, selectors, services
from zoneguard.volunteers.canvassing import VisitFacts
from zoneguard.volunteers.models import Todo, TodoStatus


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("门店.png", buffer.getvalue(), content_type="image/png")


def shops(corps):
    zone = corps.zone
    supermarket = Organisation.objects.create(name="长湖街便民超市", kind="shop", community=zone.community)
    restaurant = Organisation.objects.create(name="长湖街湘菜馆", kind="shop", community=zone.community)
    return supermarket, corps.shop, restaurant


def round_of(corps, **overrides):
    data = {
        "community": corps.zone.community,
        "kind": "canvassing",
        "title": "长湖街门店摸排",
        "volunteer_ids": [corps.first.pk],
    }
    data.update(overrides)
    return services.task_create(actor=corps.zone.community_worker, **data)


def test_the_roll_up_counts_each_shop_by_its_latest_visit():
    t = datetime(2020, 2, 21, 9).astimezone()
    visits = [
        VisitFacts(1, t, True, masks_worn=True, staff_registered=False, disinfection_done=True),
        VisitFacts(1, t + timedelta(days=1), True, masks_worn=True, staff_registered=True, disinfection_done=True),
        VisitFacts(2, t, True, masks_worn=False, staff_registered=False, disinfection_done=False),
        VisitFacts(3, t, False),
        VisitFacts(4, t, True, masks_worn=None, staff_registered=None, disinfection_done=True),
    ]
    assert canvassing.rollup(visits) == canvassing.Rollup(
        shops_visited=4, open=3, closed=1, without_registration=1, without_masks=1, without_disinfection=1
    )
    assert canvassing.needs_follow_up(visits[2]) and not canvassing.needs_follow_up(visits[1])
    assert not canvassing.needs_follow_up(visits[3]) and not canvassing.needs_follow_up(visits[4])


def test_a_canvassing_round_covers_the_community_shops_and_its_results_roll_up(corps, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    zone = corps.zone
    supermarket, pharmacy, restaurant = shops(corps)
    task = round_of(corps)
    # Every shop and market of the community by default.
    assert set(task.shops.all()) == {supermarket, pharmacy, restaurant, zone.market}
    assert Notification.objects.filter(recipient=zone.volunteer, title__contains="长湖街门店摸排").exists()
    common = {"actor": zone.volunteer, "task": task}
    services.visit_record(
        **common,
        shop=supermarket,
        is_open=True,
        staff_count=4,
        masks_worn=True,
        staff_registered=True,
        disinfection_done=True,
        photo=png(),
    )
    services.visit_record(
        **common,
        shop=pharmacy,
        is_open=True,
        staff_count=2,
        masks_worn=False,
        staff_registered=False,
        disinfection_done=True,
        note="店员未登记",
    )
    visit = services.visit_record(**common, shop=restaurant, is_open=False, staff_count=3, masks_worn=True)
    assert (visit.staff_count, visit.masks_worn, visit.visited_by) == (None, None, corps.first)
    assert selectors.task_rollup(task=task) == canvassing.Rollup(
        shops_visited=3, open=2, closed=1, without_registration=1, without_masks=1, without_disinfection=0
    )
    results = selectors.community_results(actor=zone.community_worker)
    assert [(r.community, r.rollup.without_registration, r.open_todos) for r in results] == [(zone.community, 1, 1)]
    assert selectors.community_results(actor=zone.worker_b) == []
    # The open unregistered shop became the community's to-do, and its workers were told.
    todo = Todo.objects.get()
    assert (todo.organisation, todo.community, todo.reason, todo.status) == (
        pharmacy,
        zone.community,
        "unregistered_staff",
        "open",
    )
    assert Notification.objects.filter(recipient=zone.community_worker, title__contains="长湖街大药房").exists()
    assert list(selectors.todo_list(actor=zone.community_worker)) == [todo]
    assert (
        not selectors.todo_list(actor=zone.worker_b).exists() and not selectors.todo_list(actor=zone.volunteer).exists()
    )


def test_a_to_do_is_opened_once_per_shop_and_closed_by_the_community(corps):
    zone = corps.zone
    _supermarket, pharmacy, _restaurant = shops(corps)
    task = round_of(corps)
    unregistered = {
        "is_open": True,
        "staff_count": 2,
        "masks_worn": True,
        "staff_registered": False,
        "disinfection_done": True,
    }
    services.visit_record(actor=zone.volunteer, task=task, shop=pharmacy, **unregistered)
    services.visit_record(
        actor=zone.community_worker, task=task, shop=pharmacy, **unregistered
    )  # corrected, same finding
    second_round = round_of(corps, title="复查")
    services.visit_record(actor=zone.volunteer, task=second_round, shop=pharmacy, **unregistered)
    todo = Todo.objects.get()
    with pytest.raises(Forbidden):
        services.todo_close(actor=zone.worker_b, todo=todo)
    with pytest.raises(Forbidden):
        services.todo_close(actor=zone.volunteer, todo=todo)
    services.todo_close(actor=zone.community_worker, todo=todo, note="已登记店员2人")
    todo.refresh_from_db()
    assert (todo.status, todo.closed_by, todo.closing_note) == (TodoStatus.DONE, zone.community_worker, "已登记店员2人")
    with pytest.raises(Conflict):
        services.todo_close(actor=zone.community_worker, todo=todo)
    # Found again later: a new to-do.
    services.visit_record(actor=zone.volunteer, task=second_round, shop=pharmacy, **unregistered)
    assert Todo.objects.filter(status="open").count() == 1


def test_the_checklist_of_an_open_shop_is_complete_and_only_the_round_s_people_record_it(corps):
    zone = corps.zone
    _supermarket, pharmacy, _restaurant = shops(corps)
    task = round_of(corps)
    with pytest.raises(InvalidInput) as incomplete:
        services.visit_record(actor=zone.volunteer, task=task, shop=pharmacy, is_open=True, staff_count=2)
    assert set(incomplete.value.errors) == {"masks_worn", "staff_registered", "disinfection_done"}
    other_shop = Organisation.objects.create(name="别处小店", kind="shop", community=corps.other_community)
    with pytest.raises(InvalidInput):
        services.visit_record(actor=zone.volunteer, task=task, shop=other_shop, is_open=False)
    with pytest.raises(NotFound):  # a volunteer the task was not given to
        services.visit_record(actor=zone.volunteer_b, task=task, shop=pharmacy, is_open=False)
    with pytest.raises(Forbidden):
        services.visit_record(actor=zone.worker_b, task=task, shop=pharmacy, is_open=False)
    with pytest.raises(InvalidInput) as not_a_photo:
        services.visit_record(
            actor=zone.volunteer,
            task=task,
            shop=pharmacy,
            is_open=False,
            photo=SimpleUploadedFile("x.png", b"<script>", content_type="image/png"),
        )
    assert not_a_photo.value.code == "file_type"
    services.task_complete(actor=zone.community_worker, task=task)
    with pytest.raises(Conflict):
        services.visit_record(actor=zone.volunteer, task=task, shop=pharmacy, is_open=False)


def test_leaflets_are_dropped_building_by_building(corps):
    zone = corps.zone
    task = round_of(corps, kind="leaflets", title="防疫宣传单")
    assert not task.shops.exists()
    services.leaflets_record(actor=zone.volunteer, task=task, building="1栋", leaflets=120)
    services.leaflets_record(actor=zone.volunteer, task=task, building="2栋", leaflets=80)
    services.leaflets_record(actor=zone.community_worker, task=task, building="1栋", leaflets=10, note="补发")
    totals = selectors.task_leaflets(task=task)
    assert (totals.drops, totals.leaflets, totals.buildings) == (3, 210, 2)
    with pytest.raises(InvalidInput):
        services.leaflets_record(actor=zone.volunteer, task=task, building="3栋", leaflets=0)
    with pytest.raises(InvalidInput):
        services.visit_record(actor=zone.volunteer, task=task, shop=corps.shop, is_open=False)
    [result] = selectors.community_results(actor=zone.commander)
    assert (result.leaflets.leaflets, result.leaflets.buildings, result.rollup.shops_visited) == (210, 2, 0)


def test_tasks_are_given_to_approved_volunteers_of_the_community(corps):
    zone = corps.zone
    with pytest.raises(InvalidInput):
        round_of(corps, volunteer_ids=[corps.outsider.pk])
    with pytest.raises(Forbidden):
        services.task_create(actor=zone.worker_b, community=zone.community, kind="leaflets", title="x")
    task = round_of(corps)
    assert list(selectors.task_list(actor=zone.volunteer)) == [task]
    assert not selectors.task_list(actor=zone.volunteer_b).exists()
    assert not selectors.task_list(actor=zone.worker_b).exists()
    with pytest.raises(NotFound):
        selectors.task_access(actor=zone.volunteer_b, pk=task.pk)
