"""`field__any=[...]`: membership in a list, sent as one array parameter on PostgreSQL.

`__in` writes one placeholder per value: for the thousand ID numbers of a gate's batch upload the
statement is long enough that writing, splitting and parsing it costs more than the index lookups.
`= ANY(%s)` keeps the statement short (so psycopg and the server cache it) whatever the list's
length. Other databases get the usual `IN (...)`."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # the list goes to the driver as one array, not through the field's get_prep_value

    def get_prep_lookup(self) -> Any:
        return [str(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        match, params = one_of(values, connection.vendor)
        return f"{lhs} {match}", [*lhs_params, *params]


def one_of(values: Sequence[Any], vendor: str) -> tuple[str, list[Any]]:
    """The right-hand side of "column is one of `values`" and its parameters, for SQL written by
    hand (the gate's lookup) as for the lookup above."""
    if vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


def register() -> None:
    CharField.register_lookup(AnyOf)
