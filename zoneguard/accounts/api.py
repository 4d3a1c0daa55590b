from django.http import HttpRequest
from ninja import Router

from zoneguard.core.api import ERRORS, ApiRequest

from . import services
from .auth import GATE_AUTH
from .schemas import MeOut, TokenIn, TokenOut

router = Router(tags=["accounts"])


@router.post("/auth/token", response={200: TokenOut, **ERRORS}, auth=None)
def token_obtain(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    """A new personal API token for a user name and password. Repeated failures lock the account out
    (429 `locked_out`); too many requests from one address, whatever the user names, are refused
    (429 `rate_limited`)."""
    return {
        "token": services.token_for_credentials(request=request, username=payload.username, password=payload.password)
    }


@router.get("/auth/me", response={200: MeOut, **ERRORS}, auth=GATE_AUTH)
def me(request: ApiRequest) -> object:
    """Who the credential acts as; a device token answers as a device of its site (`site_id`)."""
    return request.user
