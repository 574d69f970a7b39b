"""The ground floor does not import the floors above it (docs/style.md, "Registries instead of imports
upward"): nothing under ``qms/`` imports one of the apps. Where the core needs an app's part
(permission rules, statistics sections, panels, sweeps), the app registers it.

The test reads the source (``ast``), so an import inside a function counts as much as one at the
top, and so does ``import_module("<app>...")`` or ``apps.get_model("<app>", ...)`` with a literal.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Upward imports that are still allowed, each with its reason. Empty: keep it so.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _apps_above() -> set[str]:
    """The project's own apps other than qms (and its sub-apps) and the tests."""
    out = set()
    for config in apps.get_app_configs():
        top = config.name.split(".")[0]
        path = Path(config.path)
        # Apps installed from site-packages (a virtualenv may live inside the checkout) are not ours.
        if top in ("qms", "tests") or ROOT not in path.parents or "site-packages" in path.parts:
            continue
        out.add(top)
    return out


def _imported(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0]
            if name in ("import_module", "get_model") and isinstance(first, ast.Constant):
                yield node.lineno, str(first.value)


def upward_imports() -> list[str]:
    above = _apps_above()
    found = []
    for path in sorted((ROOT / "qms").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        for lineno, module in _imported(ast.parse(path.read_text(), relative)):
            top = module.split(".")[0]
            if top in above and (relative, module) not in EXCEPTIONS:
                found.append(f"{relative}:{lineno} imports {module}")
    return found


def test_the_apps_above_are_known():
    assert {"deviations", "documents", "risk", "annual_wheel"} <= _apps_above()


def test_qms_imports_no_app_above_it():
    assert upward_imports() == []


SKIPPED_PARTS = {".venv", "node_modules", "migrations", "tests", "bench"}


def test_no_function_is_over_80_lines_outside_demo_and_bench_code():
    files = [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts) and path.name != "demo.py"
    ]
    long = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert long == []
