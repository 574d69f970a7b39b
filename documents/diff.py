"""Differences between two versions, line by line over their sanitized text (difflib)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


def diff_versions(old_text: str, new_text: str) -> list[DiffLine]:
    """Inline diff of two plain texts: unchanged, removed and added lines in reading order."""
    old, new = old_text.splitlines(), new_text.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", t) for t in old[i1:i2]]
            continue
        lines += [DiffLine("removed", t) for t in old[i1:i2]]
        lines += [DiffLine("added", t) for t in new[j1:j2]]
    return lines
