"""Documents at the reference size (docs/design.md §11): 10,000 documents with 50,000 versions.

Bulk inserts in batches; the full-text vectors are filled by one UPDATE; a read round with
receipts for the most recent fifth of the documents. Targets: the document list and search
pages, the API list, the revision overview, a document page; extra: both sweeps.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from bench import data
from bench.harness import swept, swept_again, timed
from documents import reminders
from documents.models import (
    Document,
    DocumentType,
    DocumentVersion,
    NumberSequence,
    Process,
    ReadReceipt,
    ReadRound,
)
from documents.services import search_vector_expression
from qms import permissions
from qms.dates import months_after

VERSIONS_PER_DOCUMENT = 5
WORDS = [
    "rutine",
    "ansatte",
    "leder",
    "skal",
    "sikre",
    "at",
    "beboer",
    "bruker",
    "pasient",
    "legemidler",
    "dosett",
    "kurve",
    "hygiene",
    "smittevern",
    "avvik",
    "meldes",
    "kvalitetssystemet",
    "tiltak",
    "frist",
    "ansvar",
    "opplæring",
    "brann",
    "rømning",
    "nøkkel",
    "tilgang",
    "journal",
    "personvern",
    "samtykke",
    "vedtak",
    "kartlegging",
    "ernæring",
    "fall",
    "skade",
    "beredskap",
    "varsling",
    "kontroll",
    "dokumentasjon",
    "signeres",
    "vakt",
    "sykepleier",
    "helsefagarbeider",
    "barnehage",
    "skole",
    "elev",
    "foresatte",
    "vann",
    "prøve",
    "avløp",
    "vei",
    "brøyting",
    "innkjøp",
    "anskaffelse",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


@transaction.atomic
def build_documents(ref: data.Reference, scale: float) -> str:
    rng = random.Random(7)
    count = max(50, int(10_000 * scale))
    today = timezone.localdate()
    roots = [
        Process.add_root(code=f"bench-{kind}", name=f"Bench {kind}", kind=kind)
        for kind in ("management", "core", "support")
    ]
    processes = []
    for i, root in enumerate(roots):
        for j in range(6):
            root.refresh_from_db()
            processes.append(root.add_child(code=f"bench-{i}-{j}", name=f"Prosess {i}.{j}"))
    units = [u for u in ref.units if u.depth >= 3]
    documents = []
    doc_type = DocumentType.objects.get(code="rutine")
    for i in range(count):
        unit = units[i % len(units)]
        documents.append(
            Document(
                number=f"BEN-{i + 1:05d}",
                title=f"Rutine {i + 1}: {_text(rng, 4)}",
                unit=unit,
                approval_unit=unit,
                doc_type=doc_type,
                process=processes[i % len(processes)],
                status=Document.Status.PUBLISHED,
                revision_responsible=ref.leaders.get(unit.pk),
                # Spread revision dates over the year: a few percent are due or overdue.
                next_revision=today + timedelta(days=rng.randint(-20, 365)),
            )
        )
    Document.objects.bulk_create(documents, batch_size=data.BATCH)
    NumberSequence.objects.update_or_create(prefix="BEN", defaults={"last": count})
    versions = []
    for document in documents:
        approved_on = document.next_revision - timedelta(days=365)
        for n in range(1, VERSIONS_PER_DOCUMENT + 1):
            body = _text(rng, 120)
            versions.append(
                DocumentVersion(
                    document=document,
                    number=n,
                    status="published" if n == VERSIONS_PER_DOCUMENT else "superseded",
                    title=document.title,
                    body=f"<p>{body}</p>",
                    body_text=body,
                    change_summary="Revidert",
                    author_id=ref.leaders.get(document.unit_id).pk,
                    approver_id=ref.sector_leader.pk,
                    approved_at=timezone.now() - timedelta(days=365 * (VERSIONS_PER_DOCUMENT - n)),
                    next_revision=document.next_revision
                    if n == VERSIONS_PER_DOCUMENT
                    else months_after(approved_on, 12),
                )
            )
            if len(versions) >= data.BATCH:
                DocumentVersion.objects.bulk_create(versions, batch_size=data.BATCH)
                versions = []
    DocumentVersion.objects.bulk_create(versions, batch_size=data.BATCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_document d SET current_version_id = v.id "
            "FROM documents_documentversion v "
            "WHERE v.document_id = d.id AND v.status = 'published' AND d.number LIKE 'BEN-%%'"
        )
    DocumentVersion.objects.filter(document__number__startswith="BEN-").update(
        search_vector=search_vector_expression()
    )
    # A read round for the most recent fifth, with receipts for the owning unit's members.
    recent = Document.objects.filter(number__startswith="BEN-").order_by("-pk")[: count // 5]
    rounds = [
        ReadRound(
            document_id=d.pk,
            version_id=d.current_version_id,
            deadline=today + timedelta(days=rng.randint(-30, 14)),
        )
        for d in recent
    ]
    ReadRound.objects.bulk_create(rounds, batch_size=data.BATCH)
    receipts = []
    for r, d in zip(rounds, recent, strict=True):
        for user_id in ref.members.get(d.unit_id, []):
            receipts.append(
                ReadReceipt(
                    round_id=r.pk,
                    document_id=d.pk,
                    user_id=user_id,
                    deadline=r.deadline,
                    confirmed_at=timezone.now() if rng.random() < 0.7 else None,
                )
            )
    ReadReceipt.objects.bulk_create(receipts, batch_size=data.BATCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_document d SET current_round_id = r.id "
            "FROM documents_readround r WHERE r.document_id = d.id"
        )
    total_versions = DocumentVersion.objects.filter(document__number__startswith="BEN-").count()
    return f"{count} documents, {total_versions} versions, {len(receipts)} read receipts"


def targets(ref: data.Reference):
    employee, leader, advisor = ref.employee, ref.sector_leader, ref.advisor
    sector = next(u for u in ref.units if u.depth == 2)
    document = Document.objects.filter(number__startswith="BEN-").order_by("pk").first()

    def bare_list():
        return list(
            Document.objects.filter(status="published").order_by("number")[:50].values_list("pk")
        )

    def bare_search():
        # The same rows as the page: the 50 best ranked of every published match.
        query = SearchQuery("legemidler dosett", config="norwegian", search_type="websearch")
        return list(
            DocumentVersion.objects.filter(status="published", search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank")
            .values_list("pk")[:50]
        )

    yield ("GET /dokumenter/ (employee)", employee, "/dokumenter/", bare_list)
    yield (
        "GET /dokumenter/?enhet=<sector> (sector leader)",
        leader,
        f"/dokumenter/?enhet={sector.pk}",
        None,
    )
    yield ("GET /api/v1/documents/ (advisor)", advisor, "/api/v1/documents/", bare_list)
    yield ("GET /api/v1/documents/ (sector leader)", leader, "/api/v1/documents/", None)
    yield (
        "GET /api/v1/documents/?text=dosett (employee)",
        employee,
        "/api/v1/documents/?text=dosett",
        None,
    )
    yield (
        "GET /dokumenter/sok/?q=legemidler dosett (employee)",
        employee,
        "/dokumenter/sok/?q=legemidler+dosett",
        bare_search,
    )
    yield ("GET /dokumenter/revisjon/ (sector leader)", leader, "/dokumenter/revisjon/", None)
    yield ("GET /dokumenter/leseliste/ (employee)", employee, "/dokumenter/leseliste/", None)
    yield (
        f"GET /dokumenter/{document.pk}/ (employee)",
        employee,
        f"/dokumenter/{document.pk}/",
        lambda: permissions.restrict(employee, Document).filter(pk=document.pk).exists(),
    )


def extra(ref: data.Reference):
    # Rolled back: a later run (--reuse) finds the same backlog.
    yield swept("documents: revision sweep, first run", reminders.send_revision_reminders)
    yield swept_again("documents: revision sweep, run again", reminders.send_revision_reminders)
    yield swept("documents: read sweep, first run", reminders.send_read_reminders)
    yield swept_again("documents: read sweep, run again", reminders.send_read_reminders)
    # A version's tagged PDF is rendered in the request (documents/printing.py): time one.
    version = DocumentVersion.objects.filter(status="published").order_by("pk").first()
    if version is not None:
        from documents import printing

        copy = printing.PrintedCopy(version, "https://kommune.example/dokumenter/")
        yield timed("documents: one version's tagged PDF", lambda: printing.version_pdf(copy))


data.MODULE_BUILDERS.append(("documents", build_documents))
data.MODULE_TARGETS.append(targets)
data.EXTRA.append(extra)
