"""CSV and XLSX export of any list or statistics table.

Every module can export a list with :func:`export_response` given the column headers and an
iterable of rows (a ``values_list`` iterator over a restricted queryset, so the permission layer
and the filters apply and nothing is loaded whole). CSV is streamed; XLSX is written in
openpyxl's write-only mode.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are written as text (CSV injection, OWASP).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XLSX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def _cell(value: Any) -> Any:
    from qms.reports.tables import plain

    value = plain(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, bool | int | float | Decimal | dt.date) or value is None:
        return value
    return str(value)


def _csv_text(value: Any) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
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
    """The CSV text, line by line: UTF-8 with a byte-order mark and ``;`` (what Excel in
    Norwegian opens correctly)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([str(c) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_text(c) for c in row])


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, columns, rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for title, columns, rows in sheets:
        name = re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Ark"
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows:
            cells = []
            for value in row:
                value = _cell(value)
                if isinstance(value, str):
                    value = _ILLEGAL_XLSX.sub("", value)
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(name: str) -> str:
    return _SAFE_NAME.sub("-", name).strip("-") or "eksport"


def export_response(
    fmt: str, filename: str, columns: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    """A download of ``rows`` as CSV or XLSX (``fmt``); ``filename`` without extension."""
    name = safe_filename(filename)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_rows(columns, rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes([(name, columns, rows)]), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise ValueError(f"unknown export format {fmt!r}")


def tables_response(fmt: str, filename: str, tables) -> HttpResponse | StreamingHttpResponse:
    """Several statistics tables in one download: one sheet each (XLSX), or one after another
    separated by a title line (CSV)."""
    name = safe_filename(filename)
    if fmt == "xlsx":
        sheets = [(t.title, t.columns, t.plain_rows()) for t in tables]
        response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    tables = list(tables)
    if len(tables) == 1:
        return export_response("csv", filename, tables[0].columns, tables[0].plain_rows())

    def lines():
        for i, table in enumerate(tables):
            chunk = csv_rows(table.columns, table.plain_rows())
            first = next(chunk)
            yield ("\ufeff" if i == 0 else "\r\n") + f"{table.title}\r\n" + first.lstrip("\ufeff")
            yield from chunk

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
