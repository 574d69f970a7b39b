"""CSV and XLSX export of any list or statistics table.

Every module can export a list with :func:`export_response` given the column headers and an
iterable of rows (a ``values_list`` iterator over a restricted queryset, so the permission layer
and the filters apply and nothing is loaded whole). CSV is streamed; XLSX is written in
openpyxl's write-only mode.

Both open in Excel set to Norwegian without any import step: CSV is UTF-8 with a byte-order
mark, ``;`` between fields, a decimal comma and dates as ``dd.mm.yyyy``; XLSX has real numbers
and real date cells with a date format, a bold frozen header row and column widths. A hidden
(suppressed) count is an empty cell, never text in a number column; the table's last column
says why (``Table.export``). Several tables in one download are a ZIP of one CSV each, or one
sheet each in the XLSX.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are written as text (CSV injection, OWASP).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from qms.reports.tables import DateCell, typed

FORMATS = ("csv", "xlsx", "zip")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_TYPE = "application/zip"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XLSX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31  # Excel refuses longer sheet names
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
MONTH_FORMAT = "mmm yyyy"  # Excel writes the month's name in the reader's language
WIDTH_SAMPLE = 200  # rows read to size the columns of a long list
WIDTH_MIN, WIDTH_MAX = 8, 60


def _cell(value: Any) -> tuple[Any, str | None]:
    """A cell as written to a spreadsheet, and the number format of a date."""
    value = typed(value)
    if isinstance(value, DateCell):
        return value.value, (MONTH_FORMAT if value.month else DATE_FORMAT)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0), DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    if isinstance(value, bool | int | float | Decimal) or value is None:
        return value, None
    return str(value), None


def _number_text(value: int | float | Decimal) -> str:
    """A number as Norwegian Excel reads it: a decimal comma, no thousands separator."""
    if isinstance(value, bool | int):
        return str(int(value))
    text = str(value)
    if "e" in text.lower():
        text = format(value, "f")
    return text.replace(".", ",")


def _csv_text(value: Any) -> str:
    value, number_format = _cell(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool | int | float | Decimal):
        return _number_text(value)
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(columns: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterable[str]:
    """The CSV text, line by line: UTF-8 with a byte-order mark, ``;`` between fields and a
    decimal comma (what Excel in Norwegian opens correctly)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([str(c) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_text(c) for c in row])


def sheet_name(title: Any, used: set[str]) -> str:
    """A sheet name Excel accepts and a reader can read: the title without the characters
    Excel forbids, cut at a word boundary to 31 characters, and unique in the workbook
    (a number added, also within 31 characters). ``used`` is updated."""
    text = str(title).replace(":", " –")
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", text).split()).strip("'") or "Ark"

    def cut(text: str, limit: int) -> str:
        if len(text) <= limit:
            return text
        words = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
        return words[:limit].rstrip(" ,.;–-(") or text[:limit]

    candidate = cut(name, SHEET_NAME_MAX)
    number = 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = cut(name, SHEET_NAME_MAX - len(suffix)) + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    lines = str(value).splitlines() or [""]
    return max(len(line) for line in lines)


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, columns, rows): a bold, frozen header row,
    columns as wide as their content (from the first rows), numbers as numbers and dates as
    date cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(sheet_name(title, used))
        rows = iter(rows)
        first = [[_cell(v) for v in row] for row in itertools.islice(rows, WIDTH_SAMPLE)]
        widths = [min(_width(c), WIDTH_MAX) for c in columns]
        for row in first:
            for index, (value, _format) in enumerate(row):
                if index >= len(widths):
                    widths.append(0)
                widths[index] = max(widths[index], min(_width(value), WIDTH_MAX))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(width + 2, WIDTH_MIN)
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=_ILLEGAL_XLSX.sub("", str(column)))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        rest = ([_cell(v) for v in row] for row in rows)
        for row in itertools.chain(first, rest):
            cells = []
            for value, number_format in row:
                if isinstance(value, str):
                    value = _ILLEGAL_XLSX.sub("", value)
                cell = WriteOnlyCell(sheet, value=value)
                if number_format:
                    cell.number_format = number_format
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(name: str) -> str:
    return _SAFE_NAME.sub("-", name).strip("-") or "eksport"


def _attachment(response, name: str, extension: str):
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def export_response(
    fmt: str, filename: str, columns: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    """A download of ``rows`` as CSV or XLSX (``fmt``); ``filename`` without extension."""
    name = safe_filename(filename)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_rows(columns, rows), content_type=CSV_TYPE)
        return _attachment(response, name, "csv")
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes([(name, columns, rows)]), content_type=XLSX_TYPE)
        return _attachment(response, name, "xlsx")
    raise ValueError(f"unknown export format {fmt!r}")


def _zip_member(index: int, title: Any, used: set[str]) -> str:
    stem = " ".join(re.sub(r"[\\/:*?\"<>|\x00-\x1f]", " ", str(title)).split())[:80]
    name = f"{index:02d} {stem or 'tabell'}.csv"
    while name in used:
        name = name[:-4] + "_.csv"
    used.add(name)
    return name


def csv_zip_bytes(tables) -> bytes:
    """A ZIP with one CSV per table, named by its number and title, in the order given."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, table in enumerate(tables, start=1):
            columns, rows = table.export()
            text = "".join(csv_rows(columns, rows))
            archive.writestr(_zip_member(index, table.title, used), text.encode("utf-8"))
    return buffer.getvalue()


def tables_response(fmt: str, filename: str, tables) -> HttpResponse | StreamingHttpResponse:
    """Statistics tables in one download: one sheet each (XLSX); one CSV for a single table,
    and a ZIP of one CSV per table for several (``zip``, or ``csv`` with more than one), so
    no file holds tables stacked on each other."""
    name = safe_filename(filename)
    tables = list(tables)
    if fmt == "xlsx":
        sheets = [(t.title, *t.export()) for t in tables]
        return _attachment(HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE), name, "xlsx")
    if fmt == "csv" and len(tables) == 1:
        return export_response("csv", filename, *tables[0].export())
    if fmt in ("csv", "zip"):
        return _attachment(HttpResponse(csv_zip_bytes(tables), content_type=ZIP_TYPE), name, "zip")
    raise ValueError(f"unknown export format {fmt!r}")
