# The two commands of README.md, and a few helpers. Needs Python 3.11+ (and Node/npm for the
# calendar-parser and browser tiers of the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench vendor translations

# Create the environment, load the demo feeds, and serve the app on http://127.0.0.1:5000
run: $(VENV)/.installed
	$(BIN)/finder demo
	$(BIN)/finder run

# Install what the tests need, then run them (PostgreSQL tier: set TEST_POSTGRES_URL)
test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.imports_formats
	$(BIN)/python -m bench.feeds
	$(BIN)/python -m bench.search

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(BIN)/python -m pip install -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the ical.js and browser test tiers will be skipped"; fi

# Refresh the vendored front-end files in static/ from the pinned npm packages.
vendor: node_modules/.installed
	mkdir -p static/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
	  node_modules/leaflet/dist/images node_modules/leaflet/LICENSE static/vendor/leaflet/

# Extract the interface strings, merge them into each language's catalogue, and compile them.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F finder/translations/babel.cfg -k lazy_gettext \
	  --project "Meeting Finder" --version 0.1.0 -o finder/translations/messages.pot .
	$(BIN)/pybabel update -i finder/translations/messages.pot -d finder/translations --ignore-obsolete
	$(BIN)/pybabel compile -d finder/translations
