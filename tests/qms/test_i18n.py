"""The catalogues: every text translated in English and nynorsk, and none missing from them.

Bokmål is the source language (the msgids); ``en`` and ``nn`` each have a catalogue per module
(scripts/translate.py, ``make messages``).
"""

import importlib.util
import re
import shutil
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("translate", ROOT / "scripts" / "translate.py")
translate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translate)

CATALOGUES = [
    (target, language) for target in translate.TARGETS for language in translate.LANGUAGES
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def _id(param):
    return f"{param[0]}-{param[1]}"


def _keys(po):
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in po if not e.obsolete}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=_id)
def test_catalogue_translates_every_text(catalogue):
    path = translate.catalogue_path(*catalogue)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make messages`"
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing[:20])


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=_id)
def test_translations_keep_the_placeholders(catalogue):
    """A translation that drops or renames %(name)s fails at run time (KeyError) or hides a value."""
    po = polib.pofile(str(translate.catalogue_path(*catalogue)))
    wrong = []
    for entry in po:
        if entry.obsolete or "python-format" not in entry.flags:
            continue
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(text))):
                wrong.append(entry.msgid)
    assert wrong == []


def _copy_sources(target, destination):
    """The files makemessages reads for ``target``, without any catalogue."""

    def ignore(directory, names):
        skipped = {".git", ".venv", "node_modules", "var", "locale", "__pycache__", "static"}
        return [
            name
            for name in names
            if name in skipped
            or (
                not (Path(directory) / name).is_dir()
                and not name.endswith((".py", ".html", ".txt"))
            )
        ]

    shutil.copytree(translate.source_dir(target), destination, ignore=ignore)
    (destination / "locale").mkdir()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The texts the source marks for translation, per target (makemessages on a copy)."""
    cache = {}

    def texts(target):
        if target not in cache:
            copy = tmp_path_factory.mktemp("messages") / "src"
            _copy_sources(target, copy)
            translate.make_messages(target, "en", workdir=copy)
            cache[target] = _keys(polib.pofile(str(translate.catalogue_path(target, "en", copy))))
        return cache[target]

    return texts


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=_id)
def test_catalogue_is_up_to_date_with_the_source(catalogue, extracted):
    """A text added to the code without `make messages` is shown untranslated in en and nn."""
    target, language = catalogue
    in_catalogue = _keys(polib.pofile(str(translate.catalogue_path(target, language))))
    in_source = extracted(target)
    assert sorted(in_source - in_catalogue, key=str) == [], "run `make messages` and translate"
    assert sorted(in_catalogue - in_source, key=str) == [], "run `make messages` (stale entries)"


@pytest.mark.django_db
def test_english_tells_the_deviation_kind_from_the_module(org, client):
    client.force_login(org.employee_a1)
    client.cookies["django_language"] = "en"
    page = client.get("/avvik/meld/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    menu = page[page.index('<nav class="qms-nav"') : page.index("</nav>")]
    assert ">Deviations</a>" in menu
    kinds = page[page.index('name="kind"') :]
    assert ">Deviation</label>" in kinds and ">Deviations</label>" not in kinds


@pytest.mark.django_db
def test_english_calls_a_passed_occurrence_overdue(org, client):
    from datetime import date

    from annual_wheel import services
    from tests.annual_wheel.helpers import categories

    activity = services.create_activity(
        org.advisor,
        unit=org.unit_a1,
        title="Vernerunde",
        category=categories()["HMS"],
        recurrence="once",
        start_date=date(2026, 1, 15),
    )
    client.force_login(org.leader_a1)
    client.cookies["django_language"] = "en"
    page = client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-color="danger">Overdue</span>' in page
    assert ">Due<" not in page
