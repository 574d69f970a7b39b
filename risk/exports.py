"""Exports of one assessment in the layout of a risk and control matrix: PDF and XLSX.

The PDF is rendered by WeasyPrint with a URL fetcher that allows only ``data:`` URLs (no file
or network access from user text); the heat maps are inline SVG. Everything is read through the
same queries as the page: items with their measures, the municipality's matrix.
"""

from __future__ import annotations

from io import BytesIO

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from risk import heatmap
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskMeasure


def _rows(assessment: RiskAssessment):
    matrix = matrix_for(assessment.unit)
    items = list(
        assessment.items.select_related("accepted_by")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=RiskMeasure.objects.select_related("action__responsible").order_by(
                    "action__deadline", "pk"
                ),
            )
        )
        .order_by("number")
    )
    for item in items:
        matrix.mark(item)
    return matrix, items


def _safe_url_fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"Blocked URL in PDF: {url[:80]}")


def assessment_pdf(assessment: RiskAssessment, request=None) -> bytes:
    from qms.reports.pdf import PDF_OPTIONS

    return pdf_document(assessment, request).write_pdf(**PDF_OPTIONS)


def pdf_document(assessment: RiskAssessment, request=None):
    """The laid-out WeasyPrint document (tests read its text to check the matrix is there)."""
    from weasyprint import HTML

    matrix, items = _rows(assessment)
    html = render_to_string(
        "risk/export_pdf.html",
        {
            "assessment": assessment,
            "matrix": matrix,
            "items": items,
            "maps": [heatmap.build(matrix, items, "i"), heatmap.build(matrix, items, "r")],
            "participants": assessment.participants.order_by("first_name", "last_name"),
            "generated": timezone.localtime(),
        },
        request=request,
    )
    return HTML(string=html, url_fetcher=_safe_url_fetcher).render()


COLUMNS = [
    (_("Nr."), 6),
    (_("Uønsket hendelse"), 36),
    (_("Årsak"), 30),
    (_("Eksisterende kontrolltiltak"), 30),
    (_("S"), 5),
    (_("K liv/helse"), 8),
    (_("K miljø/materielt"), 8),
    (_("K økonomi"), 8),
    (_("K omdømme"), 8),
    (_("K"), 5),
    (_("Risiko"), 8),
    (_("Håndtering"), 12),
    (_("Tiltak"), 40),
    (_("Ansvarlig"), 20),
    (_("Frist"), 12),
    (_("S etter"), 7),
    (_("K etter"), 7),
    (_("Restrisiko"), 10),
    (_("Akseptert av"), 20),
    (_("Begrunnelse for aksept"), 30),
]


def _clean(value):
    """Text cells never start with a formula character (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def assessment_xlsx(assessment: RiskAssessment) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    matrix, items = _rows(assessment)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Risiko og kontroll")[:31]
    ws.append([_clean(assessment.title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            _("Enhet"),
            assessment.unit.name,
            _("Status"),
            str(assessment.get_status_display()),
            _("Revisjon"),
            assessment.revision,
            _("Tiltaksgrense"),
            matrix.action_threshold,
        ]
    )
    ws.append([_("Aktivitet"), _clean(assessment.activity)])
    ws.append([])
    ws.append([str(title) for title, _w in COLUMNS])
    # Read after the append: an empty row adds no cell, so max_row + 1 before it was one short.
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    thick = Side(style="thick")
    for item in items:
        measures = list(item.measures.all())
        ws.append(
            [
                item.number,
                _clean(item.hazard),
                _clean(item.cause),
                _clean(item.existing_controls),
                item.probability,
                item.consequence_people,
                item.consequence_environment,
                item.consequence_economy,
                item.consequence_reputation,
                item.consequence,
                item.score,
                str(item.get_treatment_display()),
                _clean("\n".join(m.action.description for m in measures)),
                "\n".join(str(m.action.responsible) for m in measures),
                "\n".join(m.action.deadline.strftime("%d.%m.%Y") for m in measures),
                item.residual_probability,
                item.residual_consequence,
                item.residual_score,
                str(item.accepted_by) if item.accepted_by_id else "",
                _clean(item.acceptance_reason),
            ]
        )
        row = ws.max_row
        for cell in ws[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for col, score in ((11, item.score), (18, item.residual_score)):
            if score:
                colour, _label = matrix.cell(*_cell_for(item, col))
                target = ws.cell(row=row, column=col)
                target.fill = PatternFill("solid", fgColor=colour.lstrip("#"))
                if matrix.requires_measures(score):
                    target.font = Font(bold=True)
                    target.border = Border(left=thick, right=thick, top=thick, bottom=thick)
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)

    _heat_map_sheet(wb, matrix, items)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _heat_map_sheet(wb, matrix, items) -> None:
    """The inherent and the residual heat map on a sheet of their own."""
    from openpyxl.styles import Font, PatternFill

    sheet = wb.create_sheet(_("Varmekart")[:31])
    for kind in ("i", "r"):
        hm = heatmap.build(matrix, items, kind)
        sheet.append([hm.title])
        sheet.append([_("S / K"), *[c for c, _l in hm.columns]])
        for p, _label, cells in hm.rows:
            sheet.append([p, *[cell.count for cell in cells]])
            for cell, target in zip(cells, sheet[sheet.max_row][1:], strict=True):
                target.fill = PatternFill("solid", fgColor=cell.colour.lstrip("#"))
                if cell.over_threshold:
                    target.font = Font(bold=True)
        sheet.append([])


def _cell_for(item, column: int) -> tuple[int, int]:
    if column == 11:
        return item.probability, item.consequence
    return item.residual_probability, item.residual_consequence
