"""Documents on paper: the tagged PDF of one version, and the documents in force on a date.

A version's PDF carries the header a reader of a printed copy needs (number, version, status,
approver, approval date, next revision) and on every page "Skrevet ut <date> — sjekk gjeldende
versjon på nett" with the document's address, so a copy in a ward binder says how old it is.
Old versions are marked as superseded (or withdrawn), drafts as not approved.

Rendering goes through ``qms.reports.pdf`` (the safe URL fetcher, PDF/UA-1 tagging). One version
is small (a few pages, well under a second): it renders in the request. The bundle of every
document in force on a date can be hundreds of documents: it is a background job on the ``pdf``
queue (``documents.tasks.render_in_force_bundle``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from documents.models import DocumentVersion


@dataclass(frozen=True)
class PrintedCopy:
    """One version as printed: the version, the address of its document and when it was printed."""

    version: DocumentVersion
    url: str

    @property
    def marking(self) -> str:
        """The status word a printed copy carries when it is not the version in force."""
        from django.utils.translation import gettext as _

        status = self.version.status
        if status == DocumentVersion.Status.SUPERSEDED:
            return _("Utgått – erstattet av en nyere versjon")
        if status == DocumentVersion.Status.ARCHIVED:
            return _("Utgått – dokumentet er trukket tilbake")
        if status in DocumentVersion.OPEN:
            return _("Utkast – ikke godkjent")
        return ""


def version_filename(version: DocumentVersion) -> str:
    return f"{version.document.number}-v{version.number}-{slugify(version.title)[:60]}.pdf"


def version_html(copy: PrintedCopy, printed_at: datetime | None = None) -> str:
    return render_to_string(
        "documents/pdf/version.html",
        {
            "copies": [copy],
            "printed_at": printed_at or timezone.localtime(),
            "title": f"{copy.version.document.number} {copy.version.title}",
        },
    )


def version_pdf(copy: PrintedCopy, printed_at: datetime | None = None) -> bytes:
    """The tagged PDF of one version (rendered at once: a handful of pages)."""
    from qms.reports import pdf

    content, _pages = pdf.render_pdf(version_html(copy, printed_at))
    return content


def bundle_html(copies: list[PrintedCopy], day: date, heading: str, printed_at=None) -> str:
    """One HTML document: a cover with the table of contents, then every version."""
    return render_to_string(
        "documents/pdf/version.html",
        {
            "copies": copies,
            "bundle_day": day,
            "heading": heading,
            "printed_at": printed_at or timezone.localtime(),
            "title": heading,
        },
    )


def language_of_request() -> str:
    return translation.get_language() or "nb"
