# lsarchive: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= archive.db
DEMO_ARTICLES ?= 240

.PHONY: install tools demo test test-fast serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Archive tools the tests run on the project's WARCs (pywb, py-wacz, cdxj-indexer,
# warcprox), in virtualenvs of their own: pywb pins versions Scrapy does not share.
TOOLS_STAMP := .venv-tools/.installed
$(TOOLS_STAMP): Makefile
	test -x .venv-tools/bin/python || $(PYTHON) -m venv .venv-tools
	.venv-tools/bin/python -m pip install --quiet 'pywb>=2.8' 'wacz>=0.5' 'cdxj-indexer>=1.4' 'warcio>=1.7'
	# warcprox pins a cryptography that pywb's pyOpenSSL refuses: a venv of its own.
	test -x .venv-tools/warcprox/bin/python || $(PYTHON) -m venv .venv-tools/warcprox
	.venv-tools/warcprox/bin/python -m pip install --quiet 'warcprox>=2.4' 'warcio>=1.7'
	touch $(TOOLS_STAMP)

.venv-tools: $(TOOLS_STAMP)
tools: $(TOOLS_STAMP)

# Serve the offline mirror, crawl it into archive.db, show what was archived.
demo: $(STAMP)
	$(BIN)/lsarchive crawl --mirror --articles $(DEMO_ARTICLES) --db $(DB)
	@echo
	$(BIN)/lsarchive stats --db $(DB)
	@echo
	$(BIN)/lsarchive search "thi đua" --limit 3 --db $(DB)
	@echo
	@echo "Browse the archive:  $(BIN)/lsarchive serve --db $(DB)   (then open http://127.0.0.1:8001/)"
	@echo "Search it:           $(BIN)/lsarchive search \"lễ hội\" --db $(DB)"

test: $(STAMP) $(TOOLS_STAMP)
	bash scripts/install-system-deps
	$(BIN)/python -m pytest

# The edit-test loop: everything but the end-to-end runs marked slow.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

# Browse the archive in Datasette (read-only) at http://127.0.0.1:8001/
serve: $(STAMP)
	$(BIN)/lsarchive serve --db $(DB)

# Speed, memory and growth beside scrapy bench and trafilatura; writes docs/performance.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .venv-tools .pytest_cache .hypothesis build *.egg-info
