"""The OpenAPI document names each schema by its class name alone: two apps' schemas of one name
would share one entry, and clients (and the fuzz tests) would read one app's fields for the
other's. Every schema the API serves has a name of its own."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import zoneguard.api  # noqa: F401 (imports every app's api, and so their schemas)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_no_two_schemas_share_a_name():
    by_name: dict[str, set[str]] = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("zoneguard.") and ".tests" not in schema.__module__:
            by_name[schema.__name__].add(schema.__module__)
    assert {name: modules for name, modules in by_name.items() if len(modules) > 1} == {}
