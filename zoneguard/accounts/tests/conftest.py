from __future__ import annotations

from typing import Any

import pytest

from zoneguard.testing import database_shared_by_threads


@pytest.fixture
def concurrent_db(tmp_path: Any) -> Any:
    with database_shared_by_threads(tmp_path):
        yield


def invite(zone: Any, inviter: str, role: str, **kwargs: Any) -> Any:
    from zoneguard.accounts.services.invitations import invitation_create

    kwargs.setdefault("full_name", "新同事")
    return invitation_create(actor=zone.users[inviter], role=role, **kwargs)
