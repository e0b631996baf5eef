"""Engine benchmark: prints load, borders-at, where and map data timings (not a test; run by hand).

Usage: python bench/engine.py [--pack ID] [--events 1000] [--polities 200]
(``geo`` must be installed, as scripts/setup.sh does: ``pip install -e . --no-deps``).
Targets (2-core machine): default pack load+validate < 1.5 s, borders_at < 5 ms, where < 2 ms,
map data ≲ 1 s and ≤ 200 KB; synthetic pack of 1,000 events and 200 polities: load < 15 s,
borders_at < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from percentiles import percentile  # bench/percentiles.py, beside it

from geo import catalog, query, synthetic, timeline, topology


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def measure(pack_dir: Path, label: str) -> None:
    seconds, (pack, problems) = timed(catalog.load_pack, pack_dir)
    if problems:
        print(f"{label}: invalid pack ({problems[0]})")
        return
    days = sorted({e.effective for e in pack.events} | {pack.baseline_date})
    for day in days:  # warm: first calls pay for imports and lazy numpy paths
        timeline.borders_at(pack, day)
    border_ms = []
    for _ in range(5):
        for day in days:
            border_ms.append(timed(timeline.borders_at, pack, day)[0] * 1000)
    rng = random.Random(7)
    minx, miny, maxx, maxy = pack.timeline.scope.bounds
    points = [
        (rng.uniform(minx, maxx), rng.uniform(miny, maxy), rng.choice(days)) for _ in range(500)
    ]
    for lon, lat, day in points[:20]:
        query.where(pack, lon, lat, day)
    where_ms = [timed(query.where, pack, lon, lat, day)[0] * 1000 for lon, lat, day in points]
    map_seconds, data = timed(topology.map_data, pack)
    map_bytes = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    print(
        f"{label}: {len(pack.events)} events, {len(pack.polities)} polities, "
        f"{len(pack.timeline.atoms)} atoms, {len(pack.timeline.versions)} polygon versions"
    )
    print(f"  load + validate      {seconds:8.3f} s")
    print(
        f"  borders_at  p50      {statistics.median(border_ms):8.3f} ms   "
        f"p95 {percentile(border_ms, 0.95):.3f} ms   ({len(border_ms)} calls)"
    )
    print(
        f"  where       p50      {statistics.median(where_ms):8.3f} ms   "
        f"p95 {percentile(where_ms, 0.95):.3f} ms   ({len(where_ms)} calls)"
    )
    print(f"  map data (topology)  {map_seconds:8.3f} s    {map_bytes:,} bytes of JSON")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default=catalog.DEFAULT_PACK)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--polities", type=int, default=200)
    args = parser.parse_args()
    measure(catalog.TREATIES / args.pack, f"pack {args.pack}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic.random_world(Path(tmp) / "synthetic", args.polities, args.events)
        measure(folder, f"synthetic ({args.events} events, {args.polities} polities)")


if __name__ == "__main__":
    main()
