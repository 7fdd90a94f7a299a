# Talenta: the two commands of the README, plus helpers.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8501
DB     ?= $(or $(TALENTA_DB_PATH),data/talenta.duckdb)
NATIONAL_DB ?= data/national.duckdb

.PHONY: run test bench bench-full bench-scoring bench-succession-national loadtest venv dev-deps browser demo-db deck-preview clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# The demo database is built once from the bundled synthetic generator; an existing file is never touched.
demo-db: $(VENV)/.installed
	@if [ -f "$(DB)" ]; then echo "Basis data $(DB) sudah ada; tidak diubah."; \
	else TALENTA_DB_PATH="$(DB)" $(PY) -m talenta demo; fi

# 127.0.0.1 unless HOST says otherwise (serve a network through a TLS reverse proxy: README); the server's upload
# ceiling is TALENTA_MAX_UPLOAD_MB from the first request on (the app also applies it when it starts).
run: demo-db
	TALENTA_DB_PATH="$(DB)" $(VENV)/bin/streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--server.maxUploadSize "$$($(PY) -c 'from talenta.config import Settings; print(Settings.from_env().max_upload_mb)')"

# Debian's chromium drives the real-browser tests (Playwright cannot download a browser here).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium tidak ada: pasang paket Debian 'chromium' (sudo apt-get install chromium)"; fi

# the whole suite: library, storage and page tests on both cores (one worker per test file), then the
# real-browser tests one after the other (each starts its own streamlit server and chromium)
test: $(VENV)/.installed-dev browser
	$(PY) -m pytest -n 2 --dist loadfile -m "not e2e"
	$(PY) -m pytest -m e2e

# every size's figures, succession included (bench/run.py's steps); bench-full adds the national 5.6M
bench: $(VENV)/.installed-dev
	$(PY) bench/run.py

bench-succession-national: $(VENV)/.installed-dev
	$(PY) bench/succession.py --db $(NATIONAL_DB) --no-table

bench-full: $(VENV)/.installed-dev
	$(PY) bench/run.py --national

# live scoring and the score-cache build against a lazy polars pipeline and the pandas reference (issue 13 item
# 10), on each database of SCORING_DBS (writable copies: the cache entry is rebuilt), e.g.
# make bench-scoring SCORING_DBS="/data/2m.duckdb /data/national-copy.duckdb"
SCORING_DBS ?= $(NATIONAL_DB)
bench-scoring: $(VENV)/.installed-dev
	$(PY) bench/scoring.py $(foreach d,$(SCORING_DBS),--db $(d))

# 20 concurrent sessions over Streamlit's websocket protocol, then 10 real browser sessions, against
# `streamlit run` on the demo database (stop `make run` first)
loadtest: demo-db $(VENV)/.installed-dev browser
	$(PY) bench/loadtest_ws.py $(DB) --sessions 20 --seconds 90
	$(PY) bench/loadtest.py $(DB) --sessions 10 --seconds 90

# The meeting deck as a presenter will see it: the demo database (built if missing), the deck of the latest
# period (masked, as the Ekspor page makes it), rendered by LibreOffice to PDF and to one PNG per slide under
# build/deck-preview/. LibreOffice Impress and poppler are installed here only (never by `make test`).
DECK_DIR ?= build/deck-preview
deck-preview: demo-db
	@if command -v soffice >/dev/null && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends libreoffice-impress poppler-utils >/dev/null; \
	else echo "Pasang paket Debian 'libreoffice-impress' dan 'poppler-utils' (sudo apt-get install ...)"; exit 1; fi
	rm -rf $(DECK_DIR) && mkdir -p $(DECK_DIR)
	TALENTA_DB_PATH="$(DB)" $(PY) -m talenta export --format pptx --out $(DECK_DIR)/deck.pptx \
		--period "$$(TALENTA_DB_PATH="$(DB)" $(PY) -c 'from talenta import overview, store; from talenta.config import Settings; \
		print(overview.periods(store.connect(Settings.from_env().db_path, read_only=True))[-1])')"
	soffice -env:UserInstallation=file://$(abspath $(DECK_DIR))/.lo --headless --convert-to pdf \
		--outdir $(DECK_DIR) $(DECK_DIR)/deck.pptx >/dev/null
	pdftoppm -r 60 -png $(DECK_DIR)/deck.pdf $(DECK_DIR)/slide
	rm -rf $(DECK_DIR)/.lo
	@echo "Pratinjau: $(DECK_DIR)/deck.pdf dan $(DECK_DIR)/slide-*.png"

clean:
	rm -rf $(VENV) .pytest_cache tests/e2e/artifacts build
