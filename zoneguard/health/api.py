from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, ApiRequest, Paging
from zoneguard.core.network import client_address

from . import selectors, services
from .schemas import DeclarationFilters, DeclarationIn, DeclarationListOut, DeclarationOut

router = Router(tags=["health"])


@router.post("/declarations", response={201: DeclarationOut, **ERRORS}, auth=None)
def declaration_submit(request: HttpRequest, payload: DeclarationIn) -> Any:
    """Public (no sign-in), like the form behind the site's QR poster. A wrong site code is 404,
    an invalid ID number, phone or temperature 422. Every accepted declaration is answered alike,
    whether or not its ID number was registered, and with no id of ours: its status and the
    signed address of its status card. Rate-limited per client address and per site code: 429
    when exceeded."""
    site = services.declaration_site_admit(site_code=payload.site_code, client=client_address(request))
    data = payload.dict(by_alias=True)
    declaration = services.declaration_submit(
        actor=None,
        site=site,
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
        temperature=payload.temperature,
        travel=data["travel"],
        contact_with_case=payload.contact_with_case,
        symptoms=[str(s) for s in payload.symptoms],
        contacts=data["contacts"],
    )
    return 201, declaration


@router.get("/declarations", response={200: list[DeclarationListOut], **ERRORS})
@paginate(Paging)
def declaration_list(request: ApiRequest, filters: Query[DeclarationFilters]) -> Any:
    """Declarations at the caller's sites or by the people they see; names and phones masked."""
    return selectors.declaration_list(actor=request.user, **filters.dict())
