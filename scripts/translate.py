"""Refresh the English catalogue and fill in translations.

    python scripts/translate.py                 # makemessages, then list what is untranslated
    python scripts/translate.py more.json       # ... and apply {"norsk msgid": "English"} first

Plural entries take a two-item list. The source texts (msgids) are Norwegian bokmål; the
English catalogue is locale/en/LC_MESSAGES/django.po.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> int:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "-v0",
            "--ignore=.venv",
            "--ignore=node_modules",
            "--ignore=var",
            "--ignore=tests",
        ],
        cwd=ROOT,
        check=True,
    )
    po = polib.pofile(str(PO), wrapwidth=0)
    extra = {}
    for name in sys.argv[1:]:
        extra.update(json.loads(Path(name).read_text(encoding="utf-8")))
    for entry in po:
        value = extra.get(entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(PO))
    missing = [e.msgid for e in po if not e.translated()]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
