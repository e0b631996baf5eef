"""pyproject.toml and the pinned requirements name the same packages, and every pin is inside
the range the project declares, so `pip install -e . --no-deps` after the pins is complete."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def pins(name: str) -> dict[str, str]:
    """``package: version`` of a requirements file (its ``-r`` includes are read separately)."""
    found = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        package, pinned = re.fullmatch(r"([A-Za-z0-9_.-]+)==([0-9.]+)", line).groups()
        found[package.lower()] = pinned
    return found


def floors(requirements: list[str]) -> dict[str, str]:
    """``package: lowest version`` of pyproject requirements."""
    found = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?>=([0-9.]+)", requirement)
        package, floor = match.groups()
        found[package.lower()] = floor
    return found


def own_extras(requirements: list[str]) -> list[str]:
    return [r for r in requirements if not r.startswith(PROJECT["name"] + "[")]


def test_runtime_pins_are_exactly_the_engine_and_its_extras():
    extras = PROJECT["optional-dependencies"]
    declared = floors(PROJECT["dependencies"]) | floors(extras["app"]) | floors(extras["export"])
    assert sorted(declared) == sorted(pins("requirements.txt"))


def test_test_tool_pins_are_the_dev_extra():
    dev = PROJECT["optional-dependencies"]["dev"]
    assert f"{PROJECT['name']}[app,export]" in dev
    assert sorted(floors(own_extras(dev))) == sorted(pins("requirements-dev.txt"))
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")


def test_every_pin_satisfies_the_declared_range():
    extras = PROJECT["optional-dependencies"]
    declared = floors(PROJECT["dependencies"])
    for extra in extras.values():
        declared |= floors(own_extras(extra))
    pinned = pins("requirements.txt") | pins("requirements-dev.txt")
    too_old = {
        p: (pinned[p], floor)
        for p, floor in declared.items()
        if version(pinned[p]) < version(floor)
    }
    assert too_old == {}


# The command line's answers with every package of the extras made unimportable.
CORE_ONLY = """
import sys
for name in ("streamlit", "streamlit_folium", "folium", "branca", "xstatic", "matplotlib",
             "PIL", "imageio", "imageio_ffmpeg"):
    sys.modules[name] = None  # import raises ImportError
from geo.cli import main
for args in (["borders", "--date", "1830-01-01", "--out", sys.argv[1]], ["events"],
             ["where", "--lon", "44.51", "--lat", "40.18", "--date", "1830-01-01"]):
    assert main(args) == 0, args
"""


def test_the_engine_answers_with_the_core_dependencies_only(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CORE_ONLY, str(tmp_path / "borders.geojson")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert '"polity"' in (tmp_path / "borders.geojson").read_text(encoding="utf-8")
