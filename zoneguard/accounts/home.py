"""What accounts offer a home page: the competent department (and the commander) the enterprise
applications waiting for a decision."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import Role, is_active_user, is_commander

from . import selectors


def home_items(user: Any) -> list[HomeItem]:
    if not is_active_user(user) or not (is_commander(user) or user.role == Role.DEPARTMENT_OFFICER):
        return []
    pending = selectors.pending_application_count(actor=user)
    if not pending:
        return []
    return [
        HomeItem(
            _("Enterprise applications waiting for a decision"),
            reverse("accounts:applications") + "?status=pending",
            value=str(pending),
            tone=Tone.WARN,
            order=30,
        )
    ]
