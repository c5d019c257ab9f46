# evalkit — the two commands a new user needs: `make demo` and `make test`.
# Both create .venv with python3 -m venv and install the project with its extras;
# a second run only re-installs when pyproject.toml changed (the stamp file).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= demo-output

.PHONY: demo test lint bench docs fuzz clean help

help:
	@echo "make demo   render the bundled demo agency's sheets into $(OUT)/"
	@echo "make test   run the whole test suite (HYPOTHESIS_PROFILE=ci|dev|thorough)"
	@echo "make lint   ruff + mypy"
	@echo "make bench  quick benchmarks (BENCH_FULL=1 for full sizes)"
	@echo "make docs   build the documentation site (strict)"
	@echo "make fuzz   mutate inputs, FUZZ_N per family (FUZZ=rule_files ...; default all)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/evalkit demo --out $(OUT)

test: $(STAMP)
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check evalkit tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The long fuzz run (issue 16): FUZZ_N mutants per family; FUZZ names families (default all).
# The test suite runs the same families briefly (tests/test_fuzz_*.py).
FUZZ   ?=
FUZZ_N ?= 10000

fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz $(FUZZ) -n $(FUZZ_N)

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -d site

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
