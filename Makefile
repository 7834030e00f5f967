# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE ?= 1
export GRADIO_ANALYTICS_ENABLED = False

.PHONY: install run test lint eval gate clean

# pip's own lines show progress (each package as it is collected and installed); a first install takes about two minutes.
$(STAMP): pyproject.toml
	@echo "make: installing planqa and its dependencies into $(VENV) (first run only; about 2 minutes)…"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar on -e ".[dev]"
	@touch $(STAMP)
	@echo "make: installed"

install: $(STAMP)

# The web app on http://127.0.0.1:7860 (the index is built first if missing or stale); e.g. make run ARGS="--port 8000".
run: install
	$(VENV)/bin/planqa serve $(ARGS)

# The browser tests drive Debian's chromium; CJK fonts make the Chinese text render. Skipped (with a note) if apt cannot install them.
# The store tests start a PostgreSQL server from Debian's postgresql package on a temporary data directory (skipped, with a note, without it).
test: install
	@(command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .) || \
	  (apt-get install -y chromium chromium-driver fonts-noto-cjk >/dev/null 2>&1 || \
	   (apt-get update >/dev/null && apt-get install -y chromium chromium-driver fonts-noto-cjk >/dev/null)) || \
	  echo "make: could not install chromium and fonts-noto-cjk; the browser tests will be skipped" >&2
	@(command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1) || \
	  (apt-get install -y postgresql >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y postgresql >/dev/null)) || \
	  echo "make: could not install postgresql; the PostgreSQL store tests will be skipped" >&2
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
