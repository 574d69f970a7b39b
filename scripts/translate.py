"""Refresh an English catalogue and fill in translations.

    python scripts/translate.py project             # qms/, templates/ -> locale/en/
    python scripts/translate.py deviations          # deviations/ -> deviations/locale/en/
    python scripts/translate.py deviations en.json  # ... applying {"norsk msgid": "English"}

Each module keeps its own catalogue so modules never edit the same .po file. Source texts
(msgids) are Norwegian bokmål. Plural entries take a two-item list. Prints what is still
untranslated and exits 1 when anything is.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["documents", "deviations", "risk", "annual_wheel", "qms/reports"]


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ["project", *MODULES]:
        print(__doc__)
        return 2
    target = sys.argv[1]
    workdir = ROOT if target == "project" else ROOT / target
    ignores = [".venv", "node_modules", "var", "tests", "scripts", "bench"]
    if target == "project":
        ignores += [*MODULES, "reports"]
    (workdir / "locale").mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "-v0",
            *[f"--ignore={name}" for name in ignores],
        ],
        cwd=workdir,
        check=True,
    )
    po_path = workdir / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    extra = {}
    for name in sys.argv[2:]:
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
    po.save(str(po_path))
    missing = [e.msgid for e in po if not e.translated()]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
