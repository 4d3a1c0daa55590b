from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zoneguard.core.api import MAX_ID


class TraceForm(forms.Form):
    q = forms.CharField(label=_("Name or ID number"), max_length=50, required=False)
    person = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Days back"), min_value=1, max_value=30, initial=14)
    min_overlap_minutes = forms.IntegerField(label=_("Minimum overlap (minutes)"), min_value=1, max_value=1440)
    depth = forms.TypedChoiceField(
        label=_("Depth"),
        coerce=int,
        choices=[(1, _("Contacts")), (2, _("Contacts and their contacts"))],
        initial=2,
    )


class PeopleField(forms.Field):
    """The people ticked in a list: ids, each checked by the service against the trace's scope."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value or []
        if not all(str(v).isdigit() and 0 < int(v) <= MAX_ID for v in values):
            raise ValidationError(_("Select people from the list."), code="invalid")
        return [int(v) for v in values]


class MarkForm(forms.Form):
    case = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    people = PeopleField(error_messages={"required": _("Select at least one person.")})
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReleaseForm(forms.Form):
    note = forms.CharField(label=_("Grounds"), max_length=200)


class EndStatusForm(forms.Form):
    case = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Grounds"),
        max_length=200,
        help_text=_("For example: the fever clinic's test was negative; the temperature was mistyped."),
    )
