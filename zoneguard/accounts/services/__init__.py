"""Accounts: API tokens and sign-in events."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core import ratelimit
from zoneguard.core.errors import ApplicationError, Forbidden, InvalidInput
from zoneguard.core.hotcache import HotCache
from zoneguard.core.network import client_address
from zoneguard.core.roles import Role
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation, Site

from .. import selectors
from ..models import ApiToken, ApiTokenKind, User, generate_raw_token, hash_token
from ..second_factor import requires_second_factor, session_verified

# last_used_at is written at most this often, so that busy gate devices do not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class InvalidCredentials(ApplicationError):
    status = 401
    default_code = "invalid_credentials"


class SecondFactorRequired(ApplicationError):
    status = 401
    default_code = "second_factor_required"


class LockedOut(ApplicationError):
    status = 429
    default_code = "locked_out"


@transaction.atomic
def token_create(
    *,
    actor: User,
    user: User,
    name: str,
    kind: str = ApiTokenKind.PERSONAL,
    site: Site | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored and cannot be shown again.

    A person may create personal tokens for themself. Device tokens are created by the commander,
    and by an organisation admin for the sites of their organisations (selectors.
    device_organisations_q); tokens for others by the commander only. A device token is restricted
    to one site and reaches that site's gate only (accounts/auth.py). Personal tokens expire after
    settings.API_TOKEN_DAYS unless an earlier expiry is given."""
    commander = scoping.is_commander(actor)
    issues_devices = commander or selectors.device_organisations_q(actor) != scoping.NOTHING
    if kind == ApiTokenKind.DEVICE and not issues_devices:
        raise Forbidden()
    if kind == ApiTokenKind.PERSONAL and actor.pk != user.pk and not commander:
        if not issues_devices:
            raise Forbidden()
        raise InvalidInput.for_field("user", _("A personal token is for yourself; a gate's token is a device token."))
    own_gates = Organisation.objects.filter(selectors.device_organisations_q(actor))
    if site is not None and not commander and not own_gates.filter(pk=site.organisation_id).exists():
        raise Forbidden()
    if not name.strip():
        raise InvalidInput.for_field("name", _("Give the token a name, such as the device's location."))
    if kind == ApiTokenKind.DEVICE and site is None:
        raise InvalidInput.for_field("site", _("A device token works at one site: choose the site."))
    if site is not None and kind != ApiTokenKind.DEVICE:
        raise InvalidInput.for_field("site", _("Only a device token is restricted to a site."))
    if site is not None and user.organisation_id != site.organisation_id:
        raise InvalidInput.for_field("site", _("The site must belong to the token user's organisation."))
    if kind == ApiTokenKind.PERSONAL:
        longest = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
        expires_at = min(expires_at, longest) if expires_at is not None else longest
    raw = generate_raw_token()
    token = ApiToken.objects.create(
        user=user,
        kind=kind,
        name=name.strip()[:100],
        token_hash=hash_token(raw),
        hint=raw[:10],
        site=site,
        created_by=actor if actor.pk else None,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_CREATE,
        obj=token,
        organisation_id=user.organisation_id,
        detail={"user": user.get_username(), "kind": kind, "site_id": site.pk if site else None},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if not selectors.token_list(actor=actor).filter(pk=token.pk).exists():
        raise Forbidden()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action=AuditAction.TOKEN_REVOKE, obj=token, organisation_id=token.user.organisation_id
        )
    return token


@transaction.atomic
def tokens_revoke_for_user(*, user: User, reason: str, kinds: tuple[str, ...] | None = None) -> int:
    """Revoke a user's usable tokens (of `kinds`, or all): when their password changes (personal
    tokens: whoever had the old password may have made one) or their account is deactivated (all)."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if kinds is not None:
        tokens = tokens.filter(kind__in=kinds)
    ids = list(tokens.values_list("pk", flat=True))
    if not ids:
        return 0
    ApiToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
    TOKENS.clear()
    audit_record(
        actor=None,
        action=AuditAction.TOKEN_REVOKE,
        obj=user,
        organisation_id=user.organisation_id,
        detail={"tokens": ids, "reason": reason},
    )
    return len(ids)


# Tokens by hash, for a couple of seconds (core/hotcache.py); cleared by any token or user write.
TOKENS = HotCache()


def _token_by_hash(token_hash: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user", "site")
        .filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .order_by()
        .first()
    )


def token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for a raw bearer value, with its user and site loaded; None otherwise."""
    if not raw or not raw.startswith("zg_") or len(raw) > 100:
        return None
    token = TOKENS.get_or_load(hash_token(raw), _token_by_hash)
    if token is None or not token.is_usable:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_actor(token: ApiToken) -> User:
    """Whom a request made with this token acts as: a copy of the token's user, made per request,
    so that nothing a request stores on its actor reaches another through the token cache. A
    device token acts as a device of its site, whatever its user's role (accounts/auth.py)."""
    actor = copy.copy(token.user)
    if token.is_device:
        actor.role = Role.DEVICE
        actor.is_superuser = actor.is_staff = False
        actor.department_id = None
        actor.device_site_id = token.site_id
    return actor


def token_for_credentials(*, request: HttpRequest, username: str, password: str, code: str = "") -> str:
    """`POST /auth/token`: a new personal token for a user name and password.

    Goes through django-axes like the sign-in page, so guessing passwords here locks out too. The
    lockout counts failures per user name and address; trying many user names from one address
    is rate-limited here, before any password is checked."""
    address = ratelimit.client_subject(client_address(request))
    ratelimit.count(ratelimit.Limit("token.address", address, settings.RATE_LIMIT_TOKENS_PER_ADDRESS))
    user = authenticate(request=request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(_("Too many failed attempts. Try again later."))
    if user is None or not isinstance(user, User):
        raise InvalidCredentials(_("Wrong user name or password."))
    if requires_second_factor(user) and not _second_factor_passed(request, user, code):
        if code:
            raise InvalidCredentials(_("The code is wrong or was used already."), code="invalid_code")
        raise SecondFactorRequired(_("Give the code of your authenticator app (`code`)."))
    _token, raw = token_create(actor=user, user=user, name=_("API access %(date)s") % {"date": timezone.localdate()})
    return raw


def _second_factor_passed(request: HttpRequest, user: User, code: str) -> bool:
    """The code of one of the user's devices, or the request's session of the same user that passed
    its second factor on the sign-in page."""
    from .second_factor import second_factor_verify

    session_user = getattr(request, "user", None)
    if session_user is not None and session_user.pk == user.pk and session_verified(request):
        return True
    return bool(code) and second_factor_verify(user=user, code=code) is not None
