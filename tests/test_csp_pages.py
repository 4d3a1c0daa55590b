"""Every page of ZoneGuard under the Content-Security-Policy: each URL of the URL conf is opened,
its path parameters filled from the demo zone, and its response must carry the strict policy and
its HTML nothing the policy would block (inline scripts, <style>, style="", on...="", javascript:)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from zoneguard.accounts.demo import DEMO_INVITATION_TOKEN
from zoneguard.accounts.models import ApiToken, Invitation, OrganisationApplication, User
from zoneguard.accounts.services import token_create
from zoneguard.core.roles import Role
from zoneguard.demo.builder import load_demo_zone
from zoneguard.dispatch.models import Lead, Milestone, Project, Risk
from zoneguard.errands.models import Errand
from zoneguard.gates.models import FacePhoto, FeverAlert
from zoneguard.gates.services import face_enrol
from zoneguard.health.cards import card_path
from zoneguard.health.models import Declaration, Restriction
from zoneguard.incidents.models import Incident
from zoneguard.isolation.models import IsolationCase
from zoneguard.isolation.services import resident_token
from zoneguard.notices.models import Notice, NoticeAttachment
from zoneguard.notifications.models import Delivery, DeliveryRule, Notification
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Membership, Organisation, Person, Site
from zoneguard.reports.models import DailyReport
from zoneguard.resumption.models import ResumptionFiling
from zoneguard.supervision.models import Decision as MeetingDecision
from zoneguard.supervision.models import Evidence, KeyTask, Meeting, TaskItem
from zoneguard.supplies.models import Item, PriorityRule, SupplyRequest
from zoneguard.tax.models import (
    Appointment,
    Deferral,
    DeferralEvidence,
    Hall,
    HallClosure,
    HallWindow,
    OpeningHours,
    Policy,
    PolicyAttachment,
    PolicyCondition,
    Question,
    TaxProfile,
)
from zoneguard.testing import make_user, valid_credit_code
from zoneguard.tickets.models import RoutingRule, Ticket, TicketAttachment
from zoneguard.volunteers.models import Shift, ShopVisit, SignUp, Task, Todo, Volunteer

pytestmark = pytest.mark.django_db

JINHUA = "湖南金化科技集团有限公司"  # the demo enterprise of the demo user jinhua

# Pages for people who are not signed in, opened by them too: the page's header differs.
PUBLIC = {
    "accounts:login",
    "accounts:apply",
    "accounts:apply-done",
    "accounts:invitation-accept",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "admin:login",
    "health:declare",
    "health:card",
    "api:openapi-view",
    "isolation:resident",
    "errands:resident",
}

# The API's own operations answer JSON to programs; of the API only its documentation is a page.
API_PAGES = {"api:api-root", "api:openapi-json", "api:openapi-view"}

# The one documented exception: the API docs page allows data: images (zoneguard/api.py); ninja
# applies the same decorator to the OpenAPI document it loads.
DOCS = {"api:openapi-view", "api:openapi-json"}

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def first(model: Any, **filters: Any) -> Any:
    obj = model.objects.filter(**filters).order_by("pk").first()
    assert obj is not None, f"the walk needs a {model.__name__}"
    return obj


def pk(model: Any, **filters: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"pk": first(model, **filters).pk}


# How the walk fills the path parameters of each parametrised page.
PARAMS: dict[str, Callable[[], dict[str, Any]]] = {
    "exports:download": lambda: {"pk": 1},  # the demo has no background export: its "not found" page
    "accounts:token-revoke": pk(ApiToken),
    "accounts:invitation-revoke": pk(Invitation),
    "accounts:invitation-accept": lambda: {"token": DEMO_INVITATION_TOKEN},
    # A link no longer valid: the page that says so (a valid one redirects to its form).
    "accounts:password-reset-confirm": lambda: {"uidb64": "MQ", "token": "spent-link"},
    **{
        f"accounts:{name}": pk(User, username="gate")
        for name in ("user", "user-role", "user-active", "user-second-factor-reset", "user-password")
    },
    **{
        f"accounts:{name}": pk(OrganisationApplication)
        for name in ("application", "application-approve", "application-refuse")
    },
    "gates:person": pk(Person, face_photos__isnull=False),
    "gates:face-enrol": pk(Person, face_photos__isnull=False),
    "gates:alert": pk(FeverAlert),
    "gates:alert-acknowledge": pk(FeverAlert),
    "gates:alert-close": pk(FeverAlert),
    "gates:alert-retest": pk(FeverAlert),
    "gates:site": pk(Site),
    "gates:poster-png": pk(Site),
    "gates:poster-pdf": pk(Site),
    "gates:face-photo": pk(FacePhoto),
    "gates:face-delete": pk(FacePhoto),
    "health:declare": lambda: {"code": first(Site).code},
    "health:card": lambda: resolve(card_path(first(Declaration).card_code)).kwargs,
    "incidents:incident": pk(Incident),
    "incidents:acknowledge": pk(Incident),
    "incidents:note": pk(Incident),
    "incidents:close": pk(Incident),
    "errands:new": lambda: {"case_pk": first(IsolationCase, status="active").pk},
    **{
        f"errands:{name}": pk(Errand)
        for name in ("errand", "receipt", "accept", "assign", "deliver", "confirm", "settle", "cancel")
    },
    "errands:resident": lambda: {"token": resident_token(first(Errand).case)},
    **{
        f"errands:resident_{name}": lambda: {"token": resident_token(first(Errand).case), "pk": first(Errand).pk}
        for name in ("confirm", "cancel", "receipt")
    },
    **{
        f"supplies:{name}": pk(SupplyRequest)
        for name in ("request", "allocate", "hand_over", "acknowledge", "refuse", "withdraw")
    },
    "supplies:item_active": pk(Item),
    "supplies:priority_delete": pk(PriorityRule),
    "isolation:case": pk(IsolationCase, status="active"),
    "isolation:follow_up": pk(IsolationCase, status="active"),
    "isolation:assign": pk(IsolationCase, status="active"),
    "isolation:release": pk(IsolationCase, status="active"),
    "isolation:transfer": pk(IsolationCase, status="active"),
    "isolation:link_renew": pk(IsolationCase, status="active"),
    "isolation:resident": lambda: {"token": resident_token(first(IsolationCase, status="active"))},
    "isolation:resident_notice": lambda: {"token": resident_token(first(IsolationCase, status="released"))},
    "notices:notice": pk(Notice),
    "notices:publish": pk(Notice),
    "notices:edit": pk(Notice),
    "notices:attach": pk(Notice),
    "notices:attachment": lambda: {
        "pk": first(NoticeAttachment).notice_id,
        "attachment_pk": first(NoticeAttachment).pk,
    },
    "notifications:open": pk(Notification),
    "notifications:delivery-retry": pk(Delivery),
    "notifications:rule-edit": pk(DeliveryRule),
    "notifications:rule-test": pk(DeliveryRule),
    "registry:organisation": pk(Organisation),
    "registry:organisation-edit": pk(Organisation),
    "registry:site-create": lambda: {"organisation_pk": first(Organisation, kind="enterprise").pk},
    "registry:member-add": lambda: {"organisation_pk": first(Organisation, kind="enterprise").pk},
    "registry:staff-import": lambda: {"organisation_pk": first(Organisation, kind="enterprise").pk},
    "registry:site-edit": pk(Site),
    "registry:site-rotate-code": pk(Site),
    "registry:person": pk(Person),
    "registry:person-edit": pk(Person),
    "registry:membership-edit": pk(Membership),
    "reports:report": pk(DailyReport),
    "resumption:filing": pk(ResumptionFiling),
    "resumption:filing-edit": pk(ResumptionFiling, organisation__name=JINHUA),
    "resumption:filing-decide": pk(ResumptionFiling),
    "resumption:filing-document": pk(ResumptionFiling, plan_document__gt=""),
    "tax:policy": pk(Policy),
    "tax:policy-edit": pk(Policy),
    "tax:policy-publish": pk(Policy),
    "tax:policy-withdraw": pk(Policy),
    "tax:condition-add": pk(Policy),
    "tax:condition-remove": lambda: {"pk": first(PolicyCondition).policy_id, "condition_pk": first(PolicyCondition).pk},
    "tax:attachment-add": pk(Policy),
    "tax:question-ask": pk(Policy),
    "tax:attachment": pk(PolicyAttachment),
    "tax:attachment-remove": pk(PolicyAttachment),
    "tax:question": pk(Question),
    "tax:taxpayer": lambda: {"pk": first(TaxProfile).organisation_id},
    "tax:taxpayer-profile": lambda: {"pk": first(TaxProfile, organisation__name=JINHUA).organisation_id},
    "tax:appointment": pk(Appointment),
    "tax:appointment-cancel": pk(Appointment),
    "tax:appointment-reschedule": pk(Appointment),
    "tax:appointment-arrived": pk(Appointment),
    "tax:appointment-no-show": pk(Appointment),
    "tax:window-edit": pk(HallWindow),
    "tax:hours-remove": pk(OpeningHours),
    "tax:closure-reopen": pk(HallClosure),
    "tax:deferral": pk(Deferral),
    "tax:evidence-add": pk(Deferral),
    "tax:evidence": pk(DeferralEvidence),
    "tracing:release": lambda: {"pk": _close_contact().pk},
    "volunteers:volunteer": pk(Volunteer),
    "volunteers:approve": pk(Volunteer),
    "volunteers:suspend": pk(Volunteer),
    "volunteers:certificate": pk(Volunteer),
    "volunteers:shift": pk(Shift),
    "volunteers:signup": pk(Shift),
    "volunteers:cancel": pk(SignUp),
    "volunteers:check-in": pk(SignUp),
    "volunteers:check-out": pk(SignUp),
    "volunteers:task": pk(Task, kind="canvassing"),
    "volunteers:task-complete": pk(Task),
    "volunteers:visit": lambda: {"pk": first(ShopVisit).task_id, "shop_pk": first(ShopVisit).shop_id},
    "volunteers:leaflets": pk(Task, kind="leaflets"),
    "volunteers:visit-photo": pk(ShopVisit),
    "volunteers:todo-close": pk(Todo),
    **{
        f"tickets:{name}": pk(Ticket)
        for name in (
            "ticket",
            "attach",
            "accept",
            "pass-on",
            "message",
            "resolve",
            "confirm",
            "reopen",
            "rate",
            "withdraw",
        )
    },
    "tickets:attachment": lambda: {
        "pk": first(TicketAttachment).ticket_id,
        "attachment_pk": first(TicketAttachment).pk,
    },
    "tickets:rule-delete": pk(RoutingRule),
    **{
        f"dispatch:{name}": pk(Project)
        for name in (
            "project",
            "project-edit",
            "project-status",
            "milestone-add",
            "risk-add",
            "progress",
            "contract-add",
            "disbursement",
        )
    },
    "dispatch:milestone-achieved": lambda: {"pk": first(Milestone).project_id, "milestone_pk": first(Milestone).pk},
    "dispatch:risk-state": lambda: {"pk": first(Risk).project_id, "risk_pk": first(Risk).pk},
    **{f"dispatch:{name}": pk(Lead) for name in ("lead", "lead-stage", "lead-organisation", "lead-project")},
    "supervision:task": pk(KeyTask),
    "supervision:item": pk(TaskItem),
    "supervision:report": pk(TaskItem),
    "supervision:evidence": lambda: {"pk": first(Evidence).report.item_id, "evidence_pk": first(Evidence).pk},
    "supervision:score": lambda: {
        "department": first(KeyTask).department_id,
        "month": f"{timezone.localdate():%Y-%m}",
    },
    "supervision:close": lambda: {"month": f"{timezone.localdate().replace(day=1) - timedelta(days=1):%Y-%m}"},
    **{
        f"supervision:{name}": pk(Meeting)
        for name in ("meeting", "meeting-edit", "agenda", "minutes", "decision", "minutes-send")
    },
    "supervision:decision-item": lambda: {
        "pk": first(MeetingDecision).meeting_id,
        "decision": first(MeetingDecision).pk,
    },
}


def _close_contact() -> Any:
    """The demo marks nobody: the walk marks the first person it finds."""
    restriction, _created = Restriction.objects.get_or_create(
        person=first(Person), kind="close_contact", released_at=None, defaults={"started_at": timezone.now()}
    )
    return restriction


# Who opens each page: the commander, except for the pages the commander does not get (an
# enterprise's own forms, the tax bureau's back office), and a superuser for the admin.
USERS = {
    "accounts:two-factor": "jinhua",  # no second factor yet: the page that sets one up
    "resumption:filing-create": "newcomer",
    "resumption:filing-edit": "jinhua",
    "reports:file": "hongkun",
    "tax:taxpayer-profile": "jinhua",
    "tax:appointment-book": "jinhua",
    "tax:deferral-create": "jinhua",
    "tax:policy-create": "taxofficer",
    "tax:policy-edit": "taxofficer",
    "tax:hall": "taxofficer",
    "tax:window-create": "taxofficer",
    "tax:window-edit": "taxofficer",
    "volunteers:my": "volunteer",
    "tickets:new": "hongkun",
}


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, set[str]]]:
    """(qualified name, path parameter names) of every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", set(pattern.pattern.regex.groupindex)


def admin_kwargs(name: str, params: set[str]) -> list[dict[str, Any]]:
    """Every admin page: the index, each app's list, each model's list, add, change, history and
    delete pages (the last three for its first object)."""
    if not params:
        return [{}]
    if params == {"app_label"}:
        return [{"app_label": label} for label in sorted({m._meta.app_label for m in admin.site._registry})]
    if params == {"content_type_id", "object_id"}:
        site = first(Site)
        return [{"content_type_id": ContentType.objects.get_for_model(Site).pk, "object_id": site.pk}]
    if name == "admin:auth_user_password_change":  # UserAdmin's own page, named for auth.User whatever the model
        return [{"id": first(User).pk}]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            (param,) = params
            obj = model.objects.order_by("pk").first()
            return [{param: obj.pk}] if obj is not None else []
    raise AssertionError(f"{name}: an admin page the walk does not know")


def page_urls() -> Iterator[tuple[str, str]]:
    for name, params in walk(get_resolver().url_patterns):
        if name.startswith("api:") and name not in API_PAGES:
            continue
        if name.startswith("admin:"):
            for kwargs in admin_kwargs(name, params):
                yield name, reverse(name, kwargs=kwargs)
        elif params:
            assert name in PARAMS, f"{name} takes {sorted(params)}: say in PARAMS how the walk fills them"
            yield name, reverse(name, kwargs=PARAMS[name]())
        else:
            yield name, reverse(name)


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks in a page: script elements that run without src,
    <style> elements, style attributes, event handler attributes, javascript: URLs and htmx's
    evaluated attributes. A json_script block (type application/json) is data, never run."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.found.append(f"<script> without src {values}")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or re.fullmatch(r"on[a-z]+", name) or name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}={value!r}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any) -> dict[str, User]:
    """The demo zone, plus one object of each kind it leaves out, and a superuser for the admin."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GATES_FACE_ROOT = tmp_path / "faces"
    settings.GATES_FACE_BACKEND = "zoneguard.gates.face.fake.FakeBackend"
    zone = load_demo_zone(password="demo-password-1")
    commander = zone.users["commander"]
    token_create(actor=commander, user=commander, name="walk")
    notify(recipients=[commander], kind="info", title="walk", external=False)  # unread rows look different
    member = first(Membership, organisation__kind="enterprise")
    face_enrol(actor=commander, person=member.person, organisation_id=member.organisation_id, image=b"face:walk")
    notice = first(Notice)
    NoticeAttachment.objects.create(notice=notice, file=ContentFile(b"%PDF", name="guide.pdf"), name="guide.pdf")
    PolicyAttachment.objects.create(
        policy=first(Policy), file=ContentFile(b"%PDF", name="policy.pdf"), name="policy.pdf", size=4
    )
    DeferralEvidence.objects.create(
        deferral=first(Deferral), file=ContentFile(b"%PDF", name="evidence.pdf"), name="evidence.pdf", size=4
    )
    HallClosure.objects.create(hall=first(Hall), date="2020-02-29", reason="walk")
    filing = first(ResumptionFiling, organisation__name=JINHUA)
    filing.plan_document.save("plan.pdf", ContentFile(b"%PDF"))
    ResumptionFiling.objects.filter(pk=filing.pk).update(status="returned")  # approved filings are not edited
    rule = DeliveryRule.objects.create(name="walk", audience="commanders", channel="email")
    Delivery.objects.create(rule=rule, channel="email", target="a@b.invalid", title="walk", status="failed")
    users = dict(zone.users)
    users["root"] = User.objects.create_superuser(username="root", password="pw-root-walk")
    # The admin of an enterprise that has not filed for resumption yet (every demo one has).
    newcomer = Organisation.objects.create(name="新入园企业", kind="enterprise", credit_code=valid_credit_code(990))
    users["newcomer"] = make_user("newcomer", Role.ORGANISATION_ADMIN, organisation=newcomer)
    return users


def check(name: str, url: str, response: Any) -> bool:
    """Asserts the policy on the response; True when it was a page whose HTML was checked."""
    assert response.status_code < 500, url
    assert "Content-Security-Policy" in response, url
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
    expected = dict(EXPECTED)
    if name in DOCS:
        expected["img-src"] = ["'self'", "data:"]
    assert parse_policy(header) == expected, url
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    html = response.content.decode()
    assert inline_code(html) == [], url
    # Every label names its control: a group of choices has a legend instead (components/form.html).
    assert 'for=""' not in html or name.startswith("admin:"), url
    return response.status_code == 200


def test_every_page_carries_the_strict_policy_and_no_inline_code(demo: dict[str, User]) -> None:
    clients: dict[str, Client] = {"": Client()}
    pages = 0
    for name, url in page_urls():
        username = "root" if name.startswith("admin:") else USERS.get(name, "commander")
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(demo[username])
        pages += check(name, url, clients[username].get(url))
        if name in PUBLIC:
            assert check(name, url, clients[""].get(url)), url
    # The walk reached the pages themselves, not their login or refusal pages.
    assert pages > 150


@pytest.mark.urls("zoneguard.core.tests.error_urls")
def test_the_error_pages_carry_the_strict_policy_and_no_inline_code(demo: dict[str, User], settings: Any) -> None:
    settings.DEBUG = False
    commander = Client(raise_request_exception=False)
    commander.force_login(demo["commander"])
    gate = Client()
    gate.force_login(demo["gate"])
    organisation = first(Organisation, name=JINHUA)
    responses = {
        404: [Client().get("/no-such-page/"), commander.get("/no-such-page/")],
        403: [
            gate.get(reverse("registry:organisation-edit", kwargs={"pk": organisation.pk})),
            Client(enforce_csrf_checks=True).post(reverse("accounts:login")),
        ],
        400: [Client().get("/", HTTP_HOST="zoneguard.example")],
        500: [commander.get("/fail/")],
    }
    for status, answers in responses.items():
        for response in answers:
            assert response.status_code == status
            assert parse_policy(response["Content-Security-Policy"]) == EXPECTED, status
            assert inline_code(response.content.decode()) == [], status
