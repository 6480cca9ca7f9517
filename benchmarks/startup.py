"""Start-up time: ``import newsweave`` and ``newsweave --help``, each in fresh processes.

For each of ``--runs`` rounds, fresh interpreters time: the import of ``newsweave`` itself
(measured inside the process, so the interpreter's own start-up is left out), the whole
``python -m newsweave --help`` and an empty ``python -c pass`` (what any command pays before
its first line). Medians over the rounds; the modules each run leaves loaded tell what it paid
for. Target: ``import newsweave`` under 0.5 s, and no NLP model (spaCy) behind either.

    python benchmarks/startup.py [--runs 15] [--out benchmarks/results/startup.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ingest import code_version, machine_info

SRC = Path(__file__).resolve().parent.parent / "src"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "startup.json"
TARGET_IMPORT_SECONDS = 0.5
WATCHED = (  # third-party packages worth knowing about when loaded
    "spacy", "thinc", "fastapi", "starlette", "uvicorn", "trafilatura", "pyarrow", "numpy",
    "httpx", "lxml", "dateutil", "jinja2", "rich", "click",
)  # fmt: skip

IMPORT = """
import json, sys, time
started = time.perf_counter()
import newsweave
print(json.dumps([time.perf_counter() - started, sorted(sys.modules)]))
"""
HELP = """
import json, runpy, sys, time
started = time.perf_counter()
sys.argv = ["newsweave", "--help"]
try:
    runpy.run_module("newsweave", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print(json.dumps([time.perf_counter() - started, sorted(sys.modules)]), file=sys.stderr)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(SRC)}


def timed_in_process(code: str, to_stderr: bool = False) -> tuple[float, list[str]]:
    """Seconds ``code`` reported for itself, and the modules it left loaded."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True
    )
    seconds, modules = json.loads((done.stderr if to_stderr else done.stdout).splitlines()[-1])
    return float(seconds), list(modules)


def wall_seconds(*args: str) -> float:
    """The wall time of a whole fresh ``python`` process."""
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], capture_output=True, env=_env(), check=True)
    return time.perf_counter() - started


def watched_loaded(modules: list[str]) -> list[str]:
    return sorted({name.split(".")[0] for name in modules} & set(WATCHED))


def measure(runs: int) -> dict[str, Any]:
    imports, helps, help_walls, empty_walls = [], [], [], []
    import_modules: list[str] = []
    help_modules: list[str] = []
    for _ in range(runs):
        seconds, import_modules = timed_in_process(IMPORT)
        imports.append(seconds)
        seconds, help_modules = timed_in_process(HELP, to_stderr=True)
        helps.append(seconds)
        help_walls.append(wall_seconds("-m", "newsweave", "--help"))
        empty_walls.append(wall_seconds("-c", "pass"))
    return {
        "import_newsweave": {
            "median_seconds": round(statistics.median(imports), 4),
            "max_seconds": round(max(imports), 4),
            "newsweave_modules": sum(m.startswith("newsweave") for m in import_modules),
            "libraries_loaded": watched_loaded(import_modules),
        },
        "help": {
            "median_seconds_in_process": round(statistics.median(helps), 4),
            "median_seconds_wall": round(statistics.median(help_walls), 4),
            "newsweave_modules": sum(m.startswith("newsweave") for m in help_modules),
            "libraries_loaded": watched_loaded(help_modules),
        },
        "empty_python_median_seconds_wall": round(statistics.median(empty_walls), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="Fresh processes of each kind.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    results = measure(args.runs)
    report = {
        "benchmark": "startup",
        "code_version": code_version(),
        "machine": machine_info(),
        "settings": {"runs": args.runs},
        "target": f"import newsweave < {TARGET_IMPORT_SECONDS} s; no spaCy behind --help",
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    first, help_ = results["import_newsweave"], results["help"]
    verdict = "meets" if first["median_seconds"] < TARGET_IMPORT_SECONDS else "misses"
    print(
        f"import newsweave: median {first['median_seconds']:.3f} s ({verdict} "
        f"< {TARGET_IMPORT_SECONDS} s); newsweave --help: median {help_['median_seconds_wall']:.3f}"
        f" s wall, {help_['median_seconds_in_process']:.3f} s after the interpreter started "
        f"(empty python: {results['empty_python_median_seconds_wall']:.3f} s); "
        f"--help loads {', '.join(help_['libraries_loaded']) or 'none of the watched libraries'}"
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
