"""Authorization rows for the risk module's pages and endpoints (see tests/authz.py)."""

from tests.authz import Row, everyone

ROWS = [
    Row("risk:index", lambda c: "/ros/", everyone(200)),
]
