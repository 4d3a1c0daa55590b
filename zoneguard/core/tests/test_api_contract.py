"""Each field of an API answer is declared once, in its ninja `*Out` schema, which reads the ORM
object (or the selector's own object) itself: no hand-written `*_out` dict builders beside the
schemas, and no pager shim to feed them."""

import re
from pathlib import Path

import zoneguard

ROOT = Path(zoneguard.__file__).parent
BUILDER = re.compile(r"^\s*def \w+_out\(", re.MULTILINE)
MAPPED = re.compile(r"\bMapped\b")


def api_modules() -> list[Path]:
    """Every app's api.py, and the modules of an api package split per area."""
    return sorted([ROOT / "api.py", *ROOT.glob("*/api.py"), *ROOT.glob("*/api/*.py")])


def offences(source: str) -> list[str]:
    found = [m.group().strip() for m in BUILDER.finditer(source)]
    return found + [m.group() for m in MAPPED.finditer(source)]


def test_it_scans_the_api_of_every_app():
    scanned = {path.relative_to(ROOT).parts[0] for path in api_modules()}
    assert {"core", "gates", "registry", "tax", "resumption"} <= scanned


def test_it_tells_a_builder_and_the_shim():
    assert offences("def site_out(site: Site) -> dict:\n    return {}\n") == ["def site_out("]
    assert offences("    return Mapped(qs, convert)\n") == ["Mapped"]
    assert offences("def checkout(request):\n    return selectors.site_list(actor=request.user)\n") == []


def test_no_api_module_builds_answers_by_hand():
    found = {
        str(path.relative_to(ROOT)): offences(path.read_text(encoding="utf-8"))
        for path in api_modules()
        if offences(path.read_text(encoding="utf-8"))
    }
    assert found == {}, "Let the *Out schema read the object (resolvers for computed or masked fields)."


def test_an_api_split_per_area_keeps_the_operation_ids_of_the_app():
    from zoneguard.api import api

    schema = api.get_openapi_schema()
    ids = {operation["operationId"] for operations in schema["paths"].values() for operation in operations.values()}
    # tax/api/ is one module per area: policies.py, hall.py, deferrals.py.
    assert {"zoneguard_tax_api_policy_list", "zoneguard_tax_api_slot_list", "zoneguard_tax_api_deferral_list"} <= ids


def _api_types() -> dict[str, set[str]]:
    """Name → modules, of every enum and schema class the apps' models and schemas define: the
    OpenAPI document names its components after the classes, and of two with one name the last
    read replaces the other."""
    import enum
    import importlib
    import inspect
    import pkgutil

    from django.apps import apps
    from ninja import Schema

    modules = []
    for app in apps.get_app_configs():
        if not app.name.startswith("zoneguard"):
            continue
        for part in ("models", "schemas"):
            try:
                module = importlib.import_module(f"{app.name}.{part}")
            except ModuleNotFoundError:
                continue
            modules.append(module)
            if hasattr(module, "__path__"):  # a package split per area
                modules += [
                    importlib.import_module(f"{module.__name__}.{m.name}")
                    for m in pkgutil.iter_modules(module.__path__)
                ]
    names: dict[str, set[str]] = {}
    for module in modules:
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and issubclass(value, (enum.Enum, Schema))
            ):
                names.setdefault(name, set()).add(module.__name__)
    return names


def test_no_two_api_types_share_a_name(db):
    names = _api_types()
    assert {"Decision", "FilingDecision", "CheckinOut"} <= set(names)
    assert {name: sorted(m) for name, m in names.items() if len(m) > 1} == {}


def test_a_check_in_s_decision_is_documented_as_the_gates_answer_it(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    decision = schema["CheckinOut"]["properties"]["decision"]
    [reference] = [part["$ref"] for part in decision["anyOf"] if "$ref" in part]
    assert schema[reference.rsplit("/", 1)[-1]]["enum"] == ["allow", "deny"]


def test_refusals_of_the_request_itself_are_said_in_the_caller_s_language(zone, api_for):
    from zoneguard.gates.tests.conftest import post

    commander = api_for("commander")
    unreadable = commander.post("/api/v1/checkins", "{not json", content_type="application/json")
    assert unreadable.status_code == 400 and unreadable.json()["message"] == "请求内容不是有效的 JSON。"
    wrong_choice = commander.get("/api/v1/checkins", {"direction": "sideways"})
    assert wrong_choice.status_code == 422
    assert wrong_choice.json()["errors"]["direction"] == ["请从以下选项中选择：in / out。"]
    assert "or" not in wrong_choice.json()["message"]
    assert post(commander, "/api/v1/checkins", {}).status_code == 422
