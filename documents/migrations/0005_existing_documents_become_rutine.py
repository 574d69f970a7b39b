"""Data migration: the default document types, and every existing document becomes a «rutine».

Existing numbers are kept as they are (RUT-nnnn); the RUT series continues after the highest
number in use, so no number is ever handed out twice. Every existing template gets its body as
version 1. Reversing drops nothing but the links to the types (the types are deleted by 0004's
reversal).
"""

from django.db import migrations

from documents.defaults import migrate_documents  # called with the historical apps


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_document_types_templates_requirements")]

    operations = [migrations.RunPython(migrate_documents, migrations.RunPython.noop)]
