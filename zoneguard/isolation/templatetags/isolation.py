"""`{% isolation_link person_id "alert" %}`: from a fever alert or an incident to a home-isolation
case for that person, shown to those who open cases."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..access import sees_cases

register = template.Library()


@register.simple_tag(takes_context=True)
def isolation_link(context: Any, person_id: int | None, source: str = "alert") -> str:
    request = context.get("request")
    if person_id is None or request is None or not sees_cases(request.user):
        return ""
    return format_html(
        '<a class="button secondary" data-testid="isolation-link" href="{}?person={}&amp;source={}">{}</a>',
        reverse("isolation:case_new"),
        person_id,
        source,
        _("Home isolation"),
    )
