"""Date formats per language (settings.FORMAT_MODULE_PATH); what is not set here comes from
Django's own locale (input formats, separators).

Templates name a format ("DATE_FORMAT", "SHORT_DATE_FORMAT", ...) and never write one
(tests/qms/test_date_formats.py): "18. des. 2026" in Norwegian, "18 Dec 2026" in English.
"""
