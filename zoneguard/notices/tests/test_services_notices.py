"""Notices: the audience by kind, sector, community or list; inbox notifications; read receipts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.notices import services
from zoneguard.notices.models import NoticeRecipient
from zoneguard.notifications.models import Notification
from zoneguard.testing import make_user


def create(zone, actor=None, **overrides):
    data = {"title": "复工复产防疫指南", "body": "<p>请各企业<strong>落实</strong>测温。</p>", "kinds": ["enterprise"]}
    data.update(overrides)
    return services.notice_create(actor=actor or zone.commander, **data)


def recipients(notice):
    return set(NoticeRecipient.objects.filter(notice=notice).values_list("organisation__name", flat=True))


def test_it_sends_to_organisations_by_kind_sector_community_or_list(zone):
    by_kind = create(zone)
    services.notice_publish(actor=zone.commander, notice=by_kind)
    assert recipients(by_kind) == {"企业甲", "企业乙"}
    by_sector = create(zone, kinds=[], sectors=[zone.sector_construction])
    services.notice_publish(actor=zone.commander, notice=by_sector)
    assert recipients(by_sector) == {"项目丙"}
    by_community = create(zone, kinds=["market", "enterprise"], communities=[zone.community])
    services.notice_publish(actor=zone.commander, notice=by_community)
    assert recipients(by_community) == {"企业甲", "企业乙", "市场丁"}
    listed = create(zone, kinds=[], organisations=[zone.project, zone.market])
    services.notice_publish(actor=zone.commander, notice=listed)
    assert recipients(listed) == {"项目丙", "市场丁"}


def test_a_draft_is_rewritten_before_it_is_published_and_not_after(zone):
    notice = create(zone, actor=zone.officer_a)
    services.notice_update(
        actor=zone.officer_a,
        notice=notice,
        title="市场消杀通知",
        body="<p>请消杀。</p>",
        kinds=[],
        organisations=[zone.market],
    )
    notice.refresh_from_db()
    assert (notice.title, notice.body, notice.audience_kinds) == ("市场消杀通知", "<p>请消杀。</p>", [])
    # A refused rewrite changes nothing; another department's officer cannot rewrite it.
    with pytest.raises(InvalidInput):
        services.notice_update(actor=zone.officer_a, notice=notice, title="x", body="<p></p>", kinds=["market"])
    with pytest.raises(Forbidden):
        services.notice_update(actor=zone.officer_b, notice=notice, title="x", body="<p>x</p>", kinds=["market"])
    notice.refresh_from_db()
    assert notice.title == "市场消杀通知"
    assert services.notice_publish(actor=zone.officer_a, notice=notice) == 1
    assert recipients(notice) == {"市场丁"}
    with pytest.raises(Conflict):
        services.notice_update(actor=zone.officer_a, notice=notice, title="x", body="<p>x</p>", kinds=["market"])
    rewrite = AuditEvent.objects.filter(object_type="notices.notice", action="update").order_by("pk")[0]
    assert rewrite.detail["changes"]["title"] == ["复工复产防疫指南", "市场消杀通知"]


def test_an_officer_reaches_only_the_organisations_of_their_competence(zone):
    notice = create(zone, actor=zone.officer_b, kinds=["enterprise", "building_project"])
    assert services.notice_publish(actor=zone.officer_b, notice=notice) == 1
    assert recipients(notice) == {"项目丙"}
    with pytest.raises(InvalidInput):  # cannot list an organisation outside their sight
        create(zone, actor=zone.officer_b, kinds=[], organisations=[zone.enterprise_a])


def test_recipients_see_it_in_their_inbox_and_the_officer_sees_who_read_it(zone):
    notice = create(zone, actor=zone.officer_a)
    services.notice_publish(actor=zone.officer_a, notice=notice)
    inbox = Notification.objects.filter(kind="notice")
    assert set(inbox.values_list("recipient__username", flat=True)) == {"admin_a", "admin_b"}
    assert inbox.get(recipient=zone.admin_a).link == f"/notices/{notice.pk}/"
    assert services.notice_mark_read(actor=zone.admin_a, notice=notice) == 1
    assert services.notice_mark_read(actor=zone.admin_a, notice=notice) == 0  # the first reading counts
    colleague = make_user("admin_a2", "organisation_admin", organisation=zone.enterprise_a)
    assert services.notice_mark_read(actor=colleague, notice=notice) == 0
    receipts = {r.organisation.name: r.read_by for r in NoticeRecipient.objects.filter(notice=notice)}
    assert receipts == {"企业甲": zone.admin_a, "企业乙": None}


def test_it_keeps_formatting_and_drops_scripts(zone):
    notice = create(
        zone, body='<h3>要求</h3><p onclick="x()">测温<script>alert(1)</script></p><a href="javascript:x">链接</a>'
    )
    assert "<script" not in notice.body and "onclick" not in notice.body and "javascript" not in notice.body
    assert "<h3>要求</h3>" in notice.body
    with pytest.raises(InvalidInput):
        create(zone, body="<script>alert(1)</script>")


def test_permissions_and_states(zone):
    with pytest.raises(Forbidden):
        create(zone, actor=zone.admin_a)
    with pytest.raises(InvalidInput):
        create(zone, kinds=[])
    notice = create(zone, actor=zone.officer_a)
    with pytest.raises(Forbidden):
        services.notice_publish(actor=zone.officer_b, notice=notice)
    services.notice_attach(actor=zone.officer_a, notice=notice, file=SimpleUploadedFile("指南.pdf", b"%PDF"))
    with pytest.raises(InvalidInput):
        services.notice_attach(actor=zone.officer_a, notice=notice, file=SimpleUploadedFile("x.exe", b"MZ"))
    services.notice_publish(actor=zone.officer_a, notice=notice)
    with pytest.raises(Conflict):
        services.notice_publish(actor=zone.officer_a, notice=notice)
    with pytest.raises(Conflict):
        services.notice_attach(actor=zone.officer_a, notice=notice, file=SimpleUploadedFile("b.pdf", b"%PDF"))
    nobody = create(zone, actor=zone.officer_b, kinds=["market"])
    with pytest.raises(Conflict):
        services.notice_publish(actor=zone.officer_b, notice=nobody)
