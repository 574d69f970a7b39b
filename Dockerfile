# Production image for qms: gunicorn (web), celery worker and beat share it.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN python manage.py compilemessages -v0 --ignore=node_modules \
 && DEBUG=true python manage.py collectstatic --noinput -v0 \
 && useradd --system --uid 1000 qms && mkdir -p /data/media && chown -R qms /data
USER qms
EXPOSE 8000
CMD ["gunicorn", "qms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
