"""The document types every installation starts with, and the step that makes existing
documents «rutine». Used by the data migration (documents 0005, with its historical models), the
demo (which must not depend on rows a test's flush removed) and the tests."""

from __future__ import annotations

# (code, name, prefix, allowed intervals in months, default interval)
DEFAULT_TYPES = [
    ("styringsdokument", "Styringsdokument", "STY", [12, 24], 24),
    ("retningslinje", "Retningslinje", "RET", [12, 24], 12),
    ("rutine", "Rutine", "RUT", [6, 12, 24], 12),
    ("prosedyre", "Prosedyre", "PRO", [6, 12, 24], 12),
    ("instruks", "Instruks", "INS", [6, 12], 12),
    ("skjema", "Skjema", "SKJ", [12, 24], 24),
    ("funksjonsbeskrivelse", "Funksjonsbeskrivelse", "FUN", [12, 24], 24),
    ("plan", "Plan", "PLA", [12, 24], 12),
    ("reglement", "Reglement", "REG", [12, 24], 24),
]


def _number_of(number: str, prefix: str) -> int:
    head, _, tail = number.partition("-")
    return int(tail) if head == prefix and tail.isdigit() else 0


def migrate_documents(apps, schema_editor=None) -> None:
    """Create the default types, make every document without a type a «rutine» and set the RUT
    counter past the highest RUT number in use. Safe to run twice."""
    DocumentType = apps.get_model("documents", "DocumentType")
    Document = apps.get_model("documents", "Document")
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    TemplateVersion = apps.get_model("documents", "TemplateVersion")
    NumberSequence = apps.get_model("documents", "NumberSequence")
    default_template = DocumentTemplate.objects.filter(is_default=True).first()
    for template in DocumentTemplate.objects.all():
        TemplateVersion.objects.get_or_create(
            template=template, number=1, defaults={"body": template.body}
        )
    for code, name, prefix, intervals, default in DEFAULT_TYPES:
        doc_type, _created = DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "prefix": prefix,
                "revision_intervals": intervals,
                "default_interval": default,
                "default_template": default_template,
            },
        )
        if doc_type.default_template_id is None and default_template is not None:
            doc_type.default_template = default_template
            doc_type.save(update_fields=["default_template"])
    rutine = DocumentType.objects.get(code="rutine")
    Document.objects.filter(doc_type__isnull=True).update(doc_type=rutine)
    highest = max(
        (_number_of(n, "RUT") for n in Document.objects.values_list("number", flat=True)),
        default=0,
    )
    sequence, _created = NumberSequence.objects.get_or_create(prefix="RUT")
    if sequence.last < highest:
        sequence.last = highest
        sequence.save(update_fields=["last"])
