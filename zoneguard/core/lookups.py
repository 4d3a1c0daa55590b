"""`field__any=[...]`: membership in a list, sent as one array parameter on PostgreSQL; and its
negative for SQL written by hand, `none_of`.

`__in` writes one placeholder per value: for the thousand ID numbers of a gate's batch upload the
statement is long enough that writing, splitting and parsing it costs more than the index lookups.
`= ANY(%s)` keeps the statement short (so psycopg and the server cache it) whatever the list's
length. Other databases get the usual `IN (...)`."""

import json
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
    if len(values) == 1:
        # A gate's single check-in: PostgreSQL keeps a prepared "= $1" as one generic plan, where
        # "= ANY($1)" made it plan the statement again at every execution.
        return "= %s", list(values)
    if vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


# PostgreSQL hashes a NOT IN list only within work_mem × hash_mem_multiplier (4 MB × 2 by default):
# 200,000 ids were hashed, 300,000 not.
HASHED_NONE_OF = 100_000


def none_of(column: str, values: Sequence[int], vendor: str) -> tuple[str, list[Any]]:
    """SQL for "the integer `column` is none of `values`" and its parameters: one parameter however
    many values (a depth-2 trace leaves out thousands of people; SQLite takes at most 32,766
    parameters), written so that each database looks the column up in a hash or an index of the
    list rather than scanning the list for every row."""
    if vendor == "postgresql":
        if len(values) <= HASHED_NONE_OF:
            # NOT IN a subquery is a "hashed SubPlan": a filter wherever the planner puts it. NOT
            # EXISTS made an anti-join, which PostgreSQL ran as a merge of both sides sorted, a
            # million rows on disk for a depth-2 trace.
            return f"{column} NOT IN (SELECT unnest(%s::bigint[]))", [list(values)]
        # A list too long to hash within work_mem would be scanned for every row: an anti-join.
        # The list's column has a name of its own: called "id", it would hide a column "id" of the
        # outer query inside the subquery, and every row would match itself.
        listed = f"SELECT 1 FROM unnest(%s::bigint[]) AS left_out(left_out_id) WHERE left_out_id = {column}"  # noqa: S608
        return f"NOT EXISTS ({listed})", [list(values)]
    return f"{column} NOT IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]  # noqa: S608 (a name)


def register() -> None:
    CharField.register_lookup(AnyOf)
