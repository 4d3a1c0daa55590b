"""Writes of the volunteer corps, one module per area; import from here. Each checks the actor's
right (access.py), validates, writes its audit row in the same transaction and queues its
notifications there (they leave on commit), and raises ApplicationError subclasses on refusal."""

from .corps import certificate_issue, volunteer_apply, volunteer_approve, volunteer_register, volunteer_suspend
from .shifts import (
    shift_create,
    signup_cancel,
    signup_check_in,
    signup_check_out,
    signup_create,
    site_community_id,
)
from .tasks import check_photo, leaflets_record, task_complete, task_create, todo_close, visit_photo, visit_record

__all__ = [
    "certificate_issue",
    "check_photo",
    "leaflets_record",
    "shift_create",
    "signup_cancel",
    "signup_check_in",
    "signup_check_out",
    "signup_create",
    "site_community_id",
    "task_complete",
    "task_create",
    "todo_close",
    "visit_photo",
    "visit_record",
    "volunteer_apply",
    "volunteer_approve",
    "volunteer_register",
    "volunteer_suspend",
]
