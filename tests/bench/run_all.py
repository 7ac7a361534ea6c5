"""``make bench``: every benchmark in turn, each printing its own figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCHES = ["tests.bench.c2c_throughput"]

if __name__ == "__main__":
    extra = sys.argv[1:]
    for module in BENCHES:
        print(f"\n=== {module} ===", flush=True)
        subprocess.run([sys.executable, "-m", module, *extra], cwd=ROOT, check=True)
