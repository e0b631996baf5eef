"""Load benchmark: what the dashboard's server costs per student, for 1 and for N students.

Twenty Chromium pages on a small machine would measure the browsers, so this records one real
Chromium session (the page's GETs and the websocket frames it sends while a student opens the
app, steps the year, picks a treaty and clicks the map; see bench/recording.py) and replays it
from N light clients that speak Streamlit's protocol, each in its own session, one interaction
every 1.5–3 s. It times each interaction from the frame sent to the server's script_finished,
and reads the server's memory. Everything runs on 127.0.0.1; the app process is started here
and stopped at the end.

Runs, against one fresh app process: 1 session, then 3 new sessions one after another (time to
first script_finished on a warm server), then N sessions at once; optionally a few real Chromium
pages stepping the slider (--browsers).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench import appserver as server
from bench.percentiles import percentile
from bench.recording import Recording, record
from bench.replay import Outcome, student

ROOT = Path(__file__).resolve().parent.parent

RAMP_SECONDS = 3.0  # N students do not open the page in the same millisecond
WARM_PROBES = 3


@dataclass
class Run:
    """One load level: what every client saw, and the server's side of it."""

    clients: int
    outcomes: list[Outcome]
    rss_kib: int  # with every session of the run still open
    server_cpu: float  # seconds of CPU the app used during the run
    client_cpu: float  # seconds of CPU this process (the light clients) used

    def times(self, action: str | None = None) -> list[float]:
        return [t for o in self.outcomes for name, t in o.timings if action in (None, name)]

    def errors(self) -> list[str]:
        return [e for o in self.outcomes for e in o.errors]


def per_extra_session_kib(rss_one: int, rss_many: int, clients: int) -> float | None:
    """Memory one more session costs: (RSS with N sessions − RSS with 1) / (N − 1)."""
    return (rss_many - rss_one) / (clients - 1) if clients > 1 else None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def load_level(url, recording, clients, seconds, seed, timeout, pid, pool) -> Run:
    """N clients interacting for `seconds` each; memory read while all sessions are open."""
    server_start, client_start = cpu_seconds(pid), time.process_time()
    ramp = random.Random(f"{seed}-ramp")

    async def one(index: int):
        if clients > 1:
            await asyncio.sleep(ramp.uniform(0, RAMP_SECONDS))
        rng = random.Random(f"{seed}-client-{index}")
        return await student(url, recording, seconds, rng, pool, timeout)

    results = await asyncio.gather(*(one(i) for i in range(clients)))
    rss = server.rss_kib(pid)
    run = Run(
        clients,
        [outcome for _, outcome in results],
        rss,
        cpu_seconds(pid) - server_start,
        time.process_time() - client_start,
    )
    await asyncio.gather(*(session.close() for session, _ in results))
    return run


async def new_sessions(url, recording, seed, timeout, pool) -> list[Outcome]:
    """New sessions one after another on a warm server: open only, no interaction."""
    outcomes = []
    for i in range(WARM_PROBES):
        session, outcome = await student(
            url, recording, 0, random.Random(f"{seed}-probe-{i}"), pool, timeout
        )
        await session.close()
        outcomes.append(outcome)
    return outcomes


async def measure(url: str, recording: Recording, args, pid: int) -> dict:
    load_average = os.getloadavg()[0]  # others' work on the machine skews every figure
    with ThreadPoolExecutor(8) as pool:
        rss_start = server.rss_kib(pid)
        print("· 1 session …", flush=True)
        one = await load_level(url, recording, 1, args.seconds, args.seed, args.timeout, pid, pool)
        print("· new sessions on the warm server …", flush=True)
        probes = await new_sessions(url, recording, args.seed, args.timeout, pool)
        many = None
        if args.clients > 1:
            print(f"· {args.clients} sessions …", flush=True)
            many = await load_level(
                url, recording, args.clients, args.seconds, args.seed, args.timeout, pid, pool
            )
        await asyncio.sleep(3)  # let the server drop the closed sessions
        rss_end = server.rss_kib(pid)
    return {
        "one": one,
        "many": many,
        "probes": probes,
        "rss_start": rss_start,
        "rss_end": rss_end,
        "load_average": load_average,
    }


# ---- Report -------------------------------------------------------------------------------------


def ms(values: list[float], share: float | None = None) -> str:
    if not values:
        return "–"
    value = max(values) if share is None else percentile(values, share)
    return f"{1000 * value:,.0f}"


def mib(kib: float) -> str:
    return f"{kib / 1024:,.1f} MiB"


def report(recording: Recording, results: dict, args) -> None:
    one, many, probes = results["one"], results["many"], results["probes"]
    runs = [one] + ([many] if many else [])
    names = list(dict.fromkeys(name for name, _ in recording.actions[1:]))
    head = ["", "1 session"] + ([f"{many.clients} sessions"] if many else [])
    rows = [
        ["interactions timed", *(f"{len(r.times()):,}" for r in runs)],
        ["server time p50 (ms)", *(ms(r.times(), 0.5) for r in runs)],
        ["server time p95 (ms)", *(ms(r.times(), 0.95) for r in runs)],
        ["server time max (ms)", *(ms(r.times()) for r in runs)],
        ["errors", *(str(len(r.errors())) for r in runs)],
        [
            "open → first script_finished",
            f"{one.outcomes[0].open_seconds or math.nan:.2f} s (fresh app)",
        ]
        + ([_opens(many)] if many else []),
        ["server RSS, sessions open", *(mib(r.rss_kib) for r in runs)],
        ["server CPU (s)", *(f"{r.server_cpu:.1f}" for r in runs)],
        ["light clients' CPU (s)", *(f"{r.client_cpu:.1f}" for r in runs)],
        ["GETs per client (failed)", *(_gets(r) for r in runs)],
    ]
    rows += [[f"  {name} p50 / p95 (ms)", *(_pair(r.times(name)) for r in runs)] for name in names]
    print()
    print(
        f"Load: {args.seconds:g} s of interactions per level, one every "
        f"{args.think[0]:g}–{args.think[1]:g} s per client (seed {args.seed}); "
        f"{os.cpu_count()} CPUs shared by the app and the clients "
        f"(load average at the start: {results['load_average']:.2f})."
    )
    print(f"Recorded actions, replayed in a loop: {', '.join(n for n, _ in recording.actions[1:])}")
    print(f"  messages the server sent for each, browser / replay: {_fidelity(recording, one)}")
    _table([head, *rows])
    print()
    print(f"server RSS before any session: {mib(results['rss_start'])}")
    print(f"server RSS after the sessions closed: {mib(results['rss_end'])}")
    if many:
        extra = per_extra_session_kib(one.rss_kib, many.rss_kib, many.clients)
        print(
            f"memory per extra session: ({mib(many.rss_kib)} − {mib(one.rss_kib)}) / "
            f"{many.clients - 1} = {mib(extra)}"
        )
        p95_one, p95_many = one.times(), many.times()
        if p95_one and p95_many:
            ratio = percentile(p95_many, 0.95) / percentile(p95_one, 0.95)
            print(f"p95({many.clients}) / p95(1): {ratio:.1f}×")
    opens = [o.open_seconds for o in probes if o.open_seconds is not None]
    if opens:
        print(
            f"new session on a warm server, alone: open → first script_finished "
            f"{' / '.join(f'{s:.2f}' for s in opens)} s (first session on the fresh server: "
            f"{one.outcomes[0].open_seconds or math.nan:.2f} s)"
        )
    problems = Counter(e for r in runs for e in r.errors()) + Counter(
        e for o in probes for e in o.errors
    )
    for text, count in problems.most_common(10):
        print(f"error ×{count}: {text}")
    failures = Counter(f for r in runs for o in r.outcomes for f in o.get_failures)
    for text, count in failures.most_common(5):
        print(f"failed GET ×{count}: {text}")
    unmatched = {w for r in runs for o in r.outcomes for w in o.unmatched}
    if unmatched:
        print(
            f"note: {len(unmatched)} recorded widget(s) never drawn in a replayed session, sent "
            "with the recorded id (the replay left the recorded path)"
        )
    if any(o.auto_reruns for r in runs for o in r.outcomes):
        print("note: the app asked for timed reruns (playback), which the replay does not send")


def _fidelity(recording: Recording, run: Run) -> str:
    """The browser's count beside the replay's, for the first pass through the actions: equal
    counts show the replayed session took the browser's path through the app."""
    replayed = run.outcomes[0].received
    pairs = zip(recording.actions, recording.received, replayed, strict=False)
    return ", ".join(f"{name} {browser}/{replay}" for (name, _), browser, replay in pairs)


def _opens(run: Run) -> str:
    opens = [o.open_seconds for o in run.outcomes if o.open_seconds is not None]
    if not opens:
        return "–"
    return f"p50 {statistics.median(opens):.2f} s, max {max(opens):.2f} s"


def _gets(run: Run) -> str:
    gets = statistics.median(o.gets for o in run.outcomes)
    failed = sum(len(o.get_failures) for o in run.outcomes)
    return f"{gets:.0f} ({failed})"


def _pair(values: list[float]) -> str:
    return f"{ms(values, 0.5)} / {ms(values, 0.95)}" if values else "–"


def _table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))


def report_browsers(times: list[float], errors: list[str], pages: int) -> None:
    print()
    print(f"Chromium, {pages} pages at once: slider step → borders redrawn")
    if times:
        print(
            f"  p50 {ms(times, 0.5)} ms, p95 {ms(times, 0.95)} ms, max {ms(times)} ms "
            f"({len(times)} steps)"
        )
    for text, count in Counter(errors).most_common(5):
        print(f"  error ×{count}: {text}")


# ---- Command line -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=20, help="sessions at once (default 20)")
    parser.add_argument(
        "--seconds", type=float, default=120, help="interaction time per level (default 120)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=30, help="longest wait for one rerun (default 30 s)"
    )
    parser.add_argument(
        "--browsers", type=int, default=0, help="also step the slider in this many Chromium pages"
    )
    parser.add_argument(
        "--browser-steps", type=int, default=10, help="slider steps per Chromium page (default 10)"
    )
    parser.add_argument("--recording", type=Path, help="replay this saved recording")
    parser.add_argument("--save-recording", type=Path, help="save the recording here (JSON)")
    parser.add_argument("--treaties", type=Path, help="the app's treaties folder")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.timeout <= 0 or args.browsers < 0:
        parser.error("--clients must be at least 1; --seconds and --timeout above 0")
    if args.recording and not args.recording.is_file():
        parser.error(f"--recording: no such file: {args.recording}")
    return args


def main(argv: list[str] | None = None) -> None:
    from bench.browsers import run_browsers
    from bench.replay import THINK_SECONDS

    args = parse_args(argv)
    args.think = THINK_SECONDS
    if args.recording:
        recording = Recording.load(args.recording)
    else:
        print("· recording one Chromium session …", flush=True)
        process, url = server.start_app(args.treaties)
        try:
            recording = record(url)
        finally:
            server.stop_app(process)
    if args.save_recording:
        recording.save(args.save_recording)
    for url in recording.blocked:
        print(f"note: the recorded page asked for {url} (blocked)")
    for name in recording.silent:
        print(f"note: the recorded action “{name}” sent nothing to the server")
    process, url = server.start_app(args.treaties)
    try:
        results = asyncio.run(measure(url, recording, args, process.pid))
        browser_results = None
        if args.browsers:
            print(f"· {args.browsers} Chromium pages …", flush=True)
            browser_results = asyncio.run(
                run_browsers(url, args.browsers, args.browser_steps, args.seed)
            )
    finally:
        server.stop_app(process)
    report(recording, results, args)
    if browser_results:
        report_browsers(*browser_results, args.browsers)


if __name__ == "__main__":
    main()
