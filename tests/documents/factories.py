"""Helpers that build documents through the services, as users would."""

from __future__ import annotations

from documents import services
from documents.services import DocumentData

BODY = (
    "<h2>Formål</h2><p>Sikre riktig håndtering av legemidler.</p>"
    "<h2>Arbeidsbeskrivelse</h2><p>Sykepleier kontrollerer dosett mot kurve.</p>"
)


def draft(author, unit, title="Legemiddelhåndtering", body=BODY, **extra):
    return services.create_document(
        author, DocumentData(title=title, unit=unit, body=body, **extra)
    )


def published(author, approver, unit, title="Legemiddelhåndtering", body=BODY, **extra):
    document = draft(author, unit, title=title, body=body, **extra)
    version = document.versions.get()
    services.submit(author, version)
    services.approve(approver, version)
    document.refresh_from_db()
    return document
