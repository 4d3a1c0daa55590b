from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zoneguard.core.errors import Forbidden, NotFound
from zoneguard.core.excel import build_workbook, workbook_response
from zoneguard.core.pagination import paginate
from zoneguard.core.roles import is_commander
from zoneguard.core.web import AuthedRequest, carried, object_action, perform, perform_with_form, submit_form
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation
from zoneguard.registry.scoping import visible_organisations

from . import access, imports, selectors, services
from .forms import (
    AllocateForm,
    CountImportForm,
    DepotForm,
    ItemForm,
    LedgerForm,
    OwnStoreForm,
    PriorityRuleForm,
    RefuseForm,
    RequestForm,
    ThresholdForm,
)
from .models import RequestStatus, SupplyRequest
from .stock import format_quantity


def _require(request: AuthedRequest) -> None:
    if not access.reaches_supplies(request.user):
        raise Forbidden()


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 18 else None


@login_required
def stock(request: AuthedRequest) -> HttpResponseBase:
    """Stock per depot and item, with days of cover; ?export=xlsx for the workbook."""
    _require(request)
    depot_id, item_id = _int(request.GET.get("depot")), _int(request.GET.get("item"))
    rows = selectors.stock_rows(actor=request.user, depot_id=depot_id, item_id=item_id)
    if request.GET.get("export") == "xlsx":
        workbook = build_workbook(
            title=_("Stock of prevention supplies"),
            headers=[_("Depot"), _("Item"), _("Unit"), _("Stock"), _("Low-stock threshold"), _("Days of cover")],
            rows=[(r.depot.name, r.item.name, r.item.unit, r.quantity, r.threshold, r.days_of_cover) for r in rows],
        )
        return workbook_response(workbook, _("supplies-stock.xlsx"))
    depots = selectors.depot_list(actor=request.user)
    return render(
        request,
        "supplies/stock.html",
        {
            "rows": rows,
            "depots": depots,
            "items": selectors.item_list(actor=request.user),
            "depot_id": depot_id,
            "item_id": item_id,
            "threshold_form": ThresholdForm(items=selectors.item_list(actor=request.user), depots=depots),
            "runs_supplies": access.runs_supplies(request.user),
        },
    )


@login_required
@require_POST
def threshold(request: AuthedRequest) -> HttpResponse:
    _require(request)
    form = ThresholdForm(
        request.POST, items=selectors.item_list(actor=request.user), depots=selectors.depot_list(actor=request.user)
    )
    if form.is_valid():
        data = form.cleaned_data
        perform(
            request,
            lambda: services.threshold_set(
                actor=request.user, depot=data["depot"], item=data["item"], threshold=data["threshold"]
            ),
            success=_("Threshold saved."),
        )
    else:
        messages.error(request, _("Choose a depot and an item, and a threshold of zero or more."))
    return redirect("supplies:stock")


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request: AuthedRequest) -> HttpResponseBase:
    """The ledger of the depots the user runs, and the form that posts to it; ?export=xlsx."""
    _require(request)
    depot_id, item_id = _int(request.GET.get("depot")), _int(request.GET.get("item"))
    entries = selectors.ledger_list(actor=request.user, depot_id=depot_id, item_id=item_id)
    if request.GET.get("export") == "xlsx":
        workbook = build_workbook(
            title=_("Ledger of prevention supplies"),
            headers=[
                _("Recorded at"),
                _("Kind"),
                _("Item"),
                _("Quantity"),
                _("Depot"),
                _("To depot"),
                _("Donor"),
                _("Recipient"),
                _("Reason"),
                _("Note"),
            ],
            rows=[
                (
                    e.created_at,
                    e.get_kind_display(),
                    e.item.name,
                    e.quantity,
                    e.depot.name,
                    e.to_depot.name if e.to_depot else "",
                    e.donor,
                    e.recipient_organisation.name if e.recipient_organisation else e.recipient_name,
                    e.reason,
                    e.note,
                )
                for e in entries[:10_000]
            ],
        )
        return workbook_response(workbook, _("supplies-ledger.xlsx"))
    form = LedgerForm(
        request.POST or None,
        items=selectors.item_list(actor=request.user, active_only=True),
        depots=selectors.depot_list(actor=request.user),
        organisations=visible_organisations(request.user),
    )

    def post(data: dict[str, Any]) -> object:
        return services.ledger_post(
            actor=request.user,
            post=services.Post(
                kind=data["kind"],
                item=data["item"],
                quantity=data["quantity"],
                depot=data["depot"],
                to_depot=data["to_depot"],
                source=data["source"],
                donor=data["donor"],
                recipient_organisation=data["recipient_organisation"],
                recipient_name=data["recipient_name"],
                reason=data["reason"],
                note=data["note"],
            ),
        )

    done, _entry = submit_form(request, form, post, success=_("Recorded in the ledger."))
    if done:
        return redirect("supplies:ledger")
    return render(
        request,
        "supplies/ledger.html",
        {
            "page": paginate(request, entries),
            "form": form,
            "has_depots": form.fields["depot"].queryset.exists(),  # type: ignore[attr-defined]
            "runs": access.runs_supplies(request.user),
            "own_depot_form": _own_depot_form(request) if access.is_org_admin(request.user) else None,
        },
    )


def _own_store_choices(request: AuthedRequest) -> dict[str, Any]:
    return {
        "organisations": Organisation.objects.filter(scoping.organisation_q(request.user)).order_by("name"),
        "keepers": selectors.keeper_choices(actor=request.user),
    }


def _own_depot_form(request: AuthedRequest) -> OwnStoreForm:
    """An organisation admin opens their own organisation's store (or a subsidiary's) from the
    ledger: the setting-up page is for those who run the zone's supplies."""
    return carried(request, OwnStoreForm, reverse("supplies:depot_open"), **_own_store_choices(request))


@login_required
@require_POST
def depot_open(request: AuthedRequest) -> HttpResponse:
    if not access.is_org_admin(request.user):
        raise NotFound()
    perform_with_form(
        request,
        OwnStoreForm(request.POST, **_own_store_choices(request)),
        lambda data: services.depot_create(actor=request.user, **data),
        success=_("Depot opened: its movements are recorded here."),
    )
    return redirect("supplies:ledger")


@login_required
@require_http_methods(["GET", "POST"])
def count_import(request: AuthedRequest) -> HttpResponse:
    _require(request)
    form = CountImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.count_import(
            actor=request.user, data=form.cleaned_data["file"].read(), reason=form.cleaned_data["reason"]
        )
        if report.imported:
            messages.success(
                request, _("Count imported: %(count)d adjustments recorded.") % {"count": report.adjustments}
            )
            return redirect("supplies:stock")
    return render(request, "supplies/count.html", {"form": form, "report": report})


@login_required
def count_template(request: AuthedRequest) -> HttpResponseBase:
    _require(request)
    return workbook_response(imports.count_template(actor=request.user), _("supplies-count.xlsx"))


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    _require(request)
    status = request.GET.get("status", "")
    status = status if status in RequestStatus.values else ""
    return render(
        request,
        "supplies/request_list.html",
        {
            "requests": selectors.request_queue(actor=request.user, status=status or None),
            "status": status,
            "statuses": RequestStatus.choices,
            "may_request": access.runs_supplies(request.user) or access.is_org_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    _require(request)
    organisations = visible_organisations(request.user)
    if not access.runs_supplies(request.user):
        organisations = organisations.filter(pk=request.user.organisation_id)
    form = RequestForm(
        request.POST or None,
        items=selectors.item_list(actor=request.user, active_only=True),
        organisations=organisations,
    )
    if len(organisations[:2]) == 1:  # an enterprise's admin asks for their own: nothing to pick
        form.fields["organisation"].initial = organisations[0]
        form.fields["organisation"].empty_label = None  # type: ignore[attr-defined]
    done, created = submit_form(
        request,
        form,
        lambda data: services.request_create(
            actor=request.user,
            organisation=data["organisation"],
            needed_by=data["needed_by"],
            reason=data["reason"],
            lines=form.lines(),
        ),
        success=_("Request sent: the officers in charge of supplies are told."),
    )
    if done:
        return redirect("supplies:request", pk=created.pk)
    return render(request, "supplies/request_new.html", {"form": form})


@login_required
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    supply_request = selectors.request_access(actor=request.user, pk=pk)
    runs = access.runs_supplies(request.user)
    items = selectors.item_list(actor=request.user).filter(pk__in=[line.item_id for line in supply_request.lines.all()])
    return render(
        request,
        "supplies/request_detail.html",
        _detail_context(
            request, supply_request, runs, AllocateForm(items=items, depots=selectors.depot_list(actor=request.user))
        ),
    )


def _detail_context(
    request: AuthedRequest, supply_request: SupplyRequest, runs: bool, form: AllocateForm
) -> dict[str, Any]:
    rows = selectors.stock_rows(actor=request.user) if runs else []
    wanted = {line.item_id for line in supply_request.lines.all()}
    return {
        "req": supply_request,
        "runs": runs,
        "allocate_form": form,
        "refuse_form": carried(request, RefuseForm, reverse("supplies:refuse", args=[supply_request.pk])),
        "stock": [r for r in rows if r.item.pk in wanted],
        "may_acknowledge": access.may_acknowledge(request.user, supply_request.organisation_id),
        "may_withdraw": access.may_withdraw(request.user, supply_request.organisation_id),
        "may_hand_over": access.may_hand_over(
            request.user, [a.depot.keeper_id for a in supply_request.allocations.all() if a.entry_id is None]
        ),
        "format_quantity": format_quantity,
    }


@login_required
@require_POST
def allocate(request: AuthedRequest, pk: int) -> HttpResponse:
    supply_request = selectors.request_access(actor=request.user, pk=pk)
    items = selectors.item_list(actor=request.user).filter(pk__in=[line.item_id for line in supply_request.lines.all()])
    form = AllocateForm(request.POST, items=items, depots=selectors.depot_list(actor=request.user))
    done, _result = submit_form(
        request,
        form,
        lambda data: services.request_allocate(
            actor=request.user, request=supply_request, allocations=form.allocations()
        ),
        success=_("Allocated."),
    )
    if done:
        return redirect("supplies:request", pk=pk)
    runs = access.runs_supplies(request.user)
    return render(request, "supplies/request_detail.html", _detail_context(request, supply_request, runs, form))


def _load_request(request: AuthedRequest, pk: int) -> SupplyRequest:
    return selectors.request_access(actor=request.user, pk=pk)


def _to_request(_request: AuthedRequest, supply_request: SupplyRequest) -> HttpResponse:
    return redirect("supplies:request", pk=supply_request.pk)


hand_over = object_action(
    load=_load_request,
    action=lambda user, supply_request, _data: services.request_hand_over(actor=user, request=supply_request),
    success=gettext_lazy("Handed over: the issues are in the ledger."),
    back=_to_request,
)


acknowledge = object_action(
    load=_load_request,
    action=lambda user, supply_request, _data: services.request_acknowledge(actor=user, request=supply_request),
    success=gettext_lazy("Receipt acknowledged."),
    back=_to_request,
)


@login_required
@require_POST
def refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    """Refuse with a reason; a refusal without one comes back to the page with what was typed and
    the error beside the reason."""
    supply_request = selectors.request_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        RefuseForm(request.POST),
        lambda data: services.request_refuse(actor=request.user, request=supply_request, reason=data["reason"]),
        success=_("Request refused."),
    )
    return redirect("supplies:request", pk=pk)


withdraw = object_action(
    load=_load_request,
    action=lambda user, supply_request, _data: services.request_withdraw(actor=user, request=supply_request),
    success=gettext_lazy("Request withdrawn."),
    back=_to_request,
)


# Setting up: items, depots, the priority table


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: AuthedRequest) -> HttpResponse:
    """What those who run supplies set up once: the items, the depots, and (the commander) the
    priority table that orders requests. One form per section; `form` names the one posted."""
    if not access.runs_supplies(request.user):
        raise Forbidden()
    posted = request.POST.get("form") if request.method == "POST" else None
    item_form = ItemForm(request.POST if posted == "item" else None, prefix="item")
    depot_form = DepotForm(
        request.POST if posted == "depot" else None,
        prefix="depot",
        organisations=visible_organisations(request.user),
        keepers=selectors.keeper_choices(actor=request.user),
    )
    rule_form = PriorityRuleForm(request.POST if posted == "rule" else None, prefix="rule")
    done = False
    if posted == "item":
        done, _item = submit_form(
            request,
            item_form,
            lambda data: services.item_create(actor=request.user, **data),
            success=_("Item added: it can be posted and requested now."),
        )
    elif posted == "depot":
        done, _depot = submit_form(
            request,
            depot_form,
            lambda data: services.depot_create(actor=request.user, **data),
            success=_("Depot added."),
        )
    elif posted == "rule":
        done, _rule = submit_form(
            request,
            rule_form,
            lambda data: services.priority_rule_create(actor=request.user, **data),
            success=_("Rule added: open requests are ordered by it now."),
        )
    if done:
        return redirect("supplies:setup")
    return render(
        request,
        "supplies/setup.html",
        {
            "items": selectors.item_list(actor=request.user),
            "depots": selectors.depot_list(actor=request.user).select_related("organisation", "keeper"),
            "rules": selectors.priority_rule_list(actor=request.user),
            "item_form": item_form,
            "depot_form": depot_form,
            "rule_form": rule_form,
            "edits_priorities": is_commander(request.user),
        },
    )


@login_required
@require_POST
def item_active(request: AuthedRequest, pk: int) -> HttpResponse:
    if not access.runs_supplies(request.user):
        raise Forbidden()
    item = selectors.item_access(actor=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    perform(
        request,
        lambda: services.item_set_active(actor=request.user, item=item, active=active),
        success=_("Item offered again.") if active else _("Item withdrawn: no new post or request offers it."),
    )
    return redirect("supplies:setup")


@login_required
@require_POST
def priority_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = selectors.priority_rule_list(actor=request.user).filter(pk=pk).first()
    if rule is None or not is_commander(request.user):
        raise NotFound()
    perform(
        request,
        lambda: services.priority_rule_delete(actor=request.user, rule=rule),
        success=_("Rule removed."),
    )
    return redirect("supplies:setup")
