"""Who sees and changes which organisations, through selectors, pages and the API."""

import pytest

from zoneguard.core.errors import Forbidden, NotFound
from zoneguard.registry import scoping, selectors, services
from zoneguard.registry.models import Organisation


def names(actor):
    return set(selectors.organisation_list(actor=actor).values_list("name", flat=True))


def test_it_shows_the_commander_every_organisation(zone):
    assert names(zone.commander) == {"祥光社区", "企业甲", "企业乙", "项目丙", "市场丁"}


def test_it_shows_an_organisation_admin_their_organisation_and_its_projects(zone):
    assert names(zone.admin_a) == {"企业甲", "项目丙"}
    assert names(zone.admin_b) == {"企业乙"}


def test_it_shows_a_gate_officer_only_their_organisation(zone):
    assert names(zone.gate_a) == {"企业甲"}


def test_it_shows_an_officer_what_their_department_is_competent_for(zone):
    assert names(zone.officer_a) == {"企业甲", "企业乙", "市场丁"}
    assert names(zone.officer_b) == {"项目丙"}


def test_competence_reads_kinds_and_sectors_of_what_is_not_an_organisation_yet(zone):
    from zoneguard.registry.models import CompetenceRule

    matching = Organisation.objects.filter  # any model with `kind` and `sector` will do: an application
    assert set(matching(scoping.competence_q(zone.officer_b)).values_list("name", flat=True)) == {"项目丙"}
    assert not matching(scoping.competence_q(zone.admin_a)).exists()
    assert matching(scoping.competence_q(zone.commander)).count() == 5
    # A rule without kind or sector covers every organisation, whatever the other rules say.
    CompetenceRule.objects.create(department=zone.department_b)
    zone.officer_b.refresh_from_db()
    assert matching(scoping.competence_q(zone.officer_b)).count() == 5


def test_it_shows_a_community_worker_the_community_and_its_organisations(zone):
    assert names(zone.community_worker) == {"祥光社区", "企业甲", "企业乙", "市场丁"}


def test_it_shows_a_volunteer_nothing(zone):
    assert names(zone.volunteer) == set()


def test_it_lets_a_sector_rule_narrow_competence(zone):
    from zoneguard.registry.models import CompetenceRule

    CompetenceRule.objects.filter(department=zone.department_a).delete()
    CompetenceRule.objects.create(department=zone.department_a, organisation_kind="", sector=zone.sector_construction)
    assert names(zone.officer_a) == {"项目丙"}


def test_it_answers_not_found_for_another_organisation(zone):
    with pytest.raises(NotFound):
        selectors.organisation_access(actor=zone.admin_a, pk=zone.enterprise_b.pk)
    with pytest.raises(NotFound):
        selectors.site_access(actor=zone.admin_a, pk=zone.site_b.pk)
    with pytest.raises(NotFound):
        selectors.person_access(actor=zone.admin_a, pk=zone.staff_b[0].pk)


def test_it_refuses_changes_outside_the_actor_s_rights(zone):
    with pytest.raises(Forbidden):
        services.organisation_update(actor=zone.admin_a, organisation=zone.enterprise_b, data={"name": "x"})
    with pytest.raises(Forbidden):
        services.organisation_update(actor=zone.gate_a, organisation=zone.enterprise_a, data={"name": "x"})
    with pytest.raises(Forbidden):
        services.organisation_update(actor=zone.officer_b, organisation=zone.enterprise_a, data={"name": "x"})
    zone.enterprise_b.refresh_from_db()
    assert zone.enterprise_b.name == "企业乙"


def test_it_keeps_an_officer_from_moving_an_organisation_out_of_their_competence(zone):
    from zoneguard.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.organisation_update(
            actor=zone.officer_a, organisation=zone.enterprise_a, data={"kind": "building_project"}
        )
    assert Organisation.objects.get(pk=zone.enterprise_a.pk).kind == "enterprise"


def test_it_lets_an_officer_register_only_competent_kinds(zone):
    organisation = services.organisation_create(actor=zone.officer_a, data={"name": "新企业", "kind": "enterprise"})
    assert organisation.pk
    with pytest.raises(Forbidden):
        services.organisation_create(actor=zone.officer_a, data={"name": "新项目", "kind": "building_project"})


def test_it_gives_personal_data_to_the_responsible_only(zone):
    person = zone.staff_a[0]
    assert scoping.is_commander(zone.commander)
    assert selectors.can_read_personal_data(actor=zone.commander, person=person)
    assert selectors.can_read_personal_data(actor=zone.admin_a, person=person)
    assert not selectors.can_read_personal_data(actor=zone.officer_a, person=person)
    assert not selectors.can_read_personal_data(actor=zone.gate_a, person=person)
    assert not selectors.can_read_personal_data(actor=zone.admin_b, person=person)


@pytest.mark.parametrize(
    "path",
    [
        "/registry/organisations/{enterprise_b}/",
        "/registry/organisations/{enterprise_b}/edit/",
        "/registry/organisations/{enterprise_b}/sites/new/",
        "/registry/organisations/{enterprise_b}/members/new/",
        "/registry/organisations/{enterprise_b}/import/",
        "/registry/people/{person_b}/",
        "/registry/people/{person_b}/edit/",
        "/registry/sites/{site_b}/edit/",
    ],
)
def test_it_answers_404_on_pages_of_another_organisation(zone, client_for, path):
    url = path.format(enterprise_b=zone.enterprise_b.pk, person_b=zone.staff_b[0].pk, site_b=zone.site_b.pk)
    client = client_for("admin_a")
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名"}).status_code == 404
    assert Organisation.objects.get(pk=zone.enterprise_b.pk).name == "企业乙"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/organisations/{enterprise_b}"),
        ("patch", "/api/v1/organisations/{enterprise_b}"),
        ("get", "/api/v1/sites/{site_b}"),
        ("patch", "/api/v1/sites/{site_b}"),
        ("get", "/api/v1/people/{person_b}"),
        ("patch", "/api/v1/people/{person_b}"),
        ("get", "/api/v1/memberships/{membership_b}"),
        ("patch", "/api/v1/memberships/{membership_b}"),
    ],
)
def test_it_answers_404_in_the_api_for_another_organisation(zone, api_for, method, path):
    membership_b = zone.staff_b[0].memberships.get()
    url = path.format(
        enterprise_b=zone.enterprise_b.pk,
        site_b=zone.site_b.pk,
        person_b=zone.staff_b[0].pk,
        membership_b=membership_b.pk,
    )
    client = api_for("admin_a")
    response = getattr(client, method)(url, {"name": "改名"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "企业乙" not in response.content.decode()
    assert Organisation.objects.get(pk=zone.enterprise_b.pk).name == "企业乙"


def test_it_does_not_list_other_organisations_in_the_api(zone, api_for):
    response = api_for("admin_a").get("/api/v1/organisations")
    assert {o["name"] for o in response.json()["items"]} == {"企业甲", "项目丙"}
    response = api_for("admin_a").get("/api/v1/people")
    assert {p["name"] for p in response.json()["items"]} == {"甲员工0", "甲员工1", "甲员工2"}
    response = api_for("admin_a").get("/api/v1/memberships", {"organisation_id": zone.enterprise_b.pk})
    assert response.json()["count"] == 0


def test_it_refuses_a_membership_into_another_organisation(zone, api_for):
    response = api_for("admin_a").post(
        "/api/v1/memberships",
        {"person_id": zone.staff_a[0].pk, "organisation_id": zone.enterprise_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not zone.staff_a[0].memberships.filter(organisation=zone.enterprise_b).exists()


def test_it_refuses_the_api_without_credentials(zone, client):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_department_that_only_serves_decides_nothing_and_reads_no_epidemic_records(zone, settings):
    """The tax bureau serves every taxpayer (a serving rule): its module sees them all, but it
    is no authority over their incidents, applications or staff's health."""
    from django.utils import timezone

    from zoneguard.core.roles import Role
    from zoneguard.health.models import Declaration
    from zoneguard.health.selectors import declaration_list
    from zoneguard.incidents.models import Incident
    from zoneguard.incidents.services import can_handle
    from zoneguard.registry.models import CompetenceRule, Department
    from zoneguard.tax import access as tax_access
    from zoneguard.testing import make_user

    settings.TAX_DEPARTMENT_CODE = "shuiwu-test"
    department = Department.objects.create(code="shuiwu-test", name="税务")
    CompetenceRule.objects.create(department=department, supervises=False)
    officer = make_user("serving", Role.DEPARTMENT_OFFICER, department=department)
    now = timezone.now()
    person = zone.staff_a[0]
    declaration = Declaration.objects.create(
        person=person,
        site=zone.site_a,
        name=person.name,
        phone="13800000000",
        status="red",
        reasons=["发热"],
        valid_until=now,
        declared_at=now,
    )
    incident = Incident.objects.create(
        organisation=zone.enterprise_a, kind="fever", title="发热", reported_by=zone.admin_a, occurred_at=timezone.now()
    )
    assert names(officer) == set()
    assert Organisation.objects.filter(scoping.organisation_q(officer, served=True)).count() == 5
    assert tax_access.taxpayers().filter(tax_access.taxpayer_q(officer, "")).count() == 4  # not the community
    assert not scoping.is_competent_for(officer, kind="enterprise", sector_id=None)
    assert scoping.is_competent_for(officer, kind="enterprise", sector_id=None, served=True)
    assert not Organisation.objects.filter(scoping.competence_q(officer)).exists()
    assert not can_handle(officer, incident)
    assert not declaration_list(actor=officer).exists()
    # The same rule supervising: the department is the organisations' authority again.
    CompetenceRule.objects.filter(department=department).update(supervises=True)
    scoping.scope_changed()
    assert can_handle(officer, incident)
    assert declaration_list(actor=officer).filter(pk=declaration.pk).exists()
