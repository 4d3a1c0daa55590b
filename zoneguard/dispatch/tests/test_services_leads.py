"""Investment leads: stage moves and their dated history, lead → organisation, lead → project, the
funnel's figures, and who owns leads (the investment attraction department, as data)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.dispatch import selectors, services
from zoneguard.dispatch.models import Lead, LeadDesk, ProjectStatus
from zoneguard.registry.models import Organisation

from .conftest import LEAD_OUTSIDERS

pytestmark = pytest.mark.django_db


def new_lead(
    zone: Any, name: str = "华为5G基站配套", sector: str = "5g", on: date = date(2020, 2, 3), **data: Any
) -> Lead:
    return services.lead_create(
        actor=zone.officer_c,
        data={
            "company_name": name,
            "sector": sector,
            "origin": "深圳",
            "estimated_investment": Decimal("30000.00"),
            **data,
        },
        on=on,
    )


def test_stages_move_forward_freely_and_back_only_with_a_reason(zone: Any, dispatch: Any) -> None:
    lead = new_lead(zone)
    services.lead_change_stage(actor=zone.officer_c, lead=lead, stage="negotiation", on=date(2020, 2, 10))
    with pytest.raises(InvalidInput) as error:
        services.lead_change_stage(actor=zone.officer_c, lead=lead, stage="visit", on=date(2020, 2, 12))
    assert error.value.code == "reason_required"
    services.lead_change_stage(
        actor=zone.officer_c, lead=lead, stage="visit", on=date(2020, 2, 12), reason="对方要求再次考察"
    )
    with pytest.raises(Conflict):
        services.lead_change_stage(actor=zone.officer_c, lead=lead, stage="visit", on=date(2020, 2, 13))
    with pytest.raises(InvalidInput):  # before the last change
        services.lead_change_stage(actor=zone.officer_c, lead=lead, stage="signed", on=date(2020, 2, 11))
    lead.refresh_from_db()
    assert (lead.stage, lead.stage_changed_on) == ("visit", date(2020, 2, 12))
    history = [(c.from_stage, c.to_stage, c.changed_on, c.reason) for c in lead.stage_changes.all()]
    assert history == [
        ("", "contact", date(2020, 2, 3), ""),
        ("contact", "negotiation", date(2020, 2, 10), ""),
        ("negotiation", "visit", date(2020, 2, 12), "对方要求再次考察"),
    ]
    assert AuditEvent.objects.filter(object_type="dispatch.lead").count() == 3


@pytest.mark.parametrize("username", LEAD_OUTSIDERS)
def test_only_the_investment_attraction_department_and_the_commander_own_leads(
    zone: Any, dispatch: Any, username: str
) -> None:
    lead = new_lead(zone)
    actor = zone.users[username]
    with pytest.raises(Forbidden):
        services.lead_create(actor=actor, data={"company_name": "某公司", "sector": "ai"})
    with pytest.raises(Forbidden):
        services.lead_change_stage(actor=actor, lead=lead, stage="visit")
    with pytest.raises(Forbidden):
        services.lead_update(actor=actor, lead=lead, data={"notes": "x"})
    with pytest.raises(NotFound):
        selectors.lead_access(actor=actor, pk=lead.pk)
    assert not selectors.lead_list(actor=actor).exists()
    assert selectors.lead_access(actor=zone.commander, pk=lead.pk) == lead


def test_the_investment_attraction_department_is_data(zone: Any, dispatch: Any) -> None:
    LeadDesk.objects.create(department=zone.department_a)
    officer_a = type(zone.officer_a).objects.get(pk=zone.officer_a.pk)
    assert new_lead(zone).pk in set(selectors.lead_list(actor=officer_a).values_list("pk", flat=True))


def test_a_registered_lead_becomes_an_organisation_once(zone: Any, dispatch: Any) -> None:
    lead = new_lead(zone, sector="ai", name="湘江智能科技有限公司")
    with pytest.raises(Conflict):
        services.lead_register_organisation(actor=zone.officer_c, lead=lead, sector=dispatch.sector_it)
    services.lead_change_stage(actor=zone.officer_c, lead=lead, stage="registered", on=date(2020, 3, 2))
    organisation = services.lead_register_organisation(actor=zone.officer_c, lead=lead, sector=dispatch.sector_it)
    assert (organisation.name, organisation.kind, organisation.sector) == (
        "湘江智能科技有限公司",
        "enterprise",
        dispatch.sector_it,
    )
    again = services.lead_register_organisation(actor=zone.officer_c, lead=lead, sector=dispatch.sector_it)
    assert again == organisation
    assert Organisation.objects.filter(name="湘江智能科技有限公司").count() == 1
    lead.refresh_from_db()
    assert lead.organisation == organisation
    # The registry's own rights apply: this department registers only IT enterprises.
    other = new_lead(zone, name="某新材料公司", sector="new_materials")
    services.lead_change_stage(actor=zone.officer_c, lead=other, stage="registered", on=date(2020, 3, 2))
    with pytest.raises(Forbidden):
        services.lead_register_organisation(actor=zone.officer_c, lead=other, sector=zone.sector_manufacturing)
    assert services.lead_register_organisation(actor=zone.commander, lead=other, sector=zone.sector_manufacturing)


def test_a_started_lead_becomes_a_project_once(zone: Any, dispatch: Any) -> None:
    lead = new_lead(zone, sector="iot", name="物联网传感器产业园")
    services.lead_change_stage(actor=zone.officer_c, lead=lead, stage="registered", on=date(2020, 3, 2))
    arguments = {
        "department": dispatch.department_c,
        "kind": "industrial",
        "plan_year": 2020,
        "year_planned_investment": Decimal("5000.00"),
    }
    with pytest.raises(Conflict) as error:
        services.lead_start_project(actor=zone.officer_c, lead=lead, **arguments)
    assert error.value.code == "not_started"
    services.lead_change_stage(actor=zone.officer_c, lead=lead, stage="started", on=date(2020, 3, 20))
    with pytest.raises(Conflict) as error:
        services.lead_start_project(actor=zone.officer_c, lead=lead, **arguments)
    assert error.value.code == "no_organisation"
    organisation = services.lead_register_organisation(actor=zone.officer_c, lead=lead, sector=dispatch.sector_it)
    with pytest.raises(InvalidInput):
        services.lead_start_project(actor=zone.officer_c, lead=lead, **{**arguments, "department": zone.department_b})
    project = services.lead_start_project(actor=zone.officer_c, lead=lead, **arguments)
    assert (project.owner, project.status, project.actual_start) == (
        organisation,
        ProjectStatus.UNDER_CONSTRUCTION,
        date(2020, 3, 20),
    )
    assert project.total_investment == Decimal("30000.00")
    assert services.lead_start_project(actor=zone.officer_c, lead=lead, **arguments) == project
    # The department that started it keeps the project.
    assert selectors.project_access(actor=zone.officer_c, pk=project.pk) == project


def test_the_funnel_per_sector_and_stage_and_the_conversion_times(zone: Any, dispatch: Any) -> None:
    a = new_lead(zone, name="甲", sector="5g", estimated_investment=Decimal("0.10"))
    b = new_lead(zone, name="乙", sector="5g", estimated_investment=Decimal("0.20"))
    c = new_lead(zone, name="丙", sector="ai", estimated_investment=Decimal("100.00"))
    new_lead(zone, name="丁", sector="smart_transport")
    services.lead_change_stage(actor=zone.officer_c, lead=a, stage="visit", on=date(2020, 2, 5))
    services.lead_change_stage(actor=zone.officer_c, lead=a, stage="negotiation", on=date(2020, 2, 15))
    services.lead_change_stage(actor=zone.officer_c, lead=b, stage="visit", on=date(2020, 2, 13))
    services.lead_change_stage(actor=zone.officer_c, lead=c, stage="signed", on=date(2020, 2, 24))
    result = selectors.lead_funnel(actor=zone.commander)
    cells = {(cell.sector, cell.stage): (cell.count, cell.estimated_investment) for cell in result.cells}
    assert cells == {
        ("5g", "negotiation"): (1, Decimal("0.10")),
        ("5g", "visit"): (1, Decimal("0.20")),
        ("ai", "signed"): (1, Decimal("100.00")),
        ("smart_transport", "contact"): (1, Decimal("30000.00")),
    }
    assert result.reached == {
        "contact": 4,
        "visit": 3,
        "negotiation": 2,
        "signed": 1,
        "registered": 0,
        "started": 0,
    }
    assert result.by_sector["5g"] == 2
    steps = {(s.from_stage, s.to_stage): (s.leads, s.median_days) for s in result.steps}
    # contact → visit: a 2 days, b 10, c 21 (skipped: the day it signed): median 10
    assert steps[("contact", "visit")] == (3, Decimal("10"))
    # visit → negotiation: a 10 days, c 0
    assert steps[("visit", "negotiation")] == (2, Decimal("5"))
    assert steps[("signed", "registered")] == (0, None)
    only_5g = selectors.lead_funnel(actor=zone.commander, sector="5g")
    assert only_5g.reached["contact"] == 2
    assert selectors.lead_funnel(actor=zone.admin_a).reached["contact"] == 0
