# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE ?= 1
export GRADIO_ANALYTICS_ENABLED = False

.PHONY: install run test lint eval gate clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	@$(VENV)/bin/planqa index --check >/dev/null || $(VENV)/bin/planqa index
	$(VENV)/bin/planqa ask "我们是AI中小企业，有哪些补贴？"
	$(VENV)/bin/planqa ask "Which measures does the Beijing Municipal Education Commission lead?"

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

eval: install
	$(VENV)/bin/planqa eval

gate: install
	$(VENV)/bin/planqa eval --gate --quiet

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf index .cache
