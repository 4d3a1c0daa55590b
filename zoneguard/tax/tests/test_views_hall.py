"""The hall's pages: the tax officer cancels or moves a booking with a reason the taxpayer is told;
a full slot is not offered; a note too long is said, not cut."""

from django.utils import timezone

from zoneguard.notifications.models import Notification
from zoneguard.tax import services
from zoneguard.tax.models import Appointment, AppointmentStatus


def booked(tax, **slot):
    zone = tax.zone
    return services.appointment_book(
        actor=zone.admin_a, slot=tax.slot(**slot), organisation=zone.enterprise_a, purpose="declaration"
    )


def told(zone):
    return list(Notification.objects.filter(recipient=zone.admin_a, source_type="tax.appointment"))


def test_the_officer_cancels_with_a_reason_and_the_enterprise_is_told(tax, client_for):
    zone = tax.zone
    appointment = booked(tax, days=2)
    officer = client_for("taxofficer")
    detail = officer.get(f"/tax/appointments/{appointment.pk}/").content.decode()
    assert 'data-testid="cancel-form"' in detail and "告知纳税人的原因" in detail
    page = officer.post(f"/tax/appointments/{appointment.pk}/cancel/", {"reason": "系统升级"}, follow=True)
    assert "预约已取消，并已通知纳税人的管理员。" in page.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    [notice] = told(zone)
    assert appointment.code in notice.title and "系统升级" in notice.body
    assert notice.link == f"/tax/appointments/{appointment.pk}/"
    assert client_for("admin_a").get(notice.link).status_code == 200  # the notice opens the booking


def test_a_reason_too_long_changes_nothing_and_comes_back_as_typed(tax, client_for):
    zone = tax.zone
    appointment = booked(tax, days=2)
    officer = client_for("taxofficer")
    reason = "因" * 201
    page = officer.post(f"/tax/appointments/{appointment.pk}/cancel/", {"reason": reason}, follow=True).content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED and not told(zone)
    assert "200" in page and reason in page  # the limit is said, and what was typed kept


def test_the_officer_moves_a_booking_with_a_reason_and_the_enterprise_is_told(tax, client_for):
    zone = tax.zone
    appointment = booked(tax, days=2, hour=9)
    later = tax.slot(days=2, hour=11)
    day = timezone.localdate(later.starts_at).isoformat()
    officer = client_for("taxofficer")
    form = officer.get(f"/tax/appointments/{appointment.pk}/reschedule/?date={day}").content.decode()
    assert "告知纳税人的原因" in form
    response = officer.post(
        f"/tax/appointments/{appointment.pk}/reschedule/?date={day}", {"slot": later.pk, "reason": "窗口检修"}
    )
    assert response.status_code == 302
    assert Appointment.objects.get().slot_id == later.pk
    [notice] = told(zone)
    assert "11:00" in notice.title and "窗口检修" in notice.body


def test_the_enterprise_changes_its_own_booking_without_a_reason_or_a_notice(tax, client_for):
    zone = tax.zone
    appointment = booked(tax, days=2, hour=9)
    later = tax.slot(days=2, hour=11)
    client = client_for("admin_a")
    day = timezone.localdate(later.starts_at).isoformat()
    assert 'name="reason"' not in client.get(f"/tax/appointments/{appointment.pk}/").content.decode()
    assert (
        'name="reason"' not in client.get(f"/tax/appointments/{appointment.pk}/reschedule/?date={day}").content.decode()
    )
    client.post(f"/tax/appointments/{appointment.pk}/reschedule/?date={day}", {"slot": later.pk})
    page = client.post(f"/tax/appointments/{appointment.pk}/cancel/", follow=True).content.decode()
    assert "预约已取消。" in page and "已通知纳税人的管理员" not in page
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    assert not told(zone)


def test_another_enterprise_cannot_cancel_or_move_the_booking(tax, client_for):
    appointment = booked(tax, days=2)
    outsider = client_for("admin_b")
    assert outsider.post(f"/tax/appointments/{appointment.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert outsider.get(f"/tax/appointments/{appointment.pk}/reschedule/").status_code == 404
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    assert not Notification.objects.filter(source_type="tax.appointment").exists()


def test_a_full_slot_is_not_offered_and_the_note_has_its_limit(tax, client_for):
    zone = tax.zone
    full = booked(tax, days=2, hour=9).slot  # capacity 2: one more fills it
    services.appointment_book(actor=tax.officer, slot=full, organisation=zone.market, purpose="other")
    free = tax.slot(days=2, hour=10)
    day = timezone.localdate(full.starts_at).isoformat()
    page = client_for("admin_b").get(f"/tax/appointments/book/?date={day}").content.decode()
    assert f'value="{free.pk}"' in page and f'value="{full.pk}"' not in page
    assert 'maxlength="200"' in page
