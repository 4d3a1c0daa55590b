"""Two-factor sign-in (django-otp): who must pass it, and whether a session has.

A session that passed the second factor carries django-otp's device key (django_otp.login). That
key is read here without a query: the device is not looked up again on every page. A manager's
reset of the factor deletes the devices and ends the user's sessions (User.get_session_auth_hash),
so no session outlives the factor it passed."""

from __future__ import annotations

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY

from zoneguard.core.roles import Role

# The people who hold ID numbers and health data of the whole district.
SECOND_FACTOR_ROLES = frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER})


def requires_second_factor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in SECOND_FACTOR_ROLES


# Set at sign-in for a user of another role who chose to set up a second factor: they pass it too.
DUE_SESSION_KEY = "zoneguard_second_factor_due"


def second_factor_due(request: Any) -> bool:
    return requires_second_factor(request.user) or bool(request.session.get(DUE_SESSION_KEY))


def session_verified(request: Any) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(DEVICE_ID_SESSION_KEY))


def session_cleared(request: Any) -> bool:
    """Whether the signed-in user of this session may go on: a second factor passed where one is
    needed."""
    return not second_factor_due(request) or session_verified(request)
