"""The notice pages: write with an attachment, publish, read (recorded), receipts for the officer."""

from django.core.files.uploadedfile import SimpleUploadedFile

from zoneguard.notices.models import Notice, NoticeRecipient


def test_an_officer_publishes_and_sees_who_has_read(zone, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = client_for("officer_a")
    response = officer.post(
        "/notices/new/",
        {
            "title": "关于做好复工防疫的通知",
            "body": "<p>各企业：请落实<strong>测温</strong>。</p>",
            "kinds": ["enterprise"],
            "attachment": SimpleUploadedFile("防疫指南.pdf", b"%PDF-guide"),
        },
    )
    notice = Notice.objects.get()
    assert response.url == f"/notices/{notice.pk}/"
    draft = officer.get(response.url).content.decode()
    assert "企业甲" in draft and "企业乙" in draft  # the audience before publishing
    officer.post(f"/notices/{notice.pk}/publish/")
    reader = client_for("admin_a")
    page = reader.get(f"/notices/{notice.pk}/").content.decode()
    assert "<strong>测温</strong>" in page
    attachment = notice.attachments.get()
    assert reader.get(f"/notices/{notice.pk}/attachments/{attachment.pk}/").getvalue() == b"%PDF-guide"
    assert NoticeRecipient.objects.get(organisation=zone.enterprise_a).read_by == zone.admin_a
    receipts = officer.get(f"/notices/{notice.pk}/").content.decode().split('data-testid="receipts"')[1]
    assert "企业甲" in receipts and "admin_a" in receipts


def test_outsiders_get_not_found(zone, client_for):
    from zoneguard.notices import services

    notice = services.notice_create(actor=zone.officer_a, title="t", body="<p>b</p>", kinds=["enterprise"])
    outsider = client_for("admin_a")  # not published yet
    assert outsider.get(f"/notices/{notice.pk}/").status_code == 404
    assert outsider.post(f"/notices/{notice.pk}/publish/").status_code == 404
    assert outsider.post(f"/notices/{notice.pk}/attachments/").status_code == 404
    assert client_for("admin_a").get("/notices/new/").status_code == 404
    assert outsider.get(f"/notices/{notice.pk}/edit/").status_code == 404
    assert client_for("officer_b").post(f"/notices/{notice.pk}/edit/", {"title": "x"}).status_code == 404


def test_the_author_edits_a_draft_and_a_published_notice_stays_as_sent(zone, client_for):
    from zoneguard.notices import services

    notice = services.notice_create(actor=zone.officer_a, title="草稿", body="<p>b</p>", kinds=["enterprise"])
    officer = client_for("officer_a")
    form = officer.get(f"/notices/{notice.pk}/edit/").context["form"]
    assert (form["title"].value(), form["kinds"].value()) == ("草稿", ["enterprise"])
    refused = officer.post(f"/notices/{notice.pk}/edit/", {"title": "改后", "body": "<p>b</p>"})
    assert refused.status_code == 200 and Notice.objects.get().title == "草稿"  # no recipients: said, not saved
    saved = officer.post(f"/notices/{notice.pk}/edit/", {"title": "改后", "body": "<p>b</p>", "kinds": ["market"]})
    assert saved.status_code == 302 and Notice.objects.get().title == "改后"
    assert "市场丁" in officer.get(f"/notices/{notice.pk}/").content.decode()
    officer.post(f"/notices/{notice.pk}/publish/")
    assert officer.get(f"/notices/{notice.pk}/edit/").status_code == 404
    assert 'id="edit-draft"' not in officer.get(f"/notices/{notice.pk}/").content.decode()


def test_the_list_names_who_issued_each_notice(zone, client_for):
    from zoneguard.notices import services

    services.notice_create(actor=zone.officer_a, title="复工须知", body="<p>b</p>", kinds=["enterprise"])
    page = client_for("officer_a").get("/notices/").content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "<th>发布单位</th>" in head and "开始日期" not in head


def test_a_notice_sent_to_people_shows_who_of_them_has_read(zone, client_for):
    from zoneguard.notices import services

    notice = services.notice_send_to_people(
        actor=zone.officer_a, title="会议纪要", body="<p>纪要</p>", people=[zone.commander, zone.officer_b]
    )
    read = client_for("officer_b").get(f"/notices/{notice.pk}/")  # read by one of the two
    assert read.status_code == 200 and 'data-testid="readers"' not in read.content.decode()  # not theirs to see
    assert client_for("admin_a").get(f"/notices/{notice.pk}/").status_code == 404  # not sent to them
    officer = client_for("officer_a")
    page = officer.get(f"/notices/{notice.pk}/").content.decode()
    readers = page.split('data-testid="readers"')[1].split("</table>")[0]
    assert "已读 1 / 2 人" in page and zone.officer_b.display_name in readers and "未读" in readers
    assert 'data-testid="receipts"' not in page  # no empty table of organisations
    listed = officer.get("/notices/").content.decode()
    assert ">1 / 2</td>" in listed
