# The two commands a new user runs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := examples/gongren-ribao-2025-02-25.txt

.PHONY: demo test test-deps lint install install-test clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'

demo: install
	$(BIN)/kg build $(SAMPLE) -o output/

# Chromium and CJK fonts for the browser tests: installed as root on Debian,
# otherwise make stops here with the one command to run (scripts/install_test_deps.sh).
test-deps:
	@scripts/install_test_deps.sh >/dev/null

test: test-deps install-test
	$(BIN)/ruff check kg tests benchmarks scripts
	KG_CHROMIUM="$$(scripts/install_test_deps.sh)" $(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check kg tests benchmarks scripts

clean:
	rm -rf $(VENV) output/graph.* output/report.json
