from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.web import BoundedDateField, DateInput

from .models import AuditAction, object_type_label


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit log", "Action"),
        required=False,
        choices=[("", _("All actions")), *AuditAction.choices],
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    date_to = BoundedDateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = Counter(object_type_label(t) for t in object_types)
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [
            ("", _("All types")),
            *sorted(((t, _type_choice(t, labels)) for t in object_types), key=lambda choice: choice[1]),
        ]


def _type_choice(object_type: str, labels: Counter[str]) -> str:
    """A kind of object by its name; with its stored name too where two kinds share a name."""
    label = object_type_label(object_type)
    return label if labels[label] == 1 else f"{label} · {object_type}"
