# The two README commands are `make run` and `make test`; the rest are for day-to-day work.
.PHONY: run test lint format bench setup messages

run:  ## set up and run the app on the embedded default (SQLite, demo data)
	scripts/run.sh

test:  ## set up and run the whole test suite against PostgreSQL and Redis
	scripts/test.sh

setup:
	scripts/setup.sh test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:  ## refresh the English and nynorsk catalogues and list untranslated texts
	for t in project documents deviations risk annual_wheel qms/reports; do for l in en nn; do .venv/bin/python scripts/translate.py --lang $$l $$t; done; done

BENCH_DB ?= qms_bench
SCALE ?= 1.0
BENCH_ARGS ?=
bench:  ## the performance benchmark (docs/design.md §11) on a fresh PostgreSQL database; prints figures
	scripts/setup.sh app
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB) && createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) SECRET_KEY=bench DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false \
	  SITE_URL=https://127.0.0.1 REDIS_URL=redis://127.0.0.1:6379/9 \
	  sh -c '.venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py collectstatic --noinput -v0 && .venv/bin/python manage.py bench --scale $(SCALE) $(BENCH_ARGS)'
