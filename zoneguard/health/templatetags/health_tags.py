from django import template

from zoneguard.core import masking

register = template.Library()


@register.filter
def mask_name(value: str | None) -> str:
    return masking.mask_name(value)
