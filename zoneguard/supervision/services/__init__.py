"""Writes of supervision, one module per area; import from here. Each checks the actor's right
(access.py), validates, writes its audit row in the same transaction, and raises ApplicationError
subclasses on refusal."""

from .meetings import (
    agenda_add,
    decision_add,
    decision_to_item,
    meeting_create,
    meeting_minutes_save,
    meeting_update,
    minutes_send,
)
from .scores import month_close, scheme_save
from .tasks import department_head_set, item_create, item_report, remind_overdue, task_create

__all__ = [
    "agenda_add",
    "decision_add",
    "decision_to_item",
    "department_head_set",
    "item_create",
    "item_report",
    "meeting_create",
    "meeting_minutes_save",
    "meeting_update",
    "minutes_send",
    "month_close",
    "remind_overdue",
    "scheme_save",
    "task_create",
]
