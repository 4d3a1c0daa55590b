from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DeliveryRule, NotificationKind
from .services import RULE_FIELDS


class DeliveryRuleForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Notification kinds"),
        required=False,
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    webhook_url = forms.URLField(label=_("Robot webhook URL"), required=False, max_length=500, assume_scheme="https")
    webhook_secret = forms.CharField(
        label=_("Robot signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk robots with signing only. Leave empty to keep the stored secret."),
    )

    class Meta:
        model = DeliveryRule
        fields = list(RULE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.attrs["size"] = 1

    def _post_clean(self) -> None:
        # Model validation happens in the service, which reports errors back onto the form.
        pass
