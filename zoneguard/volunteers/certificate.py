"""The certificate of service (志愿服务证明): an A4 PDF in Chinese, whatever the reader's language,
with reportlab's built-in CID font STSong-Light (no font file needed, as gates/poster.py). The hours
are those of selectors.volunteer_hours, by the rule of hours.py; the ID number is masked."""

from __future__ import annotations

import io
from datetime import date

from django.utils import formats, translation
from django.utils.translation import gettext as _

from zoneguard.core.masking import mask_id_number

from .models import Volunteer
from .selectors import VolunteerHours

FONT = "STSong-Light"
LANGUAGE = "zh-hans"


def _lines(text: str, *, font: str, size: float, width: float) -> list[str]:
    """Chinese wraps between any two characters: fill each line up to `width`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for char in text:
        if stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def _day(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value is not None else "—"


def certificate_pdf(*, volunteer: Volunteer, served: VolunteerHours, issued_on: date) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    width, height = A4
    with translation.override(LANGUAGE):
        title = _("Certificate of volunteer service")
        body = _(
            "%(name)s (ID number %(id_number)s) served as a volunteer of %(community)s in the prevention and "
            "control of the epidemic from %(first)s to %(last)s: %(shifts)s shifts at checkpoints, %(hours)s "
            "hours in all."
        ) % {
            "name": volunteer.name,
            "id_number": mask_id_number(volunteer.person.id_number),
            "community": volunteer.community.name,
            "first": _day(served.first_day),
            "last": _day(served.last_day),
            "shifts": served.shifts,
            "hours": served.hours,
        }
        thanks = _("With thanks for your service to your neighbours.")
        figure_label = _("Hours served")
        issuer = volunteer.community.name
        issued = _day(issued_on)
        pdf = canvas.Canvas(buffer, pagesize=A4)
        pdf.setTitle(f"{title} · {volunteer.name}")
        pdf.setSubject(f"{served.hours}")
        pdf.setLineWidth(2)
        pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
        pdf.setFont(FONT, 32)
        pdf.drawCentredString(width / 2, height - 55 * mm, title)
        # The figure first, large, in a Latin font: it is what the certificate is for.
        pdf.setFont("Helvetica-Bold", 64)
        pdf.drawCentredString(width / 2, height - 100 * mm, f"{served.hours}")
        pdf.setFont(FONT, 16)
        pdf.drawCentredString(width / 2, height - 112 * mm, figure_label)
        y = height - 140 * mm
        for line in _lines(body, font=FONT, size=16, width=width - 60 * mm):
            pdf.drawString(30 * mm, y, line)
            y -= 10 * mm
        y -= 6 * mm
        pdf.drawString(30 * mm, y, thanks)
        pdf.drawRightString(width - 30 * mm, 60 * mm, issuer)
        pdf.drawRightString(width - 30 * mm, 50 * mm, issued)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
