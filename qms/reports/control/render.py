"""The report on internal control as a tagged PDF, a Word document (for the council's case
system) and a self-contained HTML page (to publish), all from the chapters' kept figures."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qms.reports import pdf
from qms.reports.models import InternalControlReport
from qms.reports.templatetags.reports_tags import stat_cell


def approver_name(report: InternalControlReport) -> str:
    approver = report.approved_by
    return (approver.get_full_name() or approver.get_username()) if approver else ""


def _context(report: InternalControlReport, **extra) -> dict:
    return {
        "report": report,
        "chapters": list(report.chapters.select_related("unit").order_by("position")),
        "approver": approver_name(report),
        **extra,
    }


def html(report: InternalControlReport, *, for_pdf: bool = False) -> str:
    """The whole report as one HTML document (the published version, and the PDF's source)."""
    return render_to_string("reports/control/document.html", _context(report, pdf=for_pdf))


def pdf_bytes(report: InternalControlReport) -> bytes:
    """A tagged PDF/UA-1 through the quality report's safe WeasyPrint set-up."""
    content, _pages = pdf.render_pdf(html(report, for_pdf=True))
    return content


def _paragraphs(document, text: str) -> None:
    for block in text.split("\n\n"):
        if block.strip():
            document.add_paragraph(block.strip())


def _table(document, table: dict) -> None:
    document.add_paragraph(table["title"], style="Caption")
    grid = document.add_table(rows=1, cols=len(table["columns"]))
    grid.style = "Table Grid"
    for cell, column in zip(grid.rows[0].cells, table["columns"], strict=True):
        cell.text = str(column)
    for row in table["rows"]:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(stat_cell(value))


def _chapter(document, chapter) -> None:
    document.add_heading(f"{chapter.position}. {chapter.title}", level=1)
    document.add_heading(_("Kommunedirektørens vurdering"), level=2)
    for title, text in (
        (_("Dette fungerer godt"), chapter.good),
        (_("Dette fungerer ikke godt nok"), chapter.weak),
        (_("Dette vil vi gjøre"), chapter.planned),
    ):
        document.add_heading(title, level=3)
        _paragraphs(document, text or _("Ikke skrevet."))
    for part in chapter.parts:
        document.add_heading(part["title"], level=2)
        if part["intro"]:
            document.add_paragraph(part["intro"])
        for label, value in part["figures"]:
            document.add_paragraph(f"{label}: {stat_cell(value)}", style="List Bullet")
        for table in part["tables"]:
            _table(document, table)
        if not part["tables"] and part["empty"]:
            document.add_paragraph(part["empty"])


def docx_bytes(report: InternalControlReport) -> bytes:
    """The report as a Word document with real headings (the council's case system imports
    it), the same chapters and figures as the PDF."""
    from docx import Document

    context = _context(report)
    document = Document()
    document.core_properties.title = str(report)
    document.core_properties.author = report.unit.name
    document.add_heading(f"{report.unit.name}: {report}", level=0)
    if report.is_approved:
        document.add_paragraph(
            _("Godkjent av %(name)s %(at)s.")
            % {
                "name": context["approver"],
                "at": date_format(timezone.localtime(report.approved_at), "DATE_FORMAT"),
            }
        )
    else:
        document.add_paragraph(_("Utkast – ikke godkjent."))
    for chapter in context["chapters"]:
        _chapter(document, chapter)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
