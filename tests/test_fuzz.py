"""The fuzz harness's short fixed-seed run (issue 15): every input format, fuzzed from the demo
corpus, through the CLI exactly as a user runs it (``ingest``, then ``annotate`` and
``cluster`` on the store it made), and the cheap pathological inputs. Each run must show no
traceback, take under 30 s, stay under 1 GiB peak RSS, tell every problem in one line and
exit as the README states. The long run is ``python benchmarks/fuzz.py`` (10,000 inputs per
format and the big pathological files); see its docstring for the rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCHMARKS))

from fuzz import (  # noqa: E402
    FORMATS,
    PATHOLOGICAL,
    FuzzResult,
    Pathological,
    fuzz,
    run_pathological,
)

PER_FORMAT = 40  # inputs per format; all formats mixed in two CLI runs of 240 files
SEED = 15


def describe(result: FuzzResult, saved: Path) -> str:
    lines = [f"{len(result.failures)} failure signatures (reproducers under {saved}):"]
    for finding in result.failures:
        lines.append(f"[{finding.kind}] {finding.signature}: {finding.detail[:200]!r}")
        lines += [f"    reproducer: {path}" for path in finding.reproducers]
    return "\n".join(lines)


def test_short_fixed_seed_fuzz_run_finds_nothing(tmp_path: Path) -> None:
    saved = tmp_path / "found"
    result = fuzz(
        FORMATS,
        PER_FORMAT,
        batch=PER_FORMAT * len(FORMATS) // 2,
        seed=SEED,
        work=tmp_path / "work",
        save=saved,
        keep=1,
        triage_budget_s=60,
        mixed=True,
    )
    assert {fmt: fig.inputs for fmt, fig in result.formats.items()} == dict.fromkeys(
        FORMATS, PER_FORMAT
    )
    assert result.clean, describe(result, saved)


@pytest.mark.parametrize(
    "case", [case for case in PATHOLOGICAL if case.cheap], ids=lambda case: case.name
)
def test_cheap_pathological_input_is_refused_or_read_within_bounds(
    case: Pathological, tmp_path: Path
) -> None:
    # The RSS guard and the address-space limit keep a failing run off the rest of the machine.
    run = run_pathological(case, tmp_path / "work", rss_kill_mib=1536, address_space=4_000_000_000)
    figures = ", ".join(
        f"{s.name}: {s.seconds:.1f} s, {s.peak_rss_mib:.0f} MiB, exit {s.returncode}"
        for s in run.stages
    )
    assert not run.failures, f"{figures}; " + "; ".join(
        f"[{f.kind}] {f.signature}: {f.detail[:200]!r}" for f in run.failures
    )
