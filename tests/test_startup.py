"""Start-up stays light: ``import newsweave`` loads none of the package's stages, and the
command line's help (``newsweave --help`` and every subcommand's) loads no NLP model, no web
framework and no extractor. Each check runs in a fresh interpreter, since what one test
imports stays loaded for the next; it asserts what is loaded rather than how long it took.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import newsweave

SRC = Path(__file__).resolve().parent.parent / "src"
# Loaded only when their work is done: the NLP model, the web server, the extractors.
HEAVY = ("spacy", "thinc", "fastapi", "starlette", "uvicorn", "trafilatura", "pyarrow")
# Light enough for the command line, but ``import newsweave`` alone needs none of them.
LIBRARIES = ("numpy", "httpx", "lxml", "dateutil", "jinja2", "rich", "click")

LOADED_AFTER = """
import json, sys
{code}
print(json.dumps(sorted(sys.modules)))
"""
HELP_OF_MAIN = """
import runpy, sys
sys.argv = ["newsweave", "--help"]
try:
    runpy.run_module("newsweave", run_name="__main__", alter_sys=True)
except SystemExit as done:
    assert done.code in (0, None), done.code
"""
HELP_OF_EVERY_COMMAND = """
import contextlib, io
import click
from newsweave.cli import main

def paths(group, prefix):
    for name, command in sorted(group.commands.items()):
        yield [*prefix, name]
        if isinstance(command, click.Group):
            yield from paths(command, [*prefix, name])

every = list(paths(main, []))
assert len(every) > 20 and ["articles", "list"] in every and ["serve"] in every, every
for path in every:
    with contextlib.redirect_stdout(io.StringIO()) as shown:
        code = main.main([*path, "--help"], prog_name="newsweave", standalone_mode=False)
    assert code == 0 and "Usage: newsweave" in shown.getvalue(), path
"""


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER.format(code=code)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of the top-level packages ``names`` are loaded."""
    return sorted({module.split(".")[0] for module in modules} & set(names))


def test_import_newsweave_loads_only_the_package() -> None:
    modules = loaded_after("import newsweave")
    assert among(modules, HEAVY + LIBRARIES) == []
    assert sorted(m for m in modules if m.startswith("newsweave")) == [
        "newsweave",
        "newsweave.ingest",
    ]


def test_the_python_api_for_reading_a_store_loads_no_nlp_model() -> None:
    modules = loaded_after("import newsweave.api, newsweave.report.site, newsweave.cli")
    assert among(modules, HEAVY) == []


def test_newsweave_help_loads_no_nlp_model() -> None:
    modules = loaded_after(HELP_OF_MAIN)
    assert "newsweave.cli" in modules
    assert among(modules, HEAVY) == []


def test_every_subcommand_help_loads_no_nlp_model() -> None:
    modules = loaded_after(HELP_OF_EVERY_COMMAND)
    assert "newsweave.commands" in modules
    assert among(modules, HEAVY) == []


def test_public_names_resolve_on_first_use() -> None:
    for name in newsweave.__all__:
        assert getattr(newsweave, name) is not None, name
    assert set(newsweave.__all__) <= set(dir(newsweave))
    from newsweave import Article, Comparison, Event, QuoteRecord, Storyline, ingest
    from newsweave.annotation import QuoteRecord as FromItsModule
    from newsweave.ingest.pipeline import ingest as the_function

    assert QuoteRecord is FromItsModule
    assert ingest is the_function  # the function, not the subpackage of the same name
    assert {Article.__name__, Event.__name__, Storyline.__name__, Comparison.__name__} == {
        "Article",
        "Event",
        "Storyline",
        "Comparison",
    }


def test_ingest_stays_the_function_after_its_subpackage_is_loaded() -> None:
    modules = loaded_after(
        "import newsweave.ingest.pipeline, newsweave\n"
        "from newsweave import ingest\n"
        "assert callable(ingest) and newsweave.ingest is ingest, ingest"
    )
    assert "newsweave.ingest.pipeline" in modules


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = newsweave.no_such_name
