from datetime import date

import pytest

from zoneguard.resumption import services as resumption
from zoneguard.resumption.tests.conftest import backdate, filing_data


@pytest.fixture
def resumed(zone, review_rules):
    """Enterprise A, enterprise B and project 丙 resumed on 2020-02-20; market 丁 has not filed."""
    for admin, organisation, staff in (
        (zone.admin_a, zone.enterprise_a, 10),
        (zone.admin_b, zone.enterprise_b, 5),
        (zone.admin_a, zone.project, 8),
    ):
        filing = resumption.filing_submit(
            actor=admin,
            organisation=organisation,
            data=filing_data(staff_expected=staff, staff_local=staff, staff_other_provinces=0),
        )
        backdate(resumption.filing_decide(actor=zone.commander, filing=filing, approve=True), date(2020, 2, 20))
    return [zone.enterprise_a, zone.enterprise_b, zone.project]


def report_data(**overrides):
    data = {
        "staff_on_duty": 3,  # no more than the smallest total staff of the test zone
        "staff_isolating": 1,
        "temperature_anomalies": 0,
        "disinfection_done": True,
        "masks_in_stock": 3000,
        "disinfectant_litres": "20.5",
        "problems": "",
    }
    data.update(overrides)
    return data
