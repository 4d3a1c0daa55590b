from typing import Any

from django import template

from zoneguard.core import masking
from zoneguard.core.web import carried

register = template.Library()


@register.filter
def mask_phone(value: str | None) -> str:
    return masking.mask_phone(value)


@register.filter
def mask_id_number(value: str | None) -> str:
    return masking.mask_id_number(value)


@register.simple_tag(takes_context=True)
def page_link(context: Any, param: str, number: int) -> str:
    """The current query string with `param` (a list's page parameter) set to `number`."""
    query = context["request"].GET.copy()
    query[param] = str(number)
    query.pop("export", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def carried_form(context: Any, form: Any, action: str) -> Any:
    """`{% carried_form form action as form %}`: in a list of objects that each have a small form
    (one unbound form shared by all), the form of the object whose action was just refused holds
    what was typed, with its errors (core.web.carried). For forms built without arguments."""
    request = context.get("request")
    return carried(request, type(form), action) if request is not None else form
