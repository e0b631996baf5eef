"""Start a Streamlit app on loopback and wait until it answers: the dashboard for the browser
tests and the benchmarks, or any other script (the bare baseline app of bench/app.py).

Used by the browser tests and the load benchmark (``from bench.appserver import start_app``) and
by bench/app.py, run as a file (``from appserver import start_app``); it never imports from
``tests/``. The app process is the server itself (no wrapper), so its /proc entry gives the
server's memory.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "test-output" / "e2e"
STARTUP_SECONDS = 60
# What a page of the app may load: the app itself and what the browser makes locally.
# Browser tests and benchmarks block everything else, so they also prove the app is offline.
LOOPBACK = (
    "http://127.0.0.1",
    "http://localhost",
    "ws://127.0.0.1",
    "ws://localhost",
    "about:",
    "data:",
    "blob:",
)
APP = ROOT / "app.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(
    script: Path, env: dict[str, str] | None = None, logs: Path = LOGS, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` on a loopback port (a free one unless given); returns the
    process and its URL once the health check answers. The server's output goes to
    ``logs/streamlit-<port>.log``."""
    logs.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = open(logs / f"streamlit-{port}.log", "w")  # noqa: SIM115 (closed with the process)
    # The dashboard starts as it does in a classroom: with its packs loaded before the first
    # visitor (dashboard/serve.py); any other script as plain `streamlit run`.
    start = ["-m", "dashboard.serve"] if script == APP else ["-m", "streamlit", "run", str(script)]
    process = subprocess.Popen(
        [
            sys.executable,
            *start,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + STARTUP_SECONDS
    while time.time() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    process.wait()
    raise RuntimeError(f"streamlit did not start {script.name}; see {log.name}")


def start_app(
    treaties: Path | None = None, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """The dashboard (app.py) reading the packs under ``treaties`` (default: the bundled ones)."""
    folder = treaties or ROOT / "treaties"
    return start_streamlit(APP, {"TREATY_MAP_TREATIES": str(folder)}, port=port)


def stop_app(process: subprocess.Popen) -> None:
    """Terminate the app (kill it if it does not exit within 20 s)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (VmRSS in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")
