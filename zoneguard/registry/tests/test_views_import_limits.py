"""The staff import page refuses, at once and in little memory, an upload larger than a list: too many
bytes, not a zip, a zip that unpacks to a million rows, one row more than MAX_ROWS."""

import io
import itertools
import tracemalloc

import pytest

from zoneguard.registry import imports
from zoneguard.registry.imports import MAX_ROWS
from zoneguard.registry.models import Membership, Person
from zoneguard.testing import raw_xlsx, valid_id_number, xlsx_row

HEADERS = xlsx_row("姓名", "身份证号", "手机号", "岗位")


def post(client, zone, data, name="staff.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(f"/registry/organisations/{zone.enterprise_a.pk}/import/", {"file": upload})


def nothing_imported(before):
    return (Person.objects.count(), Membership.objects.count()) == before


@pytest.fixture
def before(zone):
    return (Person.objects.count(), Membership.objects.count())


@pytest.mark.parametrize(
    ("caps", "message"),
    [
        ({}, "工作簿解压后超过 50 MB"),
        # Without the unpacked-size caps, the rows are counted before openpyxl reads the file.
        (
            {"SPREADSHEET_MAX_UNPACKED_BYTES": 10**9, "SPREADSHEET_MAX_PART_BYTES": 10**9},
            f"工作表超过 {2 * MAX_ROWS + 1000} 行，而一次最多导入 {MAX_ROWS} 行",
        ),
    ],
    ids=["as configured", "without the unpacked-size caps"],
)
def test_a_workbook_that_unpacks_to_a_million_rows_is_refused_at_once_in_little_memory(
    zone, client_for, settings, before, caps, message
):
    row = xlsx_row("张三", "430408199001010011", "13800000000", "焊工")
    data = raw_xlsx(itertools.chain([HEADERS], itertools.repeat(row, 1_100_000)))
    assert len(data) < 1024 * 1024
    for name, value in caps.items():
        setattr(settings, name, value)
    client = client_for("admin_a")
    # What the first request loads (templates, catalogues) is not what the upload costs.
    assert client.get(f"/registry/organisations/{zone.enterprise_a.pk}/import/").status_code == 200
    tracemalloc.start()
    try:
        response = post(client, zone, data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert peak < 20 * 1024 * 1024
    assert nothing_imported(before)


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(zone, client_for, before, monkeypatch):
    def read_rows(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(imports, "read_import_table", read_rows)
    response = post(client_for("admin_a"), zone, b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024))
    assert response.status_code == 200
    assert "文件超过 5 MB，超出导入文件的大小上限。" in response.content.decode()
    assert nothing_imported(before)


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "文件不是 Excel 工作簿（.xlsx）。"), ("en", "The file is not an Excel workbook (.xlsx).")],
)
def test_a_file_that_is_not_a_zip_is_refused(zone, client_for, before, language, message):
    data = "姓名,身份证号\n张三,430408199001010011\n".encode()
    response = post(client_for("admin_a", language), zone, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_imported(before)


def test_one_row_more_than_the_limit_is_refused_and_reading_stops_there(zone, client_for, before):
    rows = [xlsx_row(f"职工{i}", valid_id_number(seq=i), "", "") for i in range(MAX_ROWS + 1)]
    # Reading on past the row over the limit would reach this cell, which no reader can make a number of.
    unreadable = b'<row><c t="n"><v>not a number</v></c></row>'
    data = raw_xlsx([xlsx_row("职工名单"), HEADERS, *rows, unreadable], dimension=f"A1:D{MAX_ROWS + 4}")
    response = post(client_for("admin_a"), zone, data)
    assert response.status_code == 200
    assert f"工作表超过 {MAX_ROWS} 行，一次最多导入 {MAX_ROWS} 行。" in response.content.decode()
    assert nothing_imported(before)


def test_a_list_within_the_limits_is_imported(zone, client_for):
    rows = [xlsx_row("张一", valid_id_number(), "13800000011", "焊工"), xlsx_row("张二", valid_id_number(), "", "")]
    response = post(client_for("admin_a"), zone, raw_xlsx([xlsx_row("职工名单"), HEADERS, *rows]))
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(organisation=zone.enterprise_a, person__name__in=["张一", "张二"]).values_list(
            "person__name", "position"
        )
    ) == {("张一", "焊工"), ("张二", "")}
