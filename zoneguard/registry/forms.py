from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.excel import SpreadsheetRefused, spreadsheet_size_check
from zoneguard.core.web import DateInput, set_choices_queryset

from . import scoping
from .models import Membership, Organisation, OrganisationKind, Person, Sector, Site, SiteKind
from .selectors import site_label, site_label_q
from .services import MEMBERSHIP_FIELDS, ORGANISATION_FIELDS, SITE_FIELDS

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from zoneguard.accounts.models import User


# Up to this many organisations or sites to choose from, a form offers a dropdown; more are typed,
# with suggestions (OrganisationChoiceField, SiteChoiceField).
DROPDOWN_LIMIT = 100


class SuggestInput(forms.TextInput):
    """A text field that a static script (core/static/zoneguard/suggest.js) offers suggestions to
    as the user types, from a small JSON view in the user's scope; without the script, the text
    itself is searched (a filter) or looked up (a form's choice). Replaces a dropdown of every
    organisation or site of a district."""

    def __init__(self, url_name: str) -> None:
        super().__init__(attrs={"autocomplete": "off", "data-suggest-url": url_name})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-suggest-url"] = reverse(widget_attrs["data-suggest-url"])
        return context


def organisation_search_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=200, widget=SuggestInput("registry:organisation-suggest")
    )


class TypedPastDropdown(forms.ModelChoiceField):
    """A choice among the field's queryset (what the user may choose): a dropdown when they are
    few, otherwise typed with suggestions as the user types, since a district's thousands of
    organisations, sites or accounts do not fit a dropdown. The typed text is looked up among the
    same choices."""

    # Each subclass names its model, its suggestions and, in its "unknown" and "ambiguous" error
    # messages, what is chosen.
    choice_model: Any = None
    suggest_url = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=self.choice_model.objects.none(), **kwargs)
        self._typed_for: Any = None
        self._typed = False

    def typed_label(self, obj: Any) -> str:
        raise NotImplementedError

    def typed_match(self, text: str) -> Q:
        raise NotImplementedError

    @property
    def typed(self) -> bool:
        """Whether the choices are too many for a dropdown (counted once per queryset)."""
        if self.queryset is None:
            return False
        if self._typed_for is not self.queryset:
            self._typed_for, self._typed = self.queryset, self.queryset.count() > DROPDOWN_LIMIT
        return self._typed

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        if self.typed and not isinstance(self.widget, SuggestInput):
            self.widget = SuggestInput(self.suggest_url)
            self.widget.is_required = self.required
        return super().get_bound_field(form, field_name)

    def prepare_value(self, value: Any) -> Any:
        if self.typed and isinstance(value, self.choice_model):
            return self.typed_label(value)
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Any:
        if not self.typed:
            return super().to_python(value)
        text = value.strip() if isinstance(value, str) else value
        if text in self.empty_values or isinstance(text, self.choice_model):
            return text or None
        offered = cast("QuerySet[Any]", self.queryset)  # set, since typed
        matches = list(offered.filter(self.typed_match(str(text))).order_by("pk")[:2])
        if not matches:
            raise ValidationError(self.error_messages["unknown"], code="invalid_choice", params={"value": text})
        if len(matches) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": text})
        return matches[0]


class OrganisationChoiceField(TypedPastDropdown):
    """An organisation, typed by its name or its unified social credit code past a dropdown."""

    choice_model = Organisation
    suggest_url = "registry:organisation-suggest"
    default_error_messages = {
        "unknown": _("No organisation you may choose is called “%(value)s”."),
        "ambiguous": _("Several organisations are called “%(value)s”: type its unified social credit code."),
    }

    def typed_label(self, obj: Any) -> str:
        return str(obj.name)

    def typed_match(self, text: str) -> Q:
        return Q(name=text) | Q(credit_code=text.upper())


class SiteChoiceField(TypedPastDropdown):
    """A site, typed as the suggestions name it ("organisation · site") past a dropdown."""

    choice_model = Site
    suggest_url = "registry:site-suggest"
    default_error_messages = {
        "unknown": _("No site you may choose is called “%(value)s”."),
        "ambiguous": _("Several sites are called “%(value)s”: pick one from the suggestions."),
    }

    def typed_label(self, obj: Any) -> str:
        return site_label(obj)

    def typed_match(self, text: str) -> Q:
        named = site_label_q(text)
        return named if named is not None else Q(name=text)


def site_search_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=300, widget=SuggestInput("registry:site-suggest"))


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)

    def __init__(self, *args: Any, actor: User, editable: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        """`editable`: the fields the actor may change (services.organisation_editable_fields)."""
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if editable is not None and name not in editable:
                del self.fields[name]
        visible = scoping.visible_organisations(actor)
        if "community" in self.fields:
            set_choices_queryset(self, "community", Organisation.objects.filter(kind=OrganisationKind.COMMUNITY))
        if "parent" in self.fields:
            set_choices_queryset(self, "parent", visible.exclude(kind=OrganisationKind.COMMUNITY))

    def _post_clean(self) -> None:
        # Model validation happens in the service, which reports errors back onto the form.
        pass


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = list(SITE_FIELDS)
        help_texts = {"default_dwell_minutes": _("480 at workplaces, 60 at markets and shops.")}

    def _post_clean(self) -> None:
        pass


class PersonCreateForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    organisation = OrganisationChoiceField(label=_("Organisation"), required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manageable = [o.pk for o in scoping.visible_organisations(actor) if scoping.can_manage_organisation(actor, o)]
        set_choices_queryset(self, "organisation", Organisation.objects.filter(pk__in=manageable))
        self.fields["organisation"].required = not scoping.is_commander(actor)


class PersonForm(forms.Form):
    """A person's name and phone as the actor sees them (their organisation's record, the registry's
    for the commander); the ID number for the commander only."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    def __init__(self, *args: Any, person: Person, actor: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"name": person.shown_name, "id_number": person.id_number, "phone": person.shown_phone}
        )
        super().__init__(*args, **kwargs)
        if not scoping.is_commander(actor):
            del self.fields["id_number"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = list(MEMBERSHIP_FIELDS)
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
        }

    def _post_clean(self) -> None:
        pass


class MemberAddForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)


class StaffImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            spreadsheet_size_check(file.size or 0)
        except SpreadsheetRefused as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return file


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(label=_("Keep"), queryset=Person.objects.all(), widget=forms.HiddenInput)
    duplicate = forms.ModelChoiceField(
        label=_("Merge and remove"), queryset=Person.objects.all(), widget=forms.HiddenInput
    )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices])
    sector = forms.ModelChoiceField(
        label=_("Sector"), required=False, queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    community = forms.ModelChoiceField(
        label=_("Community"), required=False, queryset=Organisation.objects.none(), empty_label=_("All communities")
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "community", Organisation.objects.filter(kind=OrganisationKind.COMMUNITY))


class SiteFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *SiteKind.choices])


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name, or a whole ID number or phone")
    )
    organisation = organisation_search_field(_("Organisation"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
