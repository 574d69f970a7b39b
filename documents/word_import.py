"""Word (.docx) import into drafts (docs/design.md §4).

One or many .docx files, or a ZIP of a folder tree, become drafts: the body is converted by
mammoth to HTML and then goes through the one sanitiser (``documents.sanitize.clean_html``), the
title comes from the file's title (the "Tittel" style, the file's properties or its first
heading), a document number written in the file ("Dokumentnummer: RUT-0042") is reported and kept
in the change summary (the draft gets its number from the number series, as every new document),
images become attachments of the draft, and everything that could not be converted is listed in
the import report. A ZIP's folders map to processes by name; a file in a folder that matches no
process gets the process chosen on the form, and the report says so.

Drafts are created by ``services.create_document`` and ``services.add_attachment`` only, so
nothing is published without the normal approval, and who may import is who may create a
document in the unit (``documents.permissions.document_create_units``).

Limits (a ZIP bomb never fills the disk or the memory): the size of an upload, the number of
files in a ZIP, and the total unpacked size of a ZIP and of each .docx (itself a ZIP), counted on
the bytes actually read, not on what the archive's headers claim.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import PurePosixPath

import mammoth
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from documents import services
from documents.models import Document, Process
from documents.sanitize import TAGS, clean_html, clean_text
from documents.services import DocumentData, WorkflowError
from qms import permissions
from qms.exceptions import StateError
from qms.models import OrgUnit, User

MB = 1024 * 1024
# The import runs in the request (a .docx converts in a fraction of a second), so a ZIP holds at
# most 50 documents: a larger folder tree goes in several ZIPs. An upload also stays under the
# proxy's body limit (Caddyfile, QMS_MAX_BODY_MB, 60 MB by default).
LIMITS = {
    "docx_bytes": 20 * MB,  # one uploaded .docx
    "docx_unpacked": 100 * MB,  # the parts of one .docx, unpacked
    "zip_bytes": 50 * MB,  # one uploaded .zip
    "zip_unpacked": 200 * MB,  # every .docx in a ZIP, unpacked
    "zip_files": 50,  # .docx files in one ZIP, and in one import
    "zip_entries": 2000,  # entries of any kind in one ZIP
    "files": 50,  # files in one upload
    "image_bytes": 10 * MB,  # one image kept as an attachment
}
LIMITS.update(getattr(settings, "DOCUMENTS_IMPORT_LIMITS", {}))

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}

# Word's built-in style names are stored in English whatever the language of Word ("heading 1"
# for "Overskrift 1"). The page's title is the h1, so headings start at h2 (h2 to h4, as the
# sanitiser and the editor allow); the title style becomes the h1 that is taken out as the title.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='heading 1'] => h2:fresh
p[style-name='heading 2'] => h3:fresh
p[style-name='heading 3'] => h4:fresh
p[style-name='heading 4'] => h4:fresh
p[style-name='heading 5'] => h4:fresh
p[style-name='heading 6'] => h4:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='Heading 4'] => h4:fresh
"""

NUMBER = r"[A-ZÆØÅ]{2,6}[-.]?\d{1,6}(?:[-.]\d{1,4})?"
NUMBER_LABEL = re.compile(
    rf"(?:Dokumentnummer|Dokumentnr\.?|Dok\.?\s*nr\.?|Document number)\s*[:.]?\s*({NUMBER})\b",
    re.I,
)
LEADING_NUMBER = re.compile(rf"^\s*({NUMBER})\b[\s:–-]*")
_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
_FIRST_H2 = re.compile(r"^\s*<h2>(.*?)</h2>", re.S)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b")
_CORE_TITLE = re.compile(rb"<dc:title>(.*?)</dc:title>", re.S)


class ImportRefused(StateError):
    """A file that cannot be imported (not a .docx, damaged, too large); said to the user."""


@dataclass
class Image:
    name: str
    content_type: str
    data: bytes


@dataclass
class Converted:
    """A .docx file read: its title, the number written in it, the clean body and its images."""

    title: str
    number: str
    body: str
    images: list[Image] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    """What became of one file: the draft made from it, or why none was made."""

    name: str
    document: Document | None = None
    process: Process | None = None
    number: str = ""
    attachments: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def created(self) -> list[FileResult]:
        return [r for r in self.results if r.document is not None]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.document is None]


def _mb(n: int) -> int:
    return n // MB


def _read_limited(handle, limit: int, refusal: str) -> bytes:
    """At most ``limit`` bytes from ``handle``; more is refused (headers can lie)."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused(refusal)
    return data


def _check_package(data: bytes, name: str) -> None:
    """A .docx is a ZIP with word/document.xml whose parts unpack to a bounded size."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused(
            _("«%(name)s» er ikke en gyldig Word-fil (.docx). Er den skadet?") % {"name": name}
        ) from None
    with package:
        if "word/document.xml" not in package.namelist():
            raise ImportRefused(_("«%(name)s» er ikke et Word-dokument (.docx).") % {"name": name})
        too_large = _("«%(name)s» er for stor utpakket (over %(max)s MB).") % {
            "name": name,
            "max": _mb(LIMITS["docx_unpacked"]),
        }
        remaining = LIMITS["docx_unpacked"]
        for info in package.infolist():
            with package.open(info) as handle:
                remaining -= len(_read_limited(handle, remaining, too_large))


def _core_title(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if "docProps/core.xml" not in package.namelist():
            return ""
        with package.open("docProps/core.xml") as handle:
            match = _CORE_TITLE.search(handle.read(64 * 1024))
    return clean_text(unescape(match.group(1).decode("utf-8", "replace"))) if match else ""


class _ImageCollector:
    """mammoth's image hook: keeps each image and leaves a marker in the text where it was."""

    def __init__(self):
        self.images: list[Image] = []
        self.notes: list[str] = []

    def __call__(self, image):
        number = len(self.images) + len(self.notes) + 1
        content_type = (image.content_type or "").lower()
        suffix = IMAGE_TYPES.get(content_type)
        if suffix is None:
            self.notes.append(
                _("Bilde %(n)s (%(type)s) kan ikke vises og ble ikke tatt med.")
                % {"n": number, "type": content_type or "?"}
            )
            return [mammoth.html.text(_("[Bilde %(n)s mangler]") % {"n": number})]
        with image.open() as handle:
            data = handle.read(LIMITS["image_bytes"] + 1)
        if len(data) > LIMITS["image_bytes"]:
            self.notes.append(_("Bilde %(n)s er for stort og ble ikke tatt med.") % {"n": number})
            return [mammoth.html.text(_("[Bilde %(n)s mangler]") % {"n": number})]
        name = f"bilde-{number}{suffix}"
        self.images.append(Image(name, content_type, data))
        return [
            mammoth.html.text(
                _("[Bilde %(n)s: se vedlegget %(name)s]") % {"n": number, "name": name}
            )
        ]


def _dropped_tags(raw: str) -> list[str]:
    """Elements the sanitiser removes (their text stays), for the report."""
    return sorted({tag.lower() for tag in _TAG.findall(raw)} - TAGS)


def _title_and_body(raw: str, core_title: str, fallback: str) -> tuple[str, str]:
    """The title (the title style, the file's properties, a first heading, the file name) and
    the body without the heading the title was taken from."""
    match = _H1.search(raw)
    if match:
        return clean_text(match.group(1)), raw[: match.start()] + raw[match.end() :]
    if core_title:
        return core_title, raw
    match = _FIRST_H2.search(raw)
    if match:
        return clean_text(match.group(1)), raw[match.end() :]
    return fallback, raw


def _number(title: str, text: str, filename: str) -> tuple[str, str]:
    """The document number written in the file (or leading its title or file name), and the
    title without it."""
    match = LEADING_NUMBER.match(title)
    if match:
        return match.group(1), title[match.end() :].strip() or title
    for source in (text[:3000], filename):
        found = NUMBER_LABEL.search(source) or LEADING_NUMBER.match(source)
        if found:
            return found.group(1), title
    return "", title


def convert_docx(data: bytes, name: str) -> Converted:
    """A .docx file as a draft's parts; :class:`ImportRefused` when it cannot be read."""
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(_("«%(name)s» er ikke en Word-fil (.docx).") % {"name": name})
    _check_package(data, name)
    images = _ImageCollector()
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=images,
            # A linked (not embedded) image is never fetched from the server's disk.
            external_file_access=False,
        )
    except Exception:  # mammoth raises many kinds on a damaged file; none may reach the user
        raise ImportRefused(
            _("«%(name)s» kunne ikke leses. Åpne den i Word og lagre den på nytt som .docx.")
            % {"name": name}
        ) from None
    raw = result.value
    stem = PurePosixPath(name).stem
    title, raw = _title_and_body(raw, _core_title(data), clean_text(stem))
    body = clean_html(raw)
    number, title = _number(title, re.sub(r"<[^>]+>", " ", body), stem)
    notes = [*images.notes]
    notes += [
        _("Word-konvertering: %(message)s") % {"message": m.message}
        for m in result.messages
        if m.type in ("warning", "error")
    ]
    dropped = [tag for tag in _dropped_tags(raw) if tag != "img"]
    if dropped:
        notes.append(
            _("Fjernet formatering som ikke er tillatt i rutiner: %(tags)s (teksten er beholdt).")
            % {"tags": ", ".join(dropped)}
        )
    if not body.strip():
        notes.append(_("Dokumentet har ingen tekst."))
    return Converted(title=title[:250], number=number, body=body, images=images.images, notes=notes)


# --- From uploads to drafts ------------------------------------------------------------------


@dataclass
class Source:
    """One .docx to import: its name (with its folder path inside a ZIP) and its bytes."""

    name: str
    data: bytes
    folders: tuple[str, ...] = ()


def _skipped(path: PurePosixPath) -> bool:
    """Entries a ZIP made on a Mac or by Word carries that are not documents."""
    return (
        "__MACOSX" in path.parts
        or path.name.startswith(("~$", "."))
        or any(part.startswith(".") for part in path.parts[:-1])
    )


def _zip_sources(data: bytes, name: str, report: ImportReport) -> list[Source]:
    """The .docx files of a ZIP with their folder paths, within the ZIP limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused(_("«%(name)s» er ikke en gyldig ZIP-fil.") % {"name": name}) from None
    with archive:
        entries = [i for i in archive.infolist() if not i.is_dir()]
        if len(entries) > LIMITS["zip_entries"]:
            raise ImportRefused(
                _("«%(name)s» har for mange filer (over %(max)s).")
                % {"name": name, "max": LIMITS["zip_entries"]}
            )
        documents = []
        for info in entries:
            path = PurePosixPath(info.filename.replace("\\", "/"))
            if _skipped(path):
                continue
            if path.suffix.lower() != ".docx":
                report.notes.append(
                    _("Hoppet over «%(path)s»: bare Word-filer (.docx) importeres.")
                    % {"path": str(path)}
                )
                continue
            documents.append((info, path))
        if len(documents) > LIMITS["zip_files"]:
            raise ImportRefused(
                _("«%(name)s» har %(count)s Word-filer; høyst %(max)s kan importeres om gangen.")
                % {"name": name, "count": len(documents), "max": LIMITS["zip_files"]}
            )
        too_large = _("«%(name)s» er for stor utpakket (over %(max)s MB).") % {
            "name": name,
            "max": _mb(LIMITS["zip_unpacked"]),
        }
        remaining, sources = LIMITS["zip_unpacked"], []
        for info, path in documents:
            with archive.open(info) as handle:
                content = _read_limited(handle, remaining, too_large)
            remaining -= len(content)
            sources.append(Source(str(path), content, tuple(p for p in path.parts[:-1])))
    return sources


def sources_of(uploads, report: ImportReport) -> list[Source]:
    """The .docx files of the uploads (each a .docx or a .zip); the whole upload is refused
    when one file breaks a limit, so nothing is half-imported."""
    if len(uploads) > LIMITS["files"]:
        raise ImportRefused(_("Last opp høyst %(max)s filer om gangen.") % {"max": LIMITS["files"]})
    sources = []
    for upload in uploads:
        name = PurePosixPath(upload.name).name
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in (".docx", ".zip"):
            message = _("«%(name)s» er ikke en Word-fil (.docx) eller en ZIP-fil.") % {"name": name}
            if suffix == ".doc":
                message += " " + _("Lagre den som .docx i Word først.")
            raise ImportRefused(message)
        limit = LIMITS["zip_bytes"] if suffix == ".zip" else LIMITS["docx_bytes"]
        if upload.size > limit:
            raise ImportRefused(
                _("«%(name)s» er for stor (%(size)s MB). Største tillatte størrelse er %(max)s MB.")
                % {"name": name, "size": round(upload.size / MB, 1), "max": _mb(limit)}
            )
        upload.seek(0)
        data = upload.read()
        if suffix == ".zip":
            sources += _zip_sources(data, name, report)
        else:
            sources.append(Source(name, data))
    return sources


class ProcessMap:
    """Folder names to processes (by name or code, case and spacing ignored)."""

    def __init__(self, default: Process | None):
        self.default = default
        self.by_key: dict[str, Process] = {}
        for process in Process.objects.order_by("-depth"):
            self.by_key[self._key(process.name)] = process
            self.by_key[self._key(process.code)] = process

    @staticmethod
    def _key(value: str) -> str:
        return re.sub(r"[\s_-]+", " ", value).strip().casefold()

    def process_for(self, folders: tuple[str, ...]) -> tuple[Process | None, str]:
        """The process of the deepest folder that names one, and a note when none does."""
        for folder in reversed(folders):
            process = self.by_key.get(self._key(folder))
            if process is not None:
                return process, ""
        if not folders:
            return self.default, ""
        default = self.default.name if self.default else _("ingen prosess")
        return self.default, _(
            "Mappen «%(folder)s» svarer ikke til noen prosess; lagt under %(default)s."
        ) % {
            "folder": "/".join(folders),
            "default": default,
        }


def _summary(source: Source, number: str) -> str:
    summary = _("Importert fra Word-filen «%(name)s».") % {"name": source.name}
    if number:
        summary += " " + _("Dokumentnummer i filen: %(number)s.") % {"number": number}
    return summary


def _import_one(user: User, source: Source, unit: OrgUnit, processes: ProcessMap) -> FileResult:
    result = FileResult(source.name)
    try:
        converted = convert_docx(source.data, source.name)
    except ImportRefused as exc:
        result.error = str(exc)
        return result
    result.process, note = processes.process_for(source.folders)
    result.number, result.notes = converted.number, [*converted.notes]
    if note:
        result.notes.insert(0, note)
    try:
        with transaction.atomic():
            document = services.create_document(
                user,
                DocumentData(
                    title=converted.title,
                    unit=unit,
                    body=converted.body,
                    process=result.process,
                    change_summary=_summary(source, converted.number),
                ),
            )
            version = document.versions.get()
            for image in converted.images:
                upload = ContentFile(image.data, name=image.name)
                upload.content_type = image.content_type
                services.add_attachment(user, version, upload)
    except WorkflowError as exc:
        result.error = str(exc)
        return result
    result.document, result.attachments = document, len(converted.images)
    return result


def import_word_files(
    user: User, uploads, *, unit: OrgUnit, process: Process | None = None
) -> ImportReport:
    """Drafts in ``unit`` from uploaded .docx files and ZIPs of folder trees, with the report.

    Refused as a whole (:class:`ImportRefused`) when an upload is not a .docx or .zip or breaks a
    limit; a single file that cannot be read is reported and the others are imported.
    """
    if not permissions.can_create(user, Document, unit):
        raise PermissionDenied
    report = ImportReport()
    sources = sources_of(list(uploads), report)
    if not sources:
        raise ImportRefused(_("Fant ingen Word-filer (.docx) å importere."))
    if len(sources) > LIMITS["zip_files"]:
        raise ImportRefused(
            _("Høyst %(max)s Word-filer kan importeres om gangen; del opp i flere omganger.")
            % {"max": LIMITS["zip_files"]}
        )
    processes = ProcessMap(process)
    report.results = [_import_one(user, source, unit, processes) for source in sources]
    return report
