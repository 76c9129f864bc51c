# The two commands a new user runs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := examples/gongren-ribao-2025-02-25.txt

.PHONY: demo test lint install install-test clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'

demo: install
	$(BIN)/kg build $(SAMPLE) -o output/

test: install-test
	$(BIN)/ruff check kg tests benchmarks scripts
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check kg tests benchmarks scripts

clean:
	rm -rf $(VENV) output/graph.* output/report.json
