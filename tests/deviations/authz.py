"""Authorization rows for the deviations module's pages and endpoints (see tests/authz.py)."""

from tests.authz import Row, everyone

ROWS = [
    Row("deviations:index", lambda c: "/avvik/", everyone(200)),
]
