"""Filters of the log: what it records is what someone on the server side should look at."""

from __future__ import annotations

import logging


class SkipInvalidInput(logging.Filter):
    """Drops Django's warning for a 422 answer. A form or an API call with invalid data was
    answered with what to correct, and nothing on the server needs looking at; otherwise every
    mistyped ID number on a form would be a warning in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 422
