from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from zoneguard.core.excel import SpreadsheetRefused, spreadsheet_size_check
from zoneguard.core.web import BoundedDateField, DateInput, MonthInput
from zoneguard.registry.forms import OrganisationChoiceField
from zoneguard.registry.models import Department, Organisation, Sector

from .models import FundingSource, LeadSector, LeadStage, ProjectKind, ProjectStatus, RiskState


def _date(label: Any, *, required: bool = True, **kwargs: Any) -> BoundedDateField:
    return BoundedDateField(label=label, required=required, widget=DateInput(), **kwargs)


def _money(label: Any, *, minimum: str = "0", required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal(minimum), max_digits=14, decimal_places=2
    )


class ProjectFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ProjectStatus.choices])
    sector = forms.ModelChoiceField(
        label=_("Sector"), required=False, queryset=Sector.objects.none(), empty_label=_("All")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ProjectKind.choices])
    risks_overdue = forms.BooleanField(label=_("With risks past their due date"), required=False)

    def __init__(self, *args: Any, officer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if officer:
            # An officer's filter keeps the risks that are theirs to act on (selectors.overdue_risks).
            self.fields["risks_overdue"].label = _(
                "With risks past their due date, on my department's projects or for my department"
            )


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = OrganisationChoiceField(label=_("Owner organisation"))
    # Boxes to tick rather than a list to Ctrl-click: a zone has tens of building projects.
    building_sites = forms.ModelMultipleChoiceField(
        label=_("Building sites"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    sector = forms.ModelChoiceField(label=_("Sector"), required=False, queryset=Sector.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=Department.objects.none())
    total_investment = _money(_("Total investment (10k yuan)"))
    plan_year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)
    year_planned_investment = _money(_("Planned investment this year (10k yuan)"))
    planned_start = _date(_("Planned start"), required=False)
    planned_completion = _date(_("Planned completion"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ProjectStatus.choices)
    on = _date(_("Date"))

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            field = self.fields["status"]
            assert isinstance(field, forms.ChoiceField)
            # Nothing chosen until the officer chooses: a status preselected is a click away from
            # pausing a project by mistake.
            field.choices = [*BLANK_CHOICE_DASH, *((v, label) for v, label in ProjectStatus.choices if v in allowed)]


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=200)
    planned_on = _date(_("Planned date"))
    achieved_on = _date(_("Actual date"), required=False)


class AchievedForm(forms.Form):
    achieved_on = _date(_("Actual date"))


class RiskForm(forms.Form):
    description = forms.CharField(label=_("Risk or problem"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(label=_("Owner department"), queryset=Department.objects.none())
    raised_on = _date(_("Raised on"), required=False, help_text=_("Today when left empty."))
    due_on = _date(_("Due date"))


class RiskStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=RiskState.choices)


class ProgressForm(forms.Form):
    month = BoundedDateField(
        label=_("Month"),
        widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    invested = _money(_("Investment this month (10k yuan)"))
    workers_on_site = forms.IntegerField(label=_("Workers on site"), min_value=0, max_value=1_000_000, initial=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ContractForm(forms.Form):
    contractor = forms.CharField(label=_("Contractor"), max_length=200)
    number = forms.CharField(label=_("Contract number"), max_length=60)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    amount = _money(_("Contract amount (10k yuan)"), minimum="0.01")
    signed_on = _date(_("Signed on"), required=False)


class DisbursementForm(forms.Form):
    contract = forms.ChoiceField(label=_("Contract"))
    amount = _money(_("Amount (10k yuan)"), minimum="0.01")
    paid_on = _date(_("Paid on"))
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, contracts: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contract"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.pk, f"{c.number} · {c.contractor}") for c in contracts or []]


class DispatchTableForm(forms.Form):
    month = BoundedDateField(
        label=_("Month"),
        required=False,
        widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            spreadsheet_size_check(file.size or 0)
        except SpreadsheetRefused as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return file


class LeadFilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All")), *LeadSector.choices])


class LeadForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=LeadSector.choices)
    origin = forms.CharField(label=_("Origin"), required=False, max_length=100)
    estimated_investment = _money(_("Estimated investment (10k yuan)"))
    stage = forms.ChoiceField(label=_("Stage"), choices=LeadStage.choices, initial=LeadStage.CONTACT)
    on = _date(_("Since"))
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_owner = forms.CharField(label=_("Next step owner"), required=False, max_length=50)
    next_step_on = _date(_("Next step date"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class LeadStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=LeadStage.choices)
    on = _date(_("Date"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Required when the lead moves back."),
    )


class LeadOrganisationForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), required=False, queryset=Sector.objects.none())
    credit_code = forms.CharField(label=_("Unified social credit code"), required=False, max_length=18)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)


class LeadProjectForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=Department.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    plan_year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)
    year_planned_investment = _money(_("Planned investment this year (10k yuan)"))
