from __future__ import annotations

from decimal import Decimal

from django import template

from ..money import format_amount

register = template.Library()


@register.filter
def yuan(value: Decimal | None) -> str:
    """595646 → "595,646.00"; nothing → "—"."""
    return "—" if value is None or value == "" else format_amount(Decimal(value))


@register.inclusion_tag("tax/_nav.html", takes_context=True)
def tax_nav(context: template.Context) -> dict[str, object]:
    from zoneguard.registry.scoping import is_commander

    from ..access import can_administer

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "tax_officer": can_administer(user),
        "sees_all": can_administer(user) or is_commander(user),
        "path": getattr(request, "path", ""),
    }
