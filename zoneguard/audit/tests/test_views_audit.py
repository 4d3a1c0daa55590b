import io

from openpyxl import load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.registry import services
from zoneguard.testing import response_bytes


def test_it_records_who_changed_what(zone):
    services.organisation_update(actor=zone.admin_a, organisation=zone.enterprise_a, data={"address": "长湖街1号"})
    event = AuditEvent.objects.get(action="update", object_type="registry.organisation")
    assert (event.actor, event.actor_name, event.object_id) == (zone.admin_a, "admin_a", str(zone.enterprise_a.pk))
    assert event.organisation_id == zone.enterprise_a.pk
    assert event.detail["changes"] == {"address": ["", "长湖街1号"]}


def test_it_files_an_organisation_s_creation_under_itself(zone):
    organisation = services.organisation_create(actor=zone.commander, data={"name": "新企业", "kind": "enterprise"})
    event = AuditEvent.objects.get(action="create", object_type="registry.organisation")
    assert event.organisation_id == organisation.pk
    assert event.detail["changes"]["name"] == [None, "新企业"]


def test_it_records_nothing_for_an_update_that_changes_nothing(zone):
    services.organisation_update(actor=zone.admin_a, organisation=zone.enterprise_a, data={"name": "企业甲"})
    assert not AuditEvent.objects.filter(action="update").exists()


def test_it_shows_the_log_to_the_commander_only(zone, client_for):
    services.organisation_update(actor=zone.admin_a, organisation=zone.enterprise_a, data={"address": "长湖街1号"})
    assert client_for("admin_a").get("/audit/").status_code == 404
    assert client_for("officer_a").get("/audit/").status_code == 404
    page = client_for("commander").get("/audit/").content.decode()
    assert "admin_a" in page and "企业甲" in page


def test_it_filters_the_log(zone, client_for):
    services.organisation_update(actor=zone.admin_a, organisation=zone.enterprise_a, data={"address": "长湖街1号"})
    services.site_rotate_code(actor=zone.admin_b, site=zone.site_b)
    client = client_for("commander")
    page = client.get("/audit/", {"actor": "admin_b"}).content.decode()
    assert 'title="registry.site"' in page and 'title="registry.organisation"' not in page
    page = client.get("/audit/", {"object_type": "registry.organisation", "action": "update"}).content.decode()
    assert 'title="registry.organisation"' in page and 'title="registry.site"' not in page
    assert "单位 <code" in page and "地址: — → 长湖街1号" in page  # named and written as text


def test_it_exports_the_log_and_records_the_export(zone, client_for):
    services.organisation_update(actor=zone.admin_a, organisation=zone.enterprise_a, data={"address": "长湖街1号"})
    response = client_for("commander").get("/audit/", {"export": "xlsx", "action": "update"})
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    assert rows[0][1] == "admin_a"
    assert AuditEvent.objects.filter(action="export", object_type="audit.auditevent", actor=zone.commander).exists()


def test_the_log_says_what_is_kept_and_when_it_was_last_purged(zone, client_for, settings):
    from datetime import timedelta

    from django.utils import timezone

    from zoneguard.core.retention import purge_personal_data
    from zoneguard.gates.models import CheckIn
    from zoneguard.gates.tests.test_day_counts import passage

    settings.PERSONAL_DATA_DAYS = 45
    client = client_for("commander")
    before = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="en")
    shown = before.context["retention"]
    assert shown.days == 45 and shown.last_purge is None and len(shown.kinds) == 9
    assert "kept 45 days" in before.content.decode() and "Nothing has been old enough" in before.content.decode()
    passage(zone.site_a, zone.staff_a[0], timezone.now() - timedelta(days=50))
    purge_personal_data()
    assert not CheckIn.objects.exists()
    after = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="en").context["retention"]
    assert after.last_purge is not None and timezone.now() - after.last_purge < timedelta(minutes=1)
