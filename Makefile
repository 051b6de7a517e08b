# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv and install the project into it first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test install system-packages clean bench
# make run PORT=8001: another port for the API (default: $YUQING_PORT, else 8000)
PORT ?=

$(STAMP): pyproject.toml
	PYTHON=$(PYTHON) ./scripts/system-packages.sh venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## system-packages: Chromium, a CJK font and curl for the tests, installed when missing (apt)
system-packages:
	./scripts/system-packages.sh tests

## make run: start the offline web, crawl it into data/yuqing.db, serve the API on http://127.0.0.1:8000
## (another port: make run PORT=8001)
run: $(STAMP)
	$(BIN)/yuqing demo $(if $(PORT),--port $(PORT))

## make test: the whole test suite
test: $(STAMP) system-packages
	$(BIN)/python -m pytest -q

## make bench: measure and write the figures to BENCHMARKS.md (minutes; not part of the tests)
bench: $(STAMP)
	for script in bench/sentiment.py bench/quality.py bench/store.py bench/api.py bench/serving.py bench/filter_sets.py bench/crawl.py bench/layouts.py bench/gov_throughput.py bench/recrawl.py; do \
	    [ -f $$script ] && $(BIN)/python $$script || exit 1; \
	done
	# The real texts live outside the repository (labels in tests/data/realtext_*), e.g.
	# make bench REALTEXT=/path/accounts_dev.jsonl REALTEXT_TUNE=/path/accounts_tune.jsonl REALTEXT_HELDOUT=/path/accounts_heldout.jsonl \
	#   REACTIONS_TUNE=/path/reactions_tune.jsonl REACTIONS_HELDOUT=/path/reactions_heldout.jsonl
	$(BIN)/python bench/accounts_quality.py $(if $(REALTEXT),--realtext $(REALTEXT)) \
	    $(if $(REALTEXT_TUNE),--realtext-tune $(REALTEXT_TUNE)) $(if $(REALTEXT_HELDOUT),--realtext-heldout $(REALTEXT_HELDOUT))
	$(BIN)/python bench/reactions_quality.py $(if $(REACTIONS_DEV),--realtext $(REACTIONS_DEV)) \
	    $(if $(REACTIONS_TUNE),--realtext-tune $(REACTIONS_TUNE)) $(if $(REACTIONS_HELDOUT),--realtext-heldout $(REACTIONS_HELDOUT))

clean:
	rm -rf $(VENV) data/*.db data/*.db-*
