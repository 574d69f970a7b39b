import csv
import io

from openpyxl import load_workbook

from qms.reports import exports
from qms.reports.tables import SUPPRESSED, Table


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


def test_xlsx_export_parses_back_with_suppressed_cells_as_text():
    table = person_table()
    response = exports.tables_response("xlsx", "stat", [table])
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.title == "Avvik per enhet"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values == [
        ["Enhet", "Antall", "Per 100 ansatte"],
        ["A", 0, 0],
        ["B", "< 5", "< 5"],
        ["C", "< 5", "< 5"],
        ["D", 5, 10],
    ]


def test_xlsx_writes_formula_like_text_as_text():
    content = exports.xlsx_bytes([("Ark", ["a"], [["=1+1"], ["tekst\x07med kontrolltegn"]])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "tekstmed kontrolltegn"


def test_several_tables_in_one_csv_each_with_its_title():
    first = person_table()
    second = Table(key="k", title="Andre", columns=["x", "n"])
    second.add("a", 3)
    rows = _csv(exports.tables_response("csv", "alle", [first, second]))
    assert rows[0] == ["Avvik per enhet"]
    assert rows[1] == ["Enhet", "Antall", "Per 100 ansatte"]
    assert ["Andre"] in rows
    assert rows[-1] == ["a", "3"]
