# Two commands for a newcomer: `make run` (set up and start everything) and `make test`.
# Everything installs from the lock file into .venv; nothing needs PostgreSQL or Redis unless
# DATABASE_URL / REDIS_URL point at them.

PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup run test migrate demo messages lint check clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

messages: $(VENV)/.synced
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=$(TOOLS) --verbosity 0

setup: $(VENV)/.synced messages

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(VENV)/bin/honcho start

# The browser tests (tests/e2e/) drive Debian's chromium: Playwright's own browser download
# cannot reach the internet from these machines.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# The layer contracts (pyproject.toml, [tool.importlinter]) are part of the tests.
test: setup $(CHROMIUM)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) $(TOOLS)
