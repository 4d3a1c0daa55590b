from django import template

from zoneguard.core import masking

register = template.Library()


@register.filter
def mask_phone(value: str | None) -> str:
    return masking.mask_phone(value)


@register.filter
def mask_id_number(value: str | None) -> str:
    return masking.mask_id_number(value)
