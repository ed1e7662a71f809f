# The two set-up commands are `make run` and `make test`; both build .venv when
# it is missing and re-sync the package (editable) and its dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test install install-dev lint fuzz bench eval eval-unseen screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(PIP) install -e .

install-dev: $(BIN)/python
	$(PIP) install -e '.[dev]'

run: install
	$(BIN)/olivebranch serve

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Runs every test: SQLite always, PostgreSQL through a throwaway server that
# scripts/test-postgres installs (if needed), starts and stops again, and the
# browser tests with Debian's Chromium, which scripts/ensure-chromium installs.
test: install-dev lint
	@scripts/ensure-chromium
	@pgdir=$$(mktemp -d /tmp/olivebranch-pg.XXXXXX); \
	url=$$(scripts/test-postgres start $$pgdir) || { echo "could not start PostgreSQL for the tests"; exit 1; }; \
	OLIVEBRANCH_TEST_POSTGRES_URL=$$url $(BIN)/pytest; status=$$?; \
	scripts/test-postgres stop $$pgdir; exit $$status

# A long hunt of the JSON API with random requests from its OpenAPI document (make test runs a
# short fixed sequence). FUZZ_EXAMPLES sets the count per operation.
FUZZ_EXAMPLES ?= 500
fuzz: install-dev
	@pgdir=$$(mktemp -d /tmp/olivebranch-pg.XXXXXX); \
	url=$$(scripts/test-postgres start $$pgdir) || { echo "could not start PostgreSQL for the tests"; exit 1; }; \
	OLIVEBRANCH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) OLIVEBRANCH_TEST_POSTGRES_URL=$$url $(BIN)/pytest -q tests/hosted/test_api_fuzz.py; \
	status=$$?; scripts/test-postgres stop $$pgdir; exit $$status

bench: install-dev
	$(BIN)/python bench/status_bench.py
	$(BIN)/python bench/checker_bench.py
	$(BIN)/python bench/web_bench.py
	$(BIN)/python bench/soak_bench.py

# The checker's, the reply reader's and the safety screen's figures on their
# held-out sets (never trained or tuned on), and the benign noise rate.
# Training-set figures: scripts/train_head.py, train_reply.py, train_screen.py.
eval: install-dev
	$(BIN)/python bench/eval_checker.py corpus/checker/heldout.jsonl \
		--benign=corpus/benign/everyday.jsonl
	$(BIN)/python bench/eval_replies.py corpus/replies/heldout.jsonl
	$(BIN)/python bench/eval_screen.py corpus/screen/heldout.jsonl

# the figures on the batches kept as unseen text (scripts/options.py)
eval-unseen: install-dev
	$(BIN)/python bench/eval_unseen.py

# Rewrites the README's screenshots in docs/screenshots/ (a plain test run writes them to a
# temporary folder, so it leaves the working tree as it was).
screenshots: install-dev
	@scripts/ensure-chromium
	OLIVEBRANCH_UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_pwa_and_access.py -k screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
