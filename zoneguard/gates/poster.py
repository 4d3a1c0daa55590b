"""Printable QR posters for a site: A4 PDF (reportlab, with its built-in CID font STSong-Light, so
no font file is needed) and a PNG (segno for the code; the site name is drawn with a CJK font
when the server has one, see GATES_POSTER_FONT)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.context import absolute_url
from zoneguard.registry.models import Site

# Fonts with Chinese glyphs that Debian packages install (fonts-wqy-zenhei, fonts-noto-cjk).
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


def declaration_url(site: Site) -> str:
    """The form's address, at the address ZoneGuard is reached at (core/context.py site_url)."""
    return absolute_url(reverse("health:declare", kwargs={"code": site.code}))


def qr(site: Site) -> segno.QRCode:
    return segno.make(declaration_url(site), error="m")


def poster_pdf(site: Site) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{site.organisation.name} {site.name}")
    pdf.setFont("STSong-Light", 30)
    pdf.drawCentredString(width / 2, height - 40 * mm, _("Health declaration"))
    pdf.setFont("STSong-Light", 22)
    pdf.drawCentredString(width / 2, height - 58 * mm, site.organisation.name[:30])
    pdf.drawCentredString(width / 2, height - 70 * mm, site.name[:30])
    image = io.BytesIO()
    qr(site).save(image, kind="png", scale=10, border=2)
    image.seek(0)
    size = 130 * mm
    pdf.drawImage(ImageReader(image), (width - size) / 2, height - 80 * mm - size, size, size)
    pdf.setFont("STSong-Light", 16)
    pdf.drawCentredString(width / 2, height - 225 * mm, _("Scan with your phone, fill in the form, show the card."))
    pdf.drawCentredString(
        width / 2, height - 235 * mm, _("No entry without a temperature check (37.3 °C or more: no entry).")
    )
    pdf.setFont("Helvetica", 9)
    pdf.drawCentredString(width / 2, 15 * mm, declaration_url(site))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@lru_cache(maxsize=1)
def poster_font() -> str | None:
    for candidate in [settings.GATES_POSTER_FONT, *FONT_CANDIDATES]:
        if candidate and Path(candidate).exists():
            return candidate
    return None


def poster_png(site: Site) -> bytes:
    """A4 at 150 dpi (1240 × 1754)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1240, 1754
    page = Image.new("RGB", (width, height), "white")
    code = io.BytesIO()
    qr(site).save(code, kind="png", scale=20, border=2)
    code.seek(0)
    image = Image.open(code).convert("RGB")
    image = image.resize((820, 820), Image.Resampling.NEAREST)
    page.paste(image, ((width - 820) // 2, 470))
    draw = ImageDraw.Draw(page)
    font_path = poster_font()

    def text(y: int, value: str, size: int) -> None:
        font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default(size=size)
        box = draw.textbbox((0, 0), value, font=font)
        draw.text(((width - (box[2] - box[0])) // 2, y), value, fill="black", font=font)

    if font_path:
        text(150, _("Health declaration"), 80)
        text(280, site.organisation.name[:24], 56)
        text(360, site.name[:24], 56)
        text(1340, _("Scan with your phone, fill in the form, show the card."), 40)
        text(1400, _("No entry without a temperature check (37.3 °C or more: no entry)."), 34)
    text(1650, declaration_url(site), 24)
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=True)
    return out.getvalue()
