"""The data migration that made every existing document a «rutine» (documents 0005)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("documents", "0004_document_types_templates_requirements")]


@pytest.mark.django_db(transaction=True)
def test_existing_documents_become_rutine_with_numbers_unchanged_and_the_series_continues(org):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Document = old.get_model("documents", "Document")
    NumberSequence = old.get_model("documents", "NumberSequence")
    DocumentTemplate = old.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.create(name="Standardmal", body="<h2>Formål</h2>", is_default=True)
    for number in ("RUT-0007", "RUT-0041"):
        Document.objects.create(
            number=number, title=number, unit_id=org.unit_a1.pk, approval_unit_id=org.unit_a1.pk
        )
    NumberSequence.objects.update_or_create(prefix="RUT", defaults={"last": 12})
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Forward to every app's latest migration: going back to 0004 also unapplied the later
    # ones (documents' own and other apps' that depend on them), and the tests after this one
    # in the same worker need the whole schema.
    executor.migrate(executor.loader.graph.leaf_nodes())

    from documents import services
    from documents.models import Document as Current
    from documents.models import DocumentTemplate as Template

    rows = list(Current.objects.order_by("number").values_list("number", "doc_type__code"))
    assert rows == [("RUT-0007", "rutine"), ("RUT-0041", "rutine")]
    template = Template.objects.get(name="Standardmal")
    assert template.versions.get().number == 1
    assert Current.objects.first().doc_type.default_template == template
    from django.db import transaction

    with transaction.atomic():
        assert services.next_number("RUT") == "RUT-0042"
        assert services.next_number("PRO") == "PRO-0001"
