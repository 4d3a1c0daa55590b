"""The release notice (解除居家隔离通知书): an A4 PDF in Chinese the resident downloads from their
link and shows at work or at the gate. Drawn with reportlab's built-in CID font, so no font file is
needed."""

from __future__ import annotations

import io

from django.utils import timezone, translation

from zoneguard.core.masking import mask_id_number

from .models import CaseStatus, IsolationCase


def release_notice_pdf(case: IsolationCase) -> bytes:
    """Only for a released case (the caller checks); always in Chinese, the language of the
    notice the gates and employers expect."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    assert case.status == CaseStatus.RELEASED and case.closed_at is not None
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    community = case.community.name if case.community else ""
    released = timezone.localdate(case.closed_at)
    with translation.override("zh-hans"):
        reason = str(case.get_reason_display())
    pdf.setTitle(f"解除居家隔离通知书 {case.pk}")
    pdf.setFont("STSong-Light", 24)
    pdf.drawCentredString(width / 2, height - 40 * mm, "解除居家隔离通知书")
    pdf.setFont("STSong-Light", 13)
    pdf.drawRightString(width - 25 * mm, height - 52 * mm, f"编号：{community[:12]}-{case.pk:06d}")
    lines = [
        f"{case.person.name}（身份证号 {mask_id_number(case.person.id_number)}）：",
        f"    您因{reason}，自 {case.start_date:%Y年%m月%d日} 起居家隔离，",
        f"至 {case.end_date:%Y年%m月%d日} 隔离期满。经社区工作人员核实，",
        f"自 {released:%Y年%m月%d日} 起解除居家隔离。",
        "    解除后请继续做好个人防护，进出小区、单位请配合测温登记。",
    ]
    y = height - 70 * mm
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 10 * mm
    worker = case.closed_by.display_name if case.closed_by else ""
    pdf.drawRightString(width - 25 * mm, y - 20 * mm, community)
    if worker:
        pdf.drawRightString(width - 25 * mm, y - 30 * mm, f"经办人：{worker}")
    pdf.drawRightString(width - 25 * mm, y - 40 * mm, f"{released:%Y年%m月%d日}")
    pdf.setFont("STSong-Light", 9)
    pdf.drawCentredString(width / 2, 15 * mm, "本通知书由 ZoneGuard 生成，可在居民个人链接中重新下载。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
