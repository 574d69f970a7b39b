from datetime import date, timedelta
from io import BytesIO

import pytest

from risk import exports, services
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


def _texts(box):
    if getattr(box, "text", None):
        yield box.text
    for child in getattr(box, "children", []):
        yield from _texts(child)


@pytest.fixture
def filled(org, assessment):
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(
            hazard='=HYPERLINK("http://x")',
            probability=4,
            residual_probability=2,
            residual_consequence=4,
        ),
    )
    services.add_measure(
        actor=org.leader_a1,
        item=item,
        description="Strekkodeskanning",
        responsible=org.employee_a1,
        deadline=date.today() + timedelta(days=20),
    )
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=1))
    return assessment


def test_pdf_renders_with_the_matrix(org, client_for, filled):
    response = client_for(org.employee_a1).get(f"/ros/{filled.pk}/ros.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    document = exports.pdf_document(filled)
    text = " ".join(t for page in document.pages for t in _texts(page._page_box))
    assert "Risikomatrise" in text
    assert "Risiko før tiltak" in text and "Restrisiko etter tiltak" in text
    assert "Strekkodeskanning" in text


def test_xlsx_is_a_risk_and_control_matrix(org, client_for, filled):
    from openpyxl import load_workbook

    response = client_for(org.employee_a1).get(f"/ros/{filled.pk}/ros.xlsx")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Nr.")
    assert "Tiltak" in header and "Restrisiko" in header
    first = rows[rows.index(header) + 1]
    assert first[1].startswith("'=")  # no formula injection
    assert first[header.index("Risiko")] == 16
    assert first[header.index("Tiltak")] == "Strekkodeskanning"
    heat = wb.worksheets[1]
    counts = [c for r in heat.iter_rows(values_only=True) for c in r[1:] if isinstance(c, int)]
    assert sum(counts) >= 2


def test_xlsx_freezes_the_rows_down_to_the_column_header(org, client_for, filled):
    """Scrolling the matrix keeps the column titles and the number and hazard in view: the
    panes freeze just below the header row, not one row above it."""
    from openpyxl import load_workbook

    response = client_for(org.employee_a1).get(f"/ros/{filled.pk}/ros.xlsx")
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    header_row = next(row[0].row for row in ws.iter_rows() if row[0].value == "Nr.")
    assert ws.freeze_panes == f"C{header_row + 1}"
    assert all(c.font.bold for c in ws[header_row] if c.value)
