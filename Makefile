# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= $(or $(KOMMUNEINDEKS_DB),data/kommuneindeks.duckdb)
PORT ?= 8501

.PHONY: run test install db bench eval lint clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

$(DB): | $(BIN)/.installed
	$(BIN)/kommuneindeks build --db $(DB)

db: $(DB)

run: install db
	KOMMUNEINDEKS_DB=$(DB) $(BIN)/streamlit run streamlit_app.py \
		--server.headless true --server.address localhost --server.port $(PORT)

test: install
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

bench: install db
	KOMMUNEINDEKS_DB=$(DB) $(BIN)/python -m benchmarks

eval: install db
	KOMMUNEINDEKS_DB=$(DB) $(BIN)/python -m assistant.evaluate

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) data/kommuneindeks.duckdb data/kommuneindeks.duckdb.kart.json
