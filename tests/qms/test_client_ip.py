"""Lockouts and rate limits see the client behind the proxy, and share one cache."""

import pytest
from django.core.cache import caches

from deviations.models import ReportLink
from qms.checks import check_shared_cache
from qms.net import client_ip
from tests.qms.test_settings import run

PROXY = "10.0.0.2"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(spoofed) == "203.0.113.7"
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="garbage")) == PROXY
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is the client's own words
    assert client_ip(spoofed) == PROXY


def test_axes_locks_out_by_the_forwarded_address(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert get_client_ip_address(request) == "198.51.100.4"


@pytest.mark.django_db
def test_guest_form_limit_is_per_client_behind_the_proxy(org, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    caches["default"].clear()
    url = ReportLink.objects.create(unit=org.unit_a1).get_absolute_url()

    def post(ip):
        return client.post(url, {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip).status_code

    assert [post("203.0.113.1") for _ in range(11)][-1] == 429
    assert post("203.0.113.2") != 429  # another person behind the same proxy


@pytest.mark.django_db
def test_guest_form_answers_when_the_rate_limit_cache_is_down(org, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    url = ReportLink.objects.create(unit=org.unit_a1).get_absolute_url()
    assert client.post(url, {}).status_code == 200  # the form with its errors, not a 500


def test_production_without_a_shared_cache_fails_its_check(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in check_shared_cache()] == ["qms.E003"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert check_shared_cache() == []


def test_production_settings_use_the_redis_cache_for_rate_limits():
    result = run(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qms",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SECRET_KEY": "k3y-" + "z" * 60,
            "TRUSTED_PROXY_COUNT": "1",
        },
        code="import django; from django.conf import settings; django.setup();"
        "print(settings.CACHES[settings.RATELIMIT_USE_CACHE]['BACKEND'],"
        " settings.TRUSTED_PROXY_COUNT)",
    )
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "1"]
