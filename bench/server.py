"""Start the dashboard for a benchmark: `streamlit run app.py` on a free loopback port.

The process is the server itself (no wrapper), so its /proc entry gives the server's memory.
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
LOGS = ROOT / "test-output" / "bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    script: Path = ROOT / "app.py", treaties: Path | None = None, timeout: float = 60
) -> tuple[subprocess.Popen, str]:
    """Start the app and wait for /_stcore/health; return the process and its base URL.

    The server's output goes to test-output/bench/streamlit-PORT.log.
    """
    LOGS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "TREATY_MAP_TREATIES": str(treaties or ROOT / "treaties")}
    log_path = LOGS / f"streamlit-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.3)
    stop_app(process)
    raise RuntimeError(f"streamlit did not start; see {log_path}")


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
