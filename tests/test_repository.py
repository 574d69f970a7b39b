"""Nothing in the repository points at files outside it: every document the code, tests and docs
cite is a file of this repository, and no text sends the reader to a tracker or a machine path."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = {".py", ".md", ".html", ".js", ".css", ".toml", ".yml", ".yaml", ".sh", ".txt"}
NAMED = {"Makefile", "Dockerfile", "Caddyfile", ".env.example", ".dockerignore"}


def tracked_texts():
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in names:
        path = ROOT / name
        if (path.suffix in TEXT or path.name in NAMED) and path.is_file():
            yield name, path.read_text(encoding="utf-8", errors="replace")


def test_cited_documents_are_files_of_the_repository():
    cited = re.compile(r"(?<![\w/.-])((?:docs/)?[\w-]+\.md)\b")
    missing = set()
    for name, text in tracked_texts():
        for match in cited.finditer(text):
            target = match.group(1)
            here = (ROOT / name).parent / target
            candidates = (ROOT / target, here, ROOT / "docs" / target)
            if not any(candidate.exists() for candidate in candidates):
                missing.add(f"{name}: {target}")
    assert sorted(missing) == []


def test_no_text_points_outside_the_repository():
    outside = re.compile(r"\.\./shared|/work/|\b[Ii]ssue \d+|DEVELOPERS\.md")
    found = [
        f"{name}:{n}: {line.strip()[:80]}"
        for name, text in tracked_texts()
        if name != "tests/test_repository.py"
        for n, line in enumerate(text.splitlines(), 1)
        if outside.search(line)
    ]
    assert found == []
