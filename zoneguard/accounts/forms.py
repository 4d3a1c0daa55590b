from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zoneguard.core.web import set_choices_queryset
from zoneguard.registry.models import Site

from .models import ApiTokenKind, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong user name or password."),
        "inactive": _("This account is disabled."),
    }


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Where or what the token is for."))
    user = forms.ModelChoiceField(label=_("For user"), queryset=User.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ApiTokenKind.choices, initial=ApiTokenKind.PERSONAL)
    site = forms.ModelChoiceField(
        label=_("Restricted to site"),
        queryset=Site.objects.none(),
        required=False,
        help_text=_("For a gate device: it can check people in at this site only."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor.is_commander:
            set_choices_queryset(self, "user", User.objects.filter(is_active=True).order_by("username"))
            set_choices_queryset(self, "site", Site.objects.select_related("organisation").filter(is_active=True))
        else:
            for name in ("user", "kind", "site"):
                del self.fields[name]
