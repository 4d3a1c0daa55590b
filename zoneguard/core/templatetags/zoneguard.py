from typing import Any

from django import template

from zoneguard.core import masking

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
