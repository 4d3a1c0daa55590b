"""Every operation of the OpenAPI document says what it does: an integrator (a gate vendor, an HR
system, a district's data office) reads there who may call it, what it answers and what it refuses.
django-ninja takes the description from the handler's docstring, so an operation added without one
fails here."""

from __future__ import annotations

from typing import Any

from zoneguard.api import api

METHODS = {"get", "post", "put", "patch", "delete"}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, by_method in schema["paths"].items()
        for method, operation in by_method.items()
        if method in METHODS
    ]


def test_it_reads_every_operation():
    found = {(method, path) for method, path, _ in operations(api.get_openapi_schema())}
    assert len(found) > 200
    # The gates' router, and the modules of the tax api package, are read too.
    assert {("POST", "/api/v1/checkins"), ("GET", "/api/v1/tax/halls"), ("GET", "/api/v1/tax/deferrals/{pk}")} <= found


def test_it_tells_an_operation_without_a_description():
    schema = {"paths": {"/x": {"get": {"operationId": "x", "description": "  "}, "post": {"operationId": "y"}}}}
    assert [operation["operationId"] for _, _, operation in operations(schema) if not undescribed(operation)] == []
    assert [operation["operationId"] for _, _, operation in operations(schema) if undescribed(operation)] == ["x", "y"]


def undescribed(operation: dict[str, Any]) -> bool:
    return not (operation.get("description") or "").strip()


def test_every_operation_has_a_description():
    missing = [
        f"{method} {path} ({operation.get('operationId')})"
        for method, path, operation in operations(api.get_openapi_schema())
        if undescribed(operation)
    ]
    assert missing == [], "Write the handler's docstring: what it does, who may call it, what it refuses."
