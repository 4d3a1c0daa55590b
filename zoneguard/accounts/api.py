from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.registry import selectors as registry_selectors

from . import selectors, services
from .auth import GATE_AUTH
from .schemas import (
    ApplicationDecidedOut,
    ApplicationDecisionIn,
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    ApplicationReceivedOut,
    InvitationCreatedOut,
    InvitationFilters,
    InvitationIn,
    InvitationOut,
    MeOut,
    TokenIn,
    TokenOut,
    UserFilters,
    UserOut,
    UserPatchIn,
)
from .services import applications, invitations, users

router = Router(tags=["accounts"])

PK = Path(..., ge=1, le=MAX_ID)


@router.post("/auth/token", response={200: TokenOut, **ERRORS}, auth=None)
def token_obtain(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    """A new personal API token for a user name and password. Repeated failures lock the account out
    (429 `locked_out`); too many requests from one address, whatever the user names, are refused
    (429 `rate_limited`). The commander and department officers give their second factor too
    (`code`), or call it from a session that passed it: without it 401 `second_factor_required`."""
    return {
        "token": services.token_for_credentials(
            request=request, username=payload.username, password=payload.password, code=payload.code
        )
    }


@router.get("/auth/me", response={200: MeOut, **ERRORS}, auth=GATE_AUTH)
def me(request: ApiRequest) -> object:
    """Who the credential acts as; a device token answers as a device of its site (`site_id`)."""
    return request.user


# --- Users ---------------------------------------------------------------------------------------


@router.get("/users", response={200: list[UserOut], **ERRORS})
@paginate(Paging)
def user_list(request: ApiRequest, filters: Query[UserFilters]) -> Any:
    """The accounts the caller manages or sees: the commander every one; a department officer those
    of the organisations their department supervises and their department's; an organisation admin
    their organisation's; a community worker their community's. Phones masked."""
    data = filters.dict()
    return selectors.user_list(actor=request.user, role=data["role"] or "", state=data["state"] or "", q=data["q"])


@router.patch("/users/{user_id}", response={200: UserOut, **ERRORS})
def user_update(request: ApiRequest, payload: UserPatchIn, user_id: int = PK) -> Any:
    """Change the role (to one the caller may grant where the user is), deactivate or reactivate,
    or reset the second factor. Users the caller does not see answer 404; those they see but may
    not change 403."""
    user = selectors.user_access(actor=request.user, pk=user_id)
    if payload.role is not None or payload.is_active is not None:
        users.user_update(actor=request.user, user=user, role=payload.role, is_active=payload.is_active)
    if payload.reset_second_factor:
        users.user_second_factor_reset(actor=request.user, user=user)
    return selectors.user_access(actor=request.user, pk=user_id)


# --- Invitations ---------------------------------------------------------------------------------


@router.get("/invitations", response={200: list[InvitationOut], **ERRORS})
@paginate(Paging)
def invitation_list(request: ApiRequest, filters: Query[InvitationFilters]) -> Any:
    """Invitations the caller sent, and those to the places in their scope."""
    return selectors.invitation_list(actor=request.user, state=filters.state or "")


@router.post("/invitations", response={201: InvitationCreatedOut, **ERRORS})
def invitation_create(request: ApiRequest, payload: InvitationIn) -> Any:
    """Invite someone to an account of a role in an organisation or department, as the granting
    rules allow (a place outside the caller's scope answers 404). The link is in the answer, once;
    the e-mail, when an address is given, goes out in `language`."""
    data = payload.dict()
    organisation = (
        registry_selectors.organisation_access(actor=request.user, pk=data["organisation_id"])
        if data["organisation_id"]
        else None
    )
    department = selectors.department(pk=data["department_id"]) if data["department_id"] else None
    invitation, raw = invitations.invitation_create(
        actor=request.user,
        role=data["role"],
        full_name=data["full_name"],
        email=data["email"],
        phone=data["phone"],
        organisation=organisation,
        department=department,
        language=data["language"],
    )
    invitation.link = invitations.invitation_link(raw)  # type: ignore[attr-defined]
    return 201, invitation


@router.post("/invitations/{invitation_id}/revoke", response={200: InvitationOut, **ERRORS})
def invitation_revoke(request: ApiRequest, invitation_id: int = PK) -> Any:
    """Revoke an invitation so its link no longer works; revoking a revoked or expired one changes nothing. Who sent
    it, or who may send such an invitation now (the granting rules), may revoke it; 403 for other managers who see
    it (see `GET /invitations`), 404 for the rest. 409 `invitation_used` once it was accepted."""
    invitation = selectors.invitation_access(actor=request.user, pk=invitation_id)
    return invitations.invitation_revoke(actor=request.user, invitation=invitation)


# --- Enterprise applications ---------------------------------------------------------------------


@router.post("/organisation-applications", response={201: ApplicationReceivedOut, **ERRORS}, auth=None)
def application_submit(request: HttpRequest, payload: ApplicationIn) -> Any:
    """Public: a workplace applies to be registered in the zone. Rate-limited per client address
    (429 `rate_limited`); a credit code already registered or under review is refused (422
    `duplicate_credit_code`) in the same words either way."""
    data = payload.dict()
    data["sector"] = selectors.sector(pk=data.pop("sector_id")) if data["sector_id"] else None
    application = applications.application_submit(
        request=request, data=data, language=translation.get_language() or settings.LANGUAGE_CODE
    )
    return 201, application


@router.get("/organisation-applications", response={200: list[ApplicationOut], **ERRORS})
@paginate(Paging)
def application_list(request: ApiRequest, status: Query[ApplicationFilters]) -> Any:
    """The applications of the kinds and sectors the caller's department is competent for (the
    commander: all)."""
    return selectors.application_list(actor=request.user, status=status.status or "")


@router.post("/organisation-applications/{application_id}/decision", response={200: ApplicationDecidedOut, **ERRORS})
def application_decide(request: ApiRequest, payload: ApplicationDecisionIn, application_id: int = PK) -> Any:
    """Approve (the organisation is created and its contact invited as admin; the link is in the
    answer, once) or refuse with a reason. Decided already: 409 `application_decided`."""
    application = selectors.application_access(actor=request.user, pk=application_id)
    link = ""
    if payload.decision == "approve":
        application, raw = applications.application_approve(actor=request.user, application=application)
        link = invitations.invitation_link(raw)
    else:
        application = applications.application_refuse(
            actor=request.user, application=application, reason=payload.reason
        )
    application.invitation_link = link  # type: ignore[attr-defined]
    return application
