"""Full-text search over published documents (docs/design.md §4).

PostgreSQL: the stored `norwegian` tsvector (GIN index), ranked with ts_rank, snippets from
ts_headline. Elsewhere (the embedded SQLite default): a plain icontains match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from documents.models import Document, DocumentVersion
from qms import permissions

NUMBER_LIKE = re.compile(r"^\w{1,10}-\d{1,8}$")  # RUT-0042
START, STOP = "\x02", "\x03"  # never in sanitized text; replaced by <mark> after escaping


@dataclass
class Hit:
    version: DocumentVersion
    snippet: SafeString
    rank: float


def _highlight(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _plain_snippet(text: str, term: str, width: int = 200) -> SafeString:
    lower = text.lower()
    at = lower.find(term.lower())
    if at < 0:
        return _highlight(text[:width])
    start = max(0, at - width // 2)
    piece = text[start : start + width]
    i = piece.lower().find(term.lower())
    marked = piece[:i] + START + piece[i : i + len(term)] + STOP + piece[i + len(term) :]
    return _highlight(("…" if start else "") + marked + "…")


def published_versions(user):
    return (
        permissions.restrict(user, DocumentVersion)
        .filter(status=DocumentVersion.Status.PUBLISHED, document__status=Document.Status.PUBLISHED)
        .select_related("document", "document__unit", "document__process")
    )


def search(user, text: str, limit: int = 50) -> list[Hit]:
    text = (text or "").strip()[:200]
    if not text:
        return []
    qs = published_versions(user)
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="norwegian", search_type="websearch")
        # A document number is looked up first, so the match stays on the version table's own
        # indexes (GIN on the vector OR the document id) instead of a filter over a join.
        match = Q(search_vector=query)
        numbered = Document.objects.filter(number__iexact=text).values_list("pk", flat=True)
        if NUMBER_LIKE.match(text) and (document_id := numbered.first()):
            match |= Q(document_id=document_id)
        rows = (
            qs.filter(match)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                headline=SearchHeadline(
                    "body_text",
                    query,
                    config="norwegian",
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "document__number")[:limit]
        )
        return [Hit(v, _highlight(v.headline), float(v.rank or 0)) for v in rows]
    rows = qs.filter(
        Q(title__icontains=text) | Q(body_text__icontains=text) | Q(document__number__iexact=text)
    ).order_by("document__number")[:limit]
    return [Hit(v, _plain_snippet(v.body_text, text), 0.0) for v in rows]
