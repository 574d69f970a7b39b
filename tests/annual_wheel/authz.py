"""Authorization rows for the annual_wheel module's pages and endpoints (see tests/authz.py)."""

from tests.authz import Row, everyone

ROWS = [
    Row("annual_wheel:index", lambda c: "/arshjul/", everyone(200)),
]
