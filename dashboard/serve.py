"""Start the dashboard with its packs loaded before the first visitor: ``python -m
dashboard.serve [streamlit options]`` is ``streamlit run app.py`` plus a warm-up.

Streamlit runs app.py only when a browser opens a session, so after a restart the first
visitor would wait for the packs to load. Here a thread loads them (and prepares each map)
while the server starts; a session arriving meanwhile waits for that one load.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    from dashboard import packs
    from geo.catalog import TREATIES

    root = os.environ.get("TREATY_MAP_TREATIES", str(TREATIES))
    threading.Thread(target=packs.warm, args=(root,), name="warm-packs", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
