"""Full-text search on PostgreSQL: norwegian stemming, ranking, highlighted and escaped snippets."""

import pytest
from django.db import connection

from documents import services
from documents.search import _plain_snippet, search
from tests.documents.factories import draft, published

pytestmark = pytest.mark.django_db
pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


@pg
def test_title_hits_rank_above_body_hits_and_drafts_are_not_found(org):
    in_body = published(
        org.employee_a1,
        org.leader_a1,
        org.unit_a1,
        title="Tilsyn ved utelek",
        body="<p>Ta med førstehjelpsutstyr og sjekk at legemidlene er med.</p>",
    )
    in_title = published(
        org.employee_a1,
        org.leader_a1,
        org.unit_a1,
        title="Legemiddelhåndtering og legemidler",
        body="<p>Legemidler deles ut av sykepleier.</p>",
    )
    published(org.employee_a1, org.leader_a1, org.unit_a1, title="Brannvern", body="<p>Rømning</p>")
    draft(org.employee_a1, org.unit_a1, title="Legemidler utkast", body="<p>legemidler</p>")
    hits = search(org.employee_b1, "legemidlene")
    assert [h.version.document_id for h in hits] == [in_title.pk, in_body.pk]
    assert hits[0].rank > hits[1].rank
    assert "<mark>" in hits[1].snippet


@pg
def test_snippets_escape_text_that_looks_like_markup(org):
    published(
        org.employee_a1,
        org.leader_a1,
        org.unit_a1,
        title="Skilting",
        body="<p>Skriv &lt;script&gt;alert(1)&lt;/script&gt; på skiltet ved rømningsvei</p>",
    )
    hit = search(org.employee_b1, "rømningsvei")[0]
    # ts_headline drops what looks like a tag; whatever is left is escaped before <mark>.
    assert "<script>" not in hit.snippet and "<mark>rømningsvei</mark>" in hit.snippet


@pg
def test_search_by_number_and_after_revision(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    assert [h.version.document_id for h in search(org.employee_b1, document.number)] == [
        document.pk
    ]
    revision = services.start_revision(org.employee_a1, document)
    services.update_draft(org.employee_a1, revision, title=document.title, body="<p>Kjøleskap</p>")
    services.submit(org.employee_a1, revision)
    services.approve(org.leader_a1, revision)
    assert search(org.employee_b1, "kjøleskapet")
    assert not search(org.employee_b1, "dosett")  # the retired version's text is not found


def test_plain_fallback_snippet_marks_the_term():
    assert "<mark>dosett</mark>" in _plain_snippet(
        "Sykepleier kontrollerer dosett mot kurve.", "dosett"
    )
    assert "&lt;b&gt;" in _plain_snippet("<b> dosett", "dosett")


def test_empty_query_returns_nothing(org):
    assert search(org.employee_a1, "   ") == []
