import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from qms.reports import exports
from qms.reports.tables import SUPPRESSED, Table, date_cell, month_cell


def person_table():
    table = Table(
        key="by_unit",
        title="Avvik per enhet",
        columns=["Enhet", "Antall", "Per 100 ansatte"],
        person_level=True,
        count_columns=(1,),
        derived={2: 1},
    )
    for label, count, rate in [("A", 0, 0.0), ("B", 1, 2.5), ("C", 4, 8.0), ("D", 5, 10.0)]:
        table.add(label, count, rate)
    return table


def test_counts_of_one_to_four_are_suppressed_in_person_level_tables_with_their_rates():
    table = person_table()
    assert table.rows == [
        ["A", 0, 0.0],
        ["B", SUPPRESSED, SUPPRESSED],
        ["C", SUPPRESSED, SUPPRESSED],
        ["D", 5, 10.0],
    ]
    assert table.has_suppressed
    assert table.as_dict()["rows"][1] == ["B", "< 5", "< 5"]


def test_tables_that_are_not_person_level_keep_small_counts():
    table = Table(key="k", title="t", columns=["x", "n"], count_columns=(1,))
    table.add("a", 3)
    assert table.rows == [["a", 3]]
    assert not table.has_suppressed


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_csv_export_parses_back_and_never_writes_a_formula():
    rows = [['=HYPERLINK("http://x")', 1], ["-3", -3], ["@SUM(A1)", None]]
    response = exports.export_response("csv", "liste", ["Tekst", "Tall"], rows)
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'
    assert _csv(response) == [
        ["Tekst", "Tall"],
        ['\'=HYPERLINK("http://x")', "1"],
        ["-3", "-3"],
        ["'@SUM(A1)", ""],
    ]


def test_xlsx_export_leaves_hidden_counts_empty_and_says_why():
    table = person_table()
    response = exports.tables_response("xlsx", "stat", [table])
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.title == "Avvik per enhet"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    hidden = (
        "Skjult for å verne enkeltpersoner: Antall (færre enn 5); Per 100 ansatte (færre enn 5)"
    )
    assert values == [
        ["Enhet", "Antall", "Per 100 ansatte", "Merknad"],
        ["A", 0, 0, None],
        ["B", None, None, hidden],
        ["C", None, None, hidden],
        ["D", 5, 10, None],
    ]
    # Every filled cell of a number column is a number: nothing for Excel to misread.
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        assert all(c.value is None or c.data_type == "n" for c in row)


def test_xlsx_writes_formula_like_text_as_text():
    content = exports.xlsx_bytes([("Ark", ["a"], [["=1+1"], ["tekst\x07med kontrolltegn"]])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "tekstmed kontrolltegn"


def _month_table():
    table = Table(
        key="by_month",
        title="Meldinger per måned etter type",
        columns=["Måned", "Antall", "Per 100 ansatte", "Frist"],
        person_level=True,
        count_columns=(1,),
        derived={2: 1},
    )
    table.add(
        month_cell(dt.date(2026, 9, 1), "sep 2026"), 12, 2.5, date_cell(dt.date(2026, 10, 31))
    )
    table.add(month_cell(dt.date(2026, 10, 1), "okt 2026"), 3, 0.75, None)
    table.add(month_cell(dt.date(2026, 11, 1), "nov 2026"), 0, 0.0, None)
    table.add(month_cell(dt.date(2026, 12, 1), "des 2026"), 2, 0.5, None)
    return table


def test_csv_opens_in_norwegian_excel_with_decimal_comma_dates_and_no_text_in_number_columns():
    """Excel set to Norwegian splits on ";", reads "2,5" as a number and "01.09.2026" as a
    date; a hidden count is an empty cell and the last column says why."""
    response = exports.tables_response("csv", "stat", [_month_table()])
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = _csv(response_from(text))
    assert rows[0] == ["Måned", "Antall", "Per 100 ansatte", "Frist", "Merknad"]
    assert rows[1] == ["01.09.2026", "12", "2,5", "31.10.2026", ""]
    assert rows[2][:4] == ["01.10.2026", "", "", ""]
    assert rows[2][4].startswith("Skjult for å verne enkeltpersoner: Antall (færre enn 5)")
    assert rows[3] == ["01.11.2026", "0", "0,0", "", ""]
    assert rows[4][:3] == ["01.12.2026", "", ""]
    for row in rows[1:]:
        for cell in row[1:3]:
            assert cell == "" or float(cell.replace(",", ".")) >= 0
            assert "." not in cell and "<" not in cell


def response_from(text: str):
    class Streamed:
        streaming_content = [text.encode("utf-8")]

    return Streamed()


def test_xlsx_months_and_deadlines_are_date_cells_under_a_frozen_bold_header():
    content = exports.tables_response("xlsx", "stat", [_month_table()]).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    month, count, rate, deadline = (sheet.cell(2, c) for c in range(1, 5))
    assert month.is_date and month.value == dt.datetime(2026, 9, 1)
    assert month.number_format == "mmm yyyy"
    assert deadline.is_date and deadline.value == dt.datetime(2026, 10, 31)
    assert deadline.number_format == "dd.mm.yyyy"
    assert count.data_type == "n" and count.value == 12
    assert rate.data_type == "n" and rate.value == 2.5
    assert sheet.cell(3, 2).value is None  # the hidden count
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    assert all(w >= 8 for w in widths)
    assert widths[4] > widths[1]  # the note column is wider than a count column


def test_list_export_writes_numbers_dates_and_times_as_such():
    rows = [["AV-2026-00001", dt.date(2026, 2, 21), Decimal("12.50"), 3, _aware(2026, 2, 21, 14)]]
    columns = ["Nr.", "Dato", "Beløp", "Alvorlighet", "Registrert"]
    csv_rows = _csv(exports.export_response("csv", "avvik", columns, rows))
    assert csv_rows[1] == ["AV-2026-00001", "21.02.2026", "12,50", "3", "21.02.2026 14:00"]
    xlsx = exports.export_response("xlsx", "avvik", columns, rows)
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    date, amount, severity, registered = (sheet.cell(2, c) for c in range(2, 6))
    assert date.is_date and date.number_format == "dd.mm.yyyy"
    assert amount.data_type == "n" and severity.data_type == "n"
    assert registered.is_date and registered.value == dt.datetime(2026, 2, 21, 14, 0)
    assert registered.number_format == "dd.mm.yyyy hh:mm"
    assert sheet.freeze_panes == "A2"


def _aware(*args):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(*args))


def test_sheet_names_are_cut_at_a_word_and_unique():
    used: set[str] = set()
    title = "Lukkede alvorlige avvik: tiltakene som begrunnet lukkingen"
    first = exports.sheet_name(title, used)
    assert first == "Lukkede alvorlige avvik"  # not "…tiltakene som begr"
    second = exports.sheet_name(title, used)
    assert second == "Lukkede alvorlige avvik (2)"
    assert len(exports.sheet_name("Kontrolldiagram: uønskede hendelser per måned", used)) <= 31
    assert exports.sheet_name("Ett/to [tre]?", used) == "Ett to tre"
    assert exports.sheet_name("A" * 40, used) == "A" * 31
    assert all(len(name) <= 31 for name in used)


def test_all_tables_as_csv_is_a_zip_of_one_csv_per_table():
    """Tables stacked in one CSV cannot be sorted or filtered in Excel: every table is a file
    of its own in a ZIP, in the page's order, each with the Excel-ready CSV."""
    first = person_table()
    second = Table(key="k", title="Andre: tall/mer", columns=["x", "n"])
    second.add("a", 3.5)
    for fmt in ("zip", "csv"):
        response = exports.tables_response(fmt, "alle", [first, second])
        assert response["Content-Type"] == "application/zip"
        assert response["Content-Disposition"] == 'attachment; filename="alle.zip"'
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        assert archive.namelist() == ["01 Avvik per enhet.csv", "02 Andre tall mer.csv"]
        texts = [archive.read(name).decode("utf-8") for name in archive.namelist()]
        assert all(t.startswith("\ufeff") for t in texts)
        tables = [list(csv.reader(io.StringIO(t.lstrip("\ufeff")), delimiter=";")) for t in texts]
        assert tables[0][0] == ["Enhet", "Antall", "Per 100 ansatte", "Merknad"]
        assert tables[1] == [["x", "n"], ["a", "3,5"]]
