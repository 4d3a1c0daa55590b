"""Economic dispatch over the shared zone.

A project of enterprise A (its group owns the building project 项目丙), department B (建设局)
responsible. Who sees it: the commander, officer B (responsible), officer A (经发局, competent for
enterprises, so for the owner), admin A (the owner). Department C (招商局) is the investment
attraction department: it owns the leads and is competent for enterprises of the IT sector only,
so it does not see enterprise A's projects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zoneguard.core.roles import Role
from zoneguard.dispatch import services
from zoneguard.dispatch.models import Contract, LeadDesk, Project, ProjectStatus
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (a gate's token: reaches no project)
from zoneguard.registry.models import CompetenceRule, Department, OrganisationKind, Sector
from zoneguard.testing import make_user

# Everyone who must see no project: another enterprise's admin, the investment attraction
# department's officer, the owner's gate officer, a community worker, a volunteer.
PROJECT_OUTSIDERS = ("admin_b", "officer_c", "gate_a", "community_worker", "volunteer")
# Everyone who must see no lead.
LEAD_OUTSIDERS = ("officer_a", "officer_b", "admin_a", "admin_b", "gate_a", "volunteer")


@dataclass
class Dispatch:
    department_c: Department
    sector_it: Sector
    project: Project
    contract: Contract


def project_data(zone: Any, **fields: Any) -> dict[str, Any]:
    return {
        "name": "高新区标准厂房三期",
        "owner": zone.enterprise_a,
        "sector": zone.sector_construction,
        "kind": "industrial",
        "department": zone.department_b,
        "total_investment": Decimal("52000.00"),
        "plan_year": 2020,
        "year_planned_investment": Decimal("18000.00"),
        "planned_start": date(2019, 10, 1),
        "planned_completion": date(2021, 6, 30),
        **fields,
    }


@pytest.fixture
def dispatch(zone: Any) -> Dispatch:
    department_c = Department.objects.create(code="dept-c", name="招商局")
    LeadDesk.objects.create(department=department_c)
    sector_it = Sector.objects.create(code="it", name="信息技术")
    CompetenceRule.objects.create(
        department=department_c, organisation_kind=OrganisationKind.ENTERPRISE, sector=sector_it
    )
    zone.users["officer_c"] = make_user("officer_c", Role.DEPARTMENT_OFFICER, department=department_c)
    project = services.project_create(actor=zone.commander, data=project_data(zone), building_sites=[zone.project])
    services.project_change_status(
        actor=zone.commander, project=project, status="under_construction", on=date(2019, 11, 1)
    )
    services.project_change_status(actor=zone.commander, project=project, status="suspended", on=date(2020, 1, 25))
    services.project_change_status(actor=zone.commander, project=project, status="resumed", on=date(2020, 2, 20))
    project.refresh_from_db()
    assert project.status == ProjectStatus.RESUMED
    contract = services.contract_add(
        actor=zone.commander,
        project=project,
        data={"contractor": "中建五局", "number": "GT-2020-001", "amount": Decimal("1000.00")},
    )
    return Dispatch(department_c=department_c, sector_it=sector_it, project=project, contract=contract)


@pytest.fixture
def concurrent_db(dispatch: Dispatch, tmp_path: Any) -> Any:
    from zoneguard.testing import database_shared_by_threads

    with database_shared_by_threads(tmp_path):
        yield dispatch
