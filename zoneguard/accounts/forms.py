from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneguard.core.excel import SpreadsheetRefused, spreadsheet_size_check
from zoneguard.core.roles import Role
from zoneguard.core.web import set_choices_queryset
from zoneguard.registry.forms import OrganisationChoiceField, SiteChoiceField, TypedPastDropdown
from zoneguard.registry.models import Department, Sector, Site
from zoneguard.registry.scoping import NOTHING
from zoneguard.registry.validators import normalize_credit_code, normalize_phone, validate_credit_code, validate_mobile

from .models import APPLICANT_KINDS, ApiTokenKind, User
from .selectors import device_organisations_q


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong user name or password."),
        "inactive": _("This account is disabled."),
    }


class UserChoiceField(TypedPastDropdown):
    """An account, typed by its username past a dropdown (a district has thousands)."""

    choice_model = User
    suggest_url = "accounts:user-suggest"
    default_error_messages = {"unknown": _("No user you may choose is called “%(value)s”.")}

    def typed_label(self, obj: Any) -> str:
        return str(obj.username)

    def typed_match(self, text: str) -> Q:
        return Q(username=text)  # unique: never ambiguous


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Where or what the token is for."))
    user = UserChoiceField(label=_("For user"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ApiTokenKind.choices, initial=ApiTokenKind.PERSONAL, required=False
    )  # personal when not sent
    site = SiteChoiceField(
        label=_("Restricted to site"),
        required=False,
        help_text=_("For a gate device: it can check people in at this site only."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor.is_commander:
            set_choices_queryset(self, "user", User.objects.filter(is_active=True).order_by("username"))
            set_choices_queryset(self, "site", Site.objects.select_related("organisation").filter(is_active=True))
            return
        own_gates = device_organisations_q(actor, "organisation")
        if own_gates == NOTHING:
            for name in ("user", "kind", "site"):
                del self.fields[name]
            return
        # An organisation admin: their own tokens, and device tokens for their organisations' gates
        # held by one of their organisations' accounts.
        users = User.objects.filter(own_gates, is_active=True).order_by("username")
        set_choices_queryset(self, "user", users)
        sites = Site.objects.select_related("organisation").filter(own_gates, is_active=True)
        set_choices_queryset(self, "site", sites)
        self.fields["user"].help_text = _(
            "For a device token: an account of the site's organisation (you, when empty)."
        )


# --- Two-factor sign-in ----------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's, and the password is then the user's own: no more forced change."""

    def save(self, commit: bool = True) -> Any:
        self.user.must_change_password = False
        return super().save(commit=commit)


class SetPasswordForm(DjangoSetPasswordForm):
    """Django's reset form: a password chosen through the e-mailed link is the user's own too."""

    def save(self, commit: bool = True) -> Any:
        self.user.must_change_password = False
        return super().save(commit=commit)


# --- Invitations -----------------------------------------------------------------------------------


class InvitationForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=())
    organisation = OrganisationChoiceField(label=_("Organisation"), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("The invitation is sent here."))
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE)

    def __init__(self, *args: Any, roles: list[str], organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(role, labels[role]) for role in roles]
        set_choices_queryset(self, "organisation", organisations)
        if Role.DEPARTMENT_OFFICER in roles:
            set_choices_queryset(self, "department", Department.objects.filter(is_active=True))
        else:
            del self.fields["department"]


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            spreadsheet_size_check(file.size or 0)
        except SpreadsheetRefused as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return file


# --- Users -------------------------------------------------------------------------------------------


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Username or name"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All")), *Role.choices], required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
        required=False,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(role, labels[role]) for role in roles]


class TemporaryPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The user must choose their own at the next sign-in."),
    )


# --- Enterprise applications -------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Name of the enterprise"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=APPLICANT_KINDS, initial="enterprise")
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=40)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    total_staff = forms.IntegerField(label=_("Total staff"), min_value=0, max_value=10_000_000)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, help_text=_("A mainland mobile number."))
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), help_text=_("The decision, and the invitation to an account, are sent here.")
    )

    # The service checks these again (the API has no form); checked here too, so that the applicant
    # sees every mistake at once rather than a wrong check digit only after the missing fields.
    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_contact_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["contact_phone"])
        validate_mobile(phone)
        return phone


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
