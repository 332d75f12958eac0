# Newsroom: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run serve serve-cache test lint check format clean bench eval-mentions

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: set up, migrate, load the demo newsroom and serve it on http://127.0.0.1:8000/
run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "Newsroom is starting on http://$(HOST_PORT)/"
	@echo "Admin: http://$(HOST_PORT)/admin/  login: $$(cat .demo-login 2>/dev/null || echo 'see above')"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST_PORT)

# axe-core for the accessibility tests, from the npm registry (skipped without npm).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility tests will skip"; fi

## serve: production mode: settings from the environment (see .env.example), static
## files collected, migrations applied, gunicorn on $BIND with $WEB_CONCURRENCY workers
serve: $(VENV)/.installed
	@test -n "$$DJANGO_SECRET_KEY" -a -n "$$DJANGO_ALLOWED_HOSTS" || \
		{ echo "Set DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL: see .env.example"; exit 1; }
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/gunicorn newsroom.wsgi --bind $${BIND:-127.0.0.1:8000} \
		--workers $${WEB_CONCURRENCY:-2} --access-logfile - --error-logfile -

## serve-cache: Varnish on $VARNISH_LISTEN (127.0.0.1:6081) in front of `make serve`'s
## gunicorn ($VARNISH_BACKEND, 127.0.0.1:8000), $VARNISH_MEMORY of pages (256m),
## purges accepted from $VARNISH_PURGE_ACL ("127.0.0.1 ::1"); the VCL rendered from
## deploy/varnish/newsroom.vcl into $VARNISH_DIR. The app purges it when started with
## NEWSROOM_PURGE_URLS=http://127.0.0.1:6081/ (Debian: apt-get install varnish
## varnish-modules). More varnishd options in $VARNISH_ARGS; `varnishadm -n .varnish`
## talks to it.
VARNISH_LISTEN ?= 127.0.0.1:6081
VARNISH_BACKEND ?= 127.0.0.1:8000
VARNISH_MEMORY ?= 256m
VARNISH_PURGE_ACL ?= 127.0.0.1 ::1
VARNISH_DIR ?= $(CURDIR)/.varnish
VARNISHD ?= $(shell command -v varnishd || echo /usr/sbin/varnishd)
serve-cache: $(VENV)/.installed
	@test -x "$(VARNISHD)" || \
		{ echo "make serve-cache needs Varnish 7 and the xkey vmod (Debian: apt-get install varnish varnish-modules)"; exit 1; }
	mkdir -p $(VARNISH_DIR)
	$(BIN)/python -m newsroom.varnish --backend $(VARNISH_BACKEND) \
		--purge-acl "$(VARNISH_PURGE_ACL)" > $(VARNISH_DIR)/newsroom.vcl
	exec $(VARNISHD) -F -n $(VARNISH_DIR) -f $(VARNISH_DIR)/newsroom.vcl \
		-a $(VARNISH_LISTEN) -s malloc,$(VARNISH_MEMORY) $(VARNISH_ARGS)

## test: the whole suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/python -m pytest

## bench: reader pages vs a bare hello view under gunicorn + wrk at 100,000 stories,
## the admin, an election-night load test and the mention finder; results in bench/.
## PostgreSQL by default (BENCH_DATABASE_URL); BENCH_DATABASE=sqlite for SQLite.
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null || \
		{ echo "make bench needs wrk (Debian: apt-get install wrk)"; exit 1; }
	$(BIN)/python -m benchmarks.web $(BENCH_ARGS)

## eval-mentions: the mention finder on the annotated news texts in tests/data/mentions/:
## precision, recall, roles and new people, tuning and held-out parts; results in bench/
eval-mentions: $(VENV)/.installed
	$(BIN)/python -m benchmarks.eval_mentions $(EVAL_ARGS)

## lint: ruff, the house rules in pyproject.toml, and the one-way layers
## (import-linter's contracts in pyproject.toml)
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## check: Django's system checks and no missing migrations
check: $(VENV)/.installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py check
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
