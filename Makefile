# Comuna: `make run` serves the demo on SQLite; `make test` runs the whole suite. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
SECRET_FILE := var/secret_key
# The local demo lets officials act without setting up two-factor authentication; production keeps it required.
RUN_ENV = SECRET_KEY="$$(cat $(SECRET_FILE))" COMUNA_OFFICIAL_MFA_REQUIRED=$${COMUNA_OFFICIAL_MFA_REQUIRED:-0}

.PHONY: run test test-postgres install messages chromium lint

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

$(SECRET_FILE):
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Compiled catalogues are build products (.mo files are not committed).
messages: install
	cd src/comuna && DEBUG=1 ../../$(BIN)/comuna manage compilemessages -v 0

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

run: install messages $(SECRET_FILE)
	$(RUN_ENV) $(BIN)/comuna manage migrate --noinput -v 0
	$(RUN_ENV) $(BIN)/comuna manage collectstatic --noinput -v 0
	$(RUN_ENV) $(BIN)/comuna demo
	@echo "Comuna is at http://127.0.0.1:8000 (demo log-ins are in the README)."
	$(RUN_ENV) $(BIN)/comuna serve

lint: install
	$(BIN)/ruff check

test: install messages chromium lint
	$(BIN)/python -m pytest

# The same suite against PostgreSQL (DATABASE_URL must be set); the pure libraries do not touch a database.
test-postgres: install messages chromium
	$(BIN)/python -m pytest --ignore=tests/choice --ignore=tests/opinion
