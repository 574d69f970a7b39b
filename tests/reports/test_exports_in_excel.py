# ruff: noqa: F811  (the imported fixture is a test parameter)
"""The statistics downloads open in Excel set to Norwegian as they are: read back
with openpyxl and csv, number cells are numbers, month cells are dates, hidden counts are empty,
every table is a sheet of its own with a readable name and a frozen header."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

# The deviation statistics' fixed data set (its fixture "data"), counted by hand there.
from tests.reports.test_deviation_stats import data  # noqa: F401

pytestmark = pytest.mark.django_db

QUERY = "period=year&year=2025"


def _columns(sheet):
    header = [c.value for c in sheet[1]]
    columns = list(zip(*sheet.iter_rows(min_row=2), strict=False))
    return header, columns


def test_every_statistics_sheet_has_typed_columns_and_a_frozen_bold_header(data, client_for):
    response = client_for(data.advisor).get(
        f"/statistikk/eksport/alle.xlsx?unit={data.sector_a.pk}&{QUERY}"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    names = book.sheetnames
    assert len({n.lower() for n in names}) == len(names)
    assert "Kontrolldiagram – uønskede" in names  # "…: uønskede hendelser" cut at a word
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(c.font.bold for c in sheet[1]), sheet.title
        assert sheet.column_dimensions["A"].width >= 8
        header, columns = _columns(sheet)
        for name, cells in zip(header[1:], columns[1:], strict=False):
            kinds = {c.data_type for c in cells if c.value is not None}
            # One kind per column: never "< 5" as text among the numbers.
            assert len(kinds) <= 1, (sheet.title, name, kinds)
            if name != "Merknad" and name != "Utenfor":
                assert kinds <= {"n", "d"}, (sheet.title, name, kinds)
    trend = book["Meldinger per måned etter type"]
    months = [row[0] for row in trend.iter_rows(min_row=2)]
    assert len(months) == 12
    assert all(c.is_date and c.number_format == "mmm yyyy" for c in months)
    assert months[0].value == dt.datetime(2025, 1, 1)
    assert trend.cell(2, 2).value == 3 and trend.cell(2, 2).data_type == "n"


def test_a_small_units_hidden_counts_are_empty_cells_with_a_note(data, client_for):
    response = client_for(data.advisor).get(
        f"/statistikk/eksport/deviations_by_month.xlsx?unit={data.unit_a2.pk}&{QUERY}"
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Merknad"
    january = [c.value for c in sheet[2]]
    assert january[header.index("Forbedringsforslag")] is None  # 2 improvement proposals
    assert "færre enn 5" in january[-1]
    assert not any(isinstance(c.value, str) and "<" in c.value for row in sheet for c in row)


def test_all_tables_as_csv_come_as_a_zip_that_norwegian_excel_reads(data, client_for):
    client = client_for(data.advisor)
    response = client.get(f"/statistikk/eksport/alle.zip?unit={data.sector_a.pk}&{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) > 5 and all(n.endswith(".csv") for n in names)
    page = client.get(f"/statistikk/?unit={data.sector_a.pk}&{QUERY}").content.decode()
    assert f"/statistikk/eksport/alle.zip?unit={data.sector_a.pk}" in page.replace("&amp;", "&")
    decimal_point = re.compile(r"^-?\d+\.\d+$")
    for name in names:
        text = archive.read(name).decode("utf-8")
        assert text.startswith("\ufeff"), name
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        width = len(rows[0])
        assert all(len(r) == width for r in rows), name  # one table, no stacked titles
        cells = [c for r in rows[1:] for c in r]
        assert not any(decimal_point.match(c) for c in cells), name
        assert "< 5" not in cells and "×" not in cells
    trend = next(n for n in names if "Meldinger per måned" in n)
    rows = list(
        csv.reader(io.StringIO(archive.read(trend).decode().lstrip("\ufeff")), delimiter=";")
    )
    assert rows[1][0] == "01.01.2025"
    chart = next(n for n in names if "Kontrolldiagram" in n)
    rows = list(
        csv.reader(io.StringIO(archive.read(chart).decode().lstrip("\ufeff")), delimiter=";")
    )
    assert any("," in c for c in rows[1][2:6])  # rates and limits with a decimal comma
