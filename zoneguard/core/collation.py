"""Chinese names in the order people look them up: by pinyin (阿 before 李 before 张), on both
databases, without an ICU build or a pinyin dictionary.

The key is the text encoded in GB18030: the 3,755 common characters of GB 2312 (level 1, which
covers nearly all names of people and enterprises) are numbered in pinyin order there, Latin
letters and digits come first, and rarer characters follow the common ones. PostgreSQL computes
it with `convert_to`; SQLite calls the function that `register_sqlite_functions` adds to each
connection. Ordering by it cannot use an index: lists sort their matching rows, which for a
zone's registry is a few thousand."""

from __future__ import annotations

from typing import Any

from django.db.models import BinaryField, Func

SQLITE_FUNCTION = "zg_pinyin_key"


def pinyin_key(value: str) -> bytes:
    """The same key in Python, for lists sorted in memory."""
    return value.encode("gb18030", "replace")


def _sqlite_pinyin_key(value: str | None) -> bytes | None:
    return None if value is None else pinyin_key(value)


class PinyinOrder(Func):
    """`order_by(PinyinOrder("name"), "id")`; `PinyinOrder("name").desc()` the other way."""

    output_field = BinaryField()
    template = "%(expressions)s"  # a database without the key sorts by the text itself

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, template="convert_to(%(expressions)s, 'GB18030')", **extra_context)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, template=f"{SQLITE_FUNCTION}(%(expressions)s)", **extra_context)


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: the key function on every new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_pinyin_key, deterministic=True)
