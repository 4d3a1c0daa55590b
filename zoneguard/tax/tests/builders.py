"""The tax bureau added to a test zone (used by the tax tests and the browser tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from zoneguard.core.roles import Role
from zoneguard.registry.models import CompetenceRule, Department
from zoneguard.tax.models import Hall, HallWindow, OpeningHours, PolicyCategory, Slot, TaxType
from zoneguard.testing import Zone, make_user

TAX_TYPES = [
    ("vat", "增值税"),
    ("consumption", "消费税"),
    ("urban_construction", "城市维护建设税"),
    ("local_education_surcharge", "地方教育附加"),
    ("stamp", "印花税"),
]


@dataclass
class Tax:
    zone: Zone
    department: Department
    hall: Hall
    category: PolicyCategory
    types: dict[str, TaxType] = field(default_factory=dict)

    @property
    def officer(self) -> Any:
        return self.zone.users["taxofficer"]

    def slot(self, *, days: int = 1, hour: int = 9, minute: int = 0, capacity: int = 2, minutes: int = 30) -> Slot:
        """A slot `days` from today at hour:minute (local time)."""
        day = timezone.localdate() + timedelta(days=days)
        start = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return Slot.objects.create(
            hall=self.hall, starts_at=start, ends_at=start + timedelta(minutes=minutes), capacity=capacity
        )


def build_tax(zone: Zone) -> Tax:
    """A tax department competent for every taxpayer, its officer `taxofficer`, the story's tax
    types, a policy category, and a hall with three windows open 9:00-12:00 every day."""
    department = Department.objects.create(code="shuiwu", name="税务局")
    CompetenceRule.objects.create(department=department)
    zone.users["taxofficer"] = make_user("taxofficer", Role.DEPARTMENT_OFFICER, department=department)
    hall = Hall.objects.create(name="办税服务厅", address="高新区")
    for n in range(1, 4):
        HallWindow.objects.create(hall=hall, name=f"{n}号窗口")
    for weekday in range(7):
        OpeningHours.objects.create(hall=hall, weekday=weekday, opens_at=time(9), closes_at=time(12))
    result = Tax(
        zone=zone,
        department=department,
        hall=hall,
        category=PolicyCategory.objects.create(code="resumption", name="支持复工复产", order=4),
    )
    for order, (code, name) in enumerate(TAX_TYPES, start=1):
        result.types[code] = TaxType.objects.create(code=code, name=name, order=order)
    return result


def hardship_evidence() -> Any:
    """A bank statement, the proof of hardship a deferral is approved on."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("银行对账单.pdf", b"%PDF-1.4 test", "application/pdf")
