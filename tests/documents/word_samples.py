"""Sample Word files for the import tests, made with python-docx as a municipality's would be:
a title, headings, a table, bulleted and numbered lists and an image."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from docx import Document as WordDocument
from docx.shared import Cm


def png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (red pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def procedure_docx(
    title: str = "Legemiddelhåndtering i hjemmetjenesten",
    number: str | None = "RUT-0042",
    image: bool = True,
    title_style: bool = True,
) -> bytes:
    doc = WordDocument()
    if title_style:
        doc.add_heading(title, level=0)  # the "Title" style
    else:
        doc.core_properties.title = title
    if number:
        doc.add_paragraph(f"Dokumentnummer: {number}")
    doc.add_heading("Formål", level=1)
    doc.add_paragraph("Sikre riktig og trygg håndtering av legemidler.")
    doc.add_heading("Ansvar", level=2)
    doc.add_paragraph("Enhetsleder har ansvar for at rutinen følges.")
    doc.add_heading("Arbeidsbeskrivelse", level=1)
    for step in ("Kontroller dosett mot kurve", "Gi legemidlet", "Signer i kurven"):
        doc.add_paragraph(step, style="List Number")
    for item in ("Hansker", "Dosett"):
        doc.add_paragraph(item, style="List Bullet")
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for row, (who, what) in enumerate(
        [("Hvem", "Hva"), ("Sykepleier", "Deler ut"), ("Leder", "Kontrollerer")]
    ):
        table.cell(row, 0).text, table.cell(row, 1).text = who, what
    if image:
        doc.add_paragraph("Slik ser etiketten ut:")
        doc.add_picture(io.BytesIO(png()), width=Cm(2))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
