"""Two payments at once on one contract, in threads, on SQLite and on PostgreSQL (DATABASE_URL):
the lock on the contract's row makes the second see the first, and the one that would pass the
amount gets a clean Conflict naming what remains."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zoneguard.core.errors import Conflict
from zoneguard.dispatch import services
from zoneguard.dispatch.models import Contract, Disbursement
from zoneguard.testing import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(results: list[Any]) -> Counter[str]:
    return Counter(
        "paid" if isinstance(r, Disbursement) else r.code if isinstance(r, Conflict) else repr(r) for r in results
    )


def test_two_payments_at_once_never_pass_the_contract(zone: Any, concurrent_db: Any) -> None:
    contract_pk = concurrent_db.contract.pk

    def pay(amount: str) -> Any:
        return lambda: services.disbursement_record(
            actor=zone.officer_b,
            contract=Contract.objects.get(pk=contract_pk),
            amount=Decimal(amount),
            paid_on=date(2020, 2, 25),
            funding_source="bank_loan",
        )

    for _round in range(3):
        Disbursement.objects.all().delete()
        results = at_once(pay("600.00"), pay("600.00"))
        assert outcome(results) == Counter({"paid": 1, "contract_exceeded": 1}), results
        refused = next(r for r in results if isinstance(r, Conflict))
        assert "400.00" in refused.message
        assert services.contract_paid(Contract.objects.get(pk=contract_pk)) == Decimal("600.00")


def test_many_payments_at_once_fill_the_contract_exactly(zone: Any, concurrent_db: Any) -> None:
    contract_pk = concurrent_db.contract.pk
    results = at_once(
        *(
            lambda: services.disbursement_record(
                actor=zone.commander,
                contract=Contract.objects.get(pk=contract_pk),
                amount=Decimal("250.00"),
                paid_on=date(2020, 2, 25),
                funding_source="fiscal",
            )
            for _ in range(6)
        )
    )
    assert outcome(results) == Counter({"paid": 4, "contract_exceeded": 2}), results
    assert services.contract_paid(Contract.objects.get(pk=contract_pk)) == Decimal("1000.00")
