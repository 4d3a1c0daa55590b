# See zoneguard/formats/__init__.py: English reads dates as the lists do, like Chinese.
from zoneguard.formats.zh_Hans.formats import (  # noqa: F401 (Django reads them from this module)
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)
