#!/usr/bin/env bash
# Creates .venv (if missing) and installs unlearn-bench with its test extras. Torch is installed first from a
# pinned CPU-compatible version so that no multi-GB CUDA build is pulled in by a bare requirement.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check "${TORCH_SPEC:-torch==2.13.0}"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "installed unlearn-bench into .venv"
