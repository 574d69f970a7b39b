# ruff: noqa: F811  (the imported fixture is a test parameter)
"""The quality report PDF as a reader gets it: tagged for a screen reader with its
language, words broken at syllables and never mid-syllable in a table header, and no page
holding a few leftover rows of a table."""

import contextlib
import re
import zlib

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from qms.reports import pdf, periods, quality_report
from qms.reports.scope import Scope
from qms.reports.tables import Table

# The deviation statistics' fixed data set (its fixture "data").
from tests.reports.test_deviation_stats import data  # noqa: F401

pytestmark = pytest.mark.django_db

HYPHENS = ("-", "\u2010", "\u00ad")


def pdf_text(content: bytes) -> bytes:
    """The PDF's objects, with the compressed object streams inflated (no PDF library is
    installed; the catalogue lives in a compressed object stream)."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        with contextlib.suppress(zlib.error):  # a stream that is not deflated (an image)
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def report_html(unit, language="nb"):
    with translation.override(language):
        return pdf.render_html(quality_report.build_context(Scope(unit), periods.year(2025)))


def boxes(box, kind):
    if type(box).__name__ == kind:
        yield box
    for child in getattr(box, "children", []):
        yield from boxes(child, kind)


def text_of(box) -> str:
    return (getattr(box, "text", None) or "") + "".join(
        text_of(c) for c in getattr(box, "children", [])
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_report_is_a_tagged_pdf_in_its_language(data, language):
    html = report_html(data.sector_a, language)
    images = re.findall(r"<img\b[^>]*>", html)
    assert images, "the report has charts"
    assert all(re.search(r'alt="[^"]{5,}"', tag) for tag in images)  # every chart is described
    content, _pages = pdf.render_pdf(html)
    objects = pdf_text(content)
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true\s*>>", objects)
    assert f"/Lang ({language})".encode() in objects
    assert b"pdfuaid:part" in objects  # declared PDF/UA-1
    assert b"/Figure" in objects and b"/Alt" in objects  # the charts with their text


def test_table_headers_break_between_syllables_never_mid_word(data):
    """With hyphenation in the document's language a narrow header reads "Skade eller
    nesten-/ulykke", not "nestenuly/kke" (overflow-wrap: anywhere did that)."""
    document = pdf.render_document(report_html(data.sector_a))
    checked = 0
    for page in document.pages:
        for cell in boxes(page._page_box, "TableCellBox"):
            if cell.element_tag != "th":
                continue
            header = " ".join("".join(cell.element.itertext()).split())
            lines = [text_of(line).strip() for line in boxes(cell, "LineBox")]
            read = ""
            for line in lines[:-1]:
                checked += 1
                if line.endswith(HYPHENS):  # hyphenated at a syllable
                    read += line[:-1]
                    continue
                read += line
                # Otherwise a line ends where the header has a space.
                assert header.startswith(read + " "), lines
                read += " "
    assert checked  # some headers do wrap in this report


def _splits(document) -> list[list[int]]:
    """For each table laid out on more than one page, its body rows on each page."""
    pages_of: dict = {}
    for page in document.pages:
        for table in boxes(page._page_box, "TableBox"):
            rows = sum(
                len(group.children)
                for group in boxes(table, "TableRowGroupBox")
                if group.element_tag == "tbody"
            )
            pages_of.setdefault(table.element, []).append(rows)
    return [rows for rows in pages_of.values() if len(rows) > 1]


def test_no_page_of_the_report_holds_a_few_leftover_rows(data):
    # This report used to spill the summary, the month table and the control chart onto a next
    # page with four rows each.
    document = pdf.render_document(report_html(data.sector_a))
    assert all(min(rows) >= 5 for rows in _splits(document)), _splits(document)


@pytest.mark.parametrize(
    ("paragraphs", "rows"),
    [
        (0, 37),  # a page and two rows: the old layout left two rows alone on page 2
        (8, 62),  # after some text: the old layout left two rows alone on page 3
    ],
)
def test_a_long_table_leaves_at_least_five_rows_on_its_last_page(paragraphs, rows):
    table = Table(key="long", title="Lang liste", columns=["Nr.", "Enhet", "Dager"])
    for n in range(1, rows + 1):
        table.add(f"AV-2025-{n:05d}", "Enhet A1", n)
    body = render_to_string("reports/pdf/_table.html", {"table": table})
    html = (
        '<html lang="nb"><head><link rel="stylesheet" href="/static/reports/pdf.css"></head>'
        f"<body>{'<p>Tekst.</p>' * paragraphs}{body}</body></html>"
    )
    splits = _splits(pdf.render_document(html))
    assert splits, "the table runs over a page"
    assert all(pages[0] >= 3 and pages[-1] >= 5 for pages in splits), splits
