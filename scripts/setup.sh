#!/usr/bin/env bash
# Create .venv, install the exact pins of requirements.txt (with --dev, requirements-dev.txt for
# the tests), then the project itself, editable and without dependencies: `geo` and `dashboard`
# import from this checkout, which also holds the data (treaties/, lessons/, static/).
# Offline classrooms: run this once with network; the app itself never downloads anything, and
# a rerun needs no network once everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install --quiet -r requirements-dev.txt
else
    .venv/bin/python -m pip install --quiet -r requirements.txt
fi
# Build the editable install with the venv's own setuptools (no isolated build environment to
# download). Python 3.11 venvs bring setuptools 65, which needs the `wheel` package for that;
# 70.1 and later do not, and Python 3.12+ venvs bring none: so a recent one is added once.
.venv/bin/python -m pip install --quiet "setuptools>=70.1"
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
