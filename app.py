"""Launch the planqa web app: `python app.py [--host H] [--port P] [--auth USER:PASS] [--no-rebuild]`.

Thin on purpose: the app is built by `planqa.ui.create_app` and served by `planqa serve`, which this calls,
so the command line, `make run` and this file start exactly the same thing.
"""

from __future__ import annotations

import sys

from planqa.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["serve", *sys.argv[1:]]))
