"""Daily reports of the demo zone: the last four days of every resumed organisation, with two
late filers today; 金化科技 with all its 130+ staff on duty."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from zoneguard.resumption.models import FilingStatus, ResumptionFiling

from .models import DailyReport, DailyReportRevision

DAYS = 4
LATE_TODAY = {"泰豪通信", "衡阳富运汽车销售服务有限公司"}
FULL_ATTENDANCE = {"湖南金化科技集团有限公司"}
PROBLEMS = {
    "衡阳中兴网信科技有限公司": "口罩紧缺，现有库存仅够三天。",
    "湖南泓坤医疗器械有限公司": "熔喷布原材料采购困难。",
}


def load(zone: Any) -> None:
    admins = {u.organisation_id: u for u in zone.users.values() if u.role == "organisation_admin"}
    resumed = {
        f.organisation_id: f.resumed_on
        for f in ResumptionFiling.objects.filter(
            status=FilingStatus.APPROVED, organisation__in=zone.organisations.values()
        )
    }
    organisations = [o for o in zone.organisations.values() if o.pk in resumed]
    days = [zone.today - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    existing = set(
        DailyReport.objects.filter(organisation__in=organisations, day__in=days).values_list("organisation_id", "day")
    )
    new: list[DailyReport] = []
    for organisation in organisations:
        for day in days:
            if day < resumed[organisation.pk] or (organisation.pk, day) in existing:
                continue
            if day == zone.today and organisation.name in LATE_TODAY:
                continue
            # Seeded per organisation and day: reloading the demo gives the same figures.
            rng = random.Random(f"{organisation.name}{day.isoformat()}")  # noqa: S311 (not secret)
            staff = organisation.total_staff
            on_duty = staff if organisation.name in FULL_ATTENDANCE else round(staff * rng.uniform(0.78, 1.0))
            filed_at = zone.at(day, 8, rng.randrange(0, 59))
            new.append(
                DailyReport(
                    organisation=organisation,
                    day=day,
                    staff_on_duty=on_duty,
                    staff_isolating=min(rng.choice((0, 0, 0, 1, 2)), staff - on_duty),
                    temperature_anomalies=1 if rng.random() < 0.06 else 0,
                    disinfection_done=True,
                    masks_in_stock=staff * rng.randrange(8, 40)
                    + (20000 if organisation.name in FULL_ATTENDANCE else 0),
                    disinfectant_litres=Decimal(rng.randrange(10, 200)) / 2,
                    problems=PROBLEMS.get(organisation.name, "") if day == zone.today else "",
                    filed_at=filed_at,
                    filed_by=admins.get(organisation.pk),
                )
            )
    created = DailyReport.objects.bulk_create(new, batch_size=500)
    DailyReportRevision.objects.bulk_create(
        [
            DailyReportRevision(
                report=report,
                revision=1,
                data={
                    "staff_on_duty": report.staff_on_duty,
                    "staff_isolating": report.staff_isolating,
                    "temperature_anomalies": report.temperature_anomalies,
                    "disinfection_done": report.disinfection_done,
                    "masks_in_stock": report.masks_in_stock,
                    "disinfectant_litres": str(report.disinfectant_litres),
                    "problems": report.problems,
                },
                filed_by=report.filed_by,
                filed_by_name=report.filed_by.display_name if report.filed_by else report.organisation.contact_name,
            )
            for report in created
        ],
        batch_size=500,
    )
    zone.log.append(f"reports: {DailyReport.objects.filter(day=zone.today).count()} daily reports filed today")
