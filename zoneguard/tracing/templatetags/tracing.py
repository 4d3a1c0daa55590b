"""`{% trace_link person_id %}`: the way from a fever alert or an incident to the person's trace,
shown to those who may trace."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..access import can_trace

register = template.Library()


@register.simple_tag(takes_context=True)
def trace_link(context: Any, person_id: int | None) -> str:
    request = context.get("request")
    if person_id is None or request is None or not can_trace(request.user):
        return ""
    return format_html(
        '<a class="button secondary" data-testid="trace-link" href="{}?person={}">{}</a>',
        reverse("tracing:trace"),
        person_id,
        _("Trace contacts"),
    )
