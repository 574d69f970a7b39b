"""Data migration: every never-expiring DRF authtoken key becomes an ApiToken that expires in
API_TOKEN_DAYS (its clients keep working until then, and the owner sees it on the keys page).
The authtoken rows are deleted: they no longer authenticate. Not reversible (only hashes stay).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def take_over(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("qms", "ApiToken")
    expires = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=token.user_id,
            name="Nøkkel fra før",
            key_hash=hashlib.sha256(token.key.encode()).hexdigest(),
            prefix=token.key[:8],
            expires_at=expires,
        )
        for token in Token.objects.all()
    )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0004_api_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(take_over, migrations.RunPython.noop)]
