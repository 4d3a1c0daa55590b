"""Writes of the gates module, one module per area; import from here."""

from .alerts import alert_acknowledge, alert_close, alert_retest, can_handle_alert
from .checkins import (
    MAX_BATCH,
    SITES,
    CheckinAnswer,
    CheckinItem,
    can_check_in,
    card_code_from,
    checkin_batch,
    checkin_record,
    decode_photo,
    gate_rules,
)
from .day_counts import rebuild_day_counts, refresh_day_counts
from .faces import can_manage_faces, face_delete, face_enrol, face_path
from .sites import site_gate_update

__all__ = [
    "MAX_BATCH",
    "SITES",
    "CheckinAnswer",
    "CheckinItem",
    "alert_acknowledge",
    "alert_close",
    "alert_retest",
    "can_check_in",
    "can_handle_alert",
    "can_manage_faces",
    "card_code_from",
    "checkin_batch",
    "checkin_record",
    "decode_photo",
    "face_delete",
    "face_enrol",
    "face_path",
    "gate_rules",
    "rebuild_day_counts",
    "refresh_day_counts",
    "site_gate_update",
]
