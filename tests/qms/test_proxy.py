"""The client's address behind the reverse proxy (qms.net.client_ip)."""

import pytest
from django.test import RequestFactory

from qms.net import client_ip


def request(xff=None, remote="10.0.0.2"):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "xff", "expected"),
    [
        (0, "198.51.100.9", "10.0.0.2"),  # no proxy: a client-sent header proves nothing
        (1, "198.51.100.9", "198.51.100.9"),  # Caddy: exactly the client's address
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # a forged entry left of the proxy's
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.7", "198.51.100.9"),  # two proxies
        (2, "198.51.100.9", "10.0.0.2"),  # did not pass every proxy
        (1, "not-an-address", "10.0.0.2"),
        (1, None, "10.0.0.2"),
    ],
)
def test_the_client_is_the_entry_the_nearest_trusted_proxy_wrote(settings, count, xff, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(xff)) == expected


def test_lockouts_and_rate_limits_both_ask_the_one_rule(settings):
    from axes.helpers import get_client_ip_address
    from django_ratelimit.core import _get_ip

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request("198.51.100.9")) == "198.51.100.9"
    assert _get_ip(request("198.51.100.9")) == "198.51.100.9"
