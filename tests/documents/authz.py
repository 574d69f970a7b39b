"""Authorization rows for the documents module's pages and endpoints (see tests/authz.py)."""

from tests.authz import Row, everyone

ROWS = [
    Row("documents:index", lambda c: "/dokumenter/", everyone(200)),
]
