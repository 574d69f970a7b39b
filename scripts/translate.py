"""Refresh a catalogue (English or nynorsk) and fill in translations.

    python scripts/translate.py project                       # qms/, templates/ -> locale/en/
    python scripts/translate.py deviations                    # deviations/ -> deviations/locale/en/
    python scripts/translate.py deviations en.json            # ... applying {"norsk msgid": "English"}
    python scripts/translate.py --lang nn deviations nn.json  # ... the nynorsk catalogue

Each module keeps its own catalogue so modules never edit the same .po file. Source texts
(msgids) are Norwegian bokmål. Plural entries take a two-item list; an entry with a context
(pgettext) takes the key "context\u0004msgid" (else its msgid alone applies). Prints what is still
untranslated and exits 1 when anything is.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["documents", "deviations", "risk", "annual_wheel", "qms/reports"]
TARGETS = ["project", *MODULES]
# The languages with a catalogue; bokmål is the source language and has none.
LANGUAGES = ["en", "nn"]
IGNORES = [".venv", "node_modules", "var", "tests", "scripts", "bench"]


def source_dir(target: str) -> Path:
    return ROOT if target == "project" else ROOT / target


def catalogue_path(target: str, language: str, base: Path | None = None) -> Path:
    return (base or source_dir(target)) / "locale" / language / "LC_MESSAGES" / "django.po"


def make_messages(target: str, language: str, workdir: Path | None = None) -> None:
    """Run makemessages for one target and language (in ``workdir``, a copy, when given)."""
    workdir = workdir or source_dir(target)
    ignores = list(IGNORES)
    if target == "project":
        ignores += [*MODULES, "reports"]
    (workdir / "locale").mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            language,
            "--no-obsolete",
            "-v0",
            *[f"--ignore={name}" for name in ignores],
        ],
        cwd=workdir,
        check=True,
    )


def main(argv: list[str]) -> int:
    language = "en"
    if argv[:1] == ["--lang"] and len(argv) > 1:
        language, argv = argv[1], argv[2:]
    elif argv and argv[0].startswith("--lang="):
        language, argv = argv[0].split("=", 1)[1], argv[1:]
    if not argv or argv[0] not in TARGETS or language not in LANGUAGES:
        print(__doc__)
        return 2
    target = argv[0]
    make_messages(target, language)
    po_path = catalogue_path(target, language)
    po = polib.pofile(str(po_path), wrapwidth=0)
    if language == "nn":
        po.metadata["Language"] = "nn"
        po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    extra = {}
    for name in argv[1:]:
        extra.update(json.loads(Path(name).read_text(encoding="utf-8")))
    for entry in po:
        value = extra.get(f"{entry.msgctxt}\x04{entry.msgid}") if entry.msgctxt else None
        value = value if value is not None else extra.get(entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save(str(po_path))
    missing = [e.msgid for e in po if not e.translated()]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
