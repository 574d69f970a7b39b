# Production image for qms: gunicorn (web), the Celery workers, beat and the backup job share it.
# tests/test_production_smoke.py replays this file's manage.py steps and its CMD on every test
# run, so what is written here is what CI serves.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.13-slim-bookworm
# The PostgreSQL major of the db service in docker-compose.yml: pg_dump refuses a newer server.
ARG PG_MAJOR=16
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=qms.settings DEBUG=false \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media QMS_VAR_DIR=/data/var \
    BACKUP_DIR=/data/backups
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
      gettext "postgresql-client-${PG_MAJOR}" \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin qms
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install ".[s3]"
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# Static files are collected under the production storage (DEBUG off, from ENV above): hashed
# names and the manifest that every page needs. The build-time key only lets the settings load;
# it signs nothing and is not in the image's environment.
RUN SECRET_KEY=build-only-never-used-at-run-time python manage.py compilemessages -v0 --ignore=node_modules \
 && SECRET_KEY=build-only-never-used-at-run-time python manage.py collectstatic --noinput -v0 \
 && mkdir -p /data/media /data/var /data/backups \
 && chown -R qms:qms /data
USER qms
EXPOSE 8000
# Workers, threads, timeouts and the address are in gunicorn.conf.py (the load benchmark reads it too).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "qms.wsgi:application"]
