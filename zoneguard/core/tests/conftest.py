import pytest
from django.db.utils import ConnectionHandler

from zoneguard import settings


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A connection to an SQLite file of its own (not the test database), opened as the project
    opens its embedded database."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "zoneguard.sqlite3"),
                "OPTIONS": settings._SQLITE_OPTIONS,
            }
        }
    )
    connection = handler["default"]
    with django_db_blocker.unblock():
        try:
            yield connection
        finally:
            connection.close()
