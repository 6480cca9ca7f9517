"""The annotation commands: ``annotate``, ``actors``, ``quotes``, ``actions`` and
``annotations export``; and ``compare``, ``report``, ``serve`` and ``outlets``. They add
themselves to the ``main`` group of :mod:`newsweave.cli_base`; :mod:`newsweave.cli` imports
this module so that they do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

import click

from newsweave.api import PhaseSteps
from newsweave.cli_base import (
    LIMIT,
    OFFSET,
    db_option,
    json_option,
    main,
    opened,
    out,
    outlets_option,
    phase_progress,
    tell,
    text_out,
)
from newsweave.compare.framing import LoadedTermsError
from newsweave.render import annotations as view
from newsweave.render import terminal
from newsweave.render.comparison import print_comparison
from newsweave.render.jsonout import dumps, dumps_line
from newsweave.report.site import write_report


def aliases_option(function: Any) -> Any:
    return click.option(
        "--aliases",
        type=click.Path(dir_okay=False, exists=True),
        help="Alias file (TOML): extra names and merges for actors. Default: "
        "$NEWSWEAVE_ALIASES, else <store>.aliases.toml beside the store.",
    )(function)


def jsonl_option(function: Any) -> Any:
    return click.option("--jsonl", "as_jsonl", is_flag=True, help="Print JSON Lines.")(function)


F = TypeVar("F", bound=Callable[..., Any])


def listing_options(limit: int) -> Callable[[F], F]:
    """--limit, --offset, --json and --jsonl, for commands that list things."""

    def apply(function: F) -> F:
        function = jsonl_option(json_option(function))
        function = click.option("--offset", type=OFFSET, default=0)(function)
        return click.option("--limit", type=LIMIT, default=limit, show_default=True)(function)

    return apply


def _lines(items: Iterable[dict[str, Any]]) -> None:
    for item in items:
        click.echo(dumps_line(item))


def _emit(
    key: str, records: list[dict[str, Any]], as_json: bool, as_jsonl: bool, show: Callable[[], None]
) -> None:
    """A listing as JSON Lines, as one JSON object under ``key``, or as ``show`` prints it."""
    if as_jsonl:
        _lines(records)
    elif as_json:
        click.echo(dumps({key: records}))
    else:
        show()


@main.command()
@db_option
@aliases_option
@click.option("--again", is_flag=True, help="Annotate every article again, not only new ones.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@json_option
def annotate(db: str, aliases: str | None, again: bool, quiet: bool, as_json: bool) -> None:
    """Find actors, quotes, numbers, dates, actions and citations in the stored articles."""
    with opened(db, aliases=aliases) as news:
        with phase_progress(quiet) as shown:
            count = news.annotate(again=again, progress=shown)
        actors = news.store.annotations.list_actors(limit=-1)
    if as_json:
        click.echo(dumps({"annotated": count, "actors": len(actors)}))
    elif not quiet:
        out.print(f"annotated {count} articles; {len(actors)} actors")


@main.group()
def actors() -> None:
    """List and show actors: one per person, organisation, place or group."""


@actors.command("list")
@db_option
@click.option(
    "--kind",
    type=click.Choice(["person", "organisation", "place", "group"]),
    help="Only this kind.",
)
@click.option("--search", help="Only actors with a name containing this.")
@listing_options(50)
def list_actors(
    db: str,
    kind: str | None,
    search: str | None,
    limit: int,
    offset: int,
    as_json: bool,
    as_jsonl: bool,
) -> None:
    """Actors by how often they are mentioned."""
    with opened(db, read_only=True) as news:
        found = news.actors(kind=kind, search=search, limit=limit, offset=offset)
    records = [a.to_dict() for a in found]
    _emit("actors", records, as_json, as_jsonl, lambda: view.print_actors(out, found))


@actors.command("show")
@click.argument("actor")
@db_option
@json_option
def show_actor(actor: str, db: str, as_json: bool) -> None:
    """One actor (id, id prefix or any name): aliases, articles, quotes and actions."""
    with opened(db, read_only=True) as news:
        detail = news.actor(actor)
    if detail is None:
        raise click.ClickException(f"no actor {actor!r}")
    if as_json:
        click.echo(dumps(detail.to_dict()))
    else:
        view.print_actor(out, detail)


@main.command()
@db_option
@click.option("--speaker", help="Only quotes by this actor (id or any name).")
@click.option("--event", help="Only quotes from this event's articles.")
@click.option("--outlet", help="Only quotes from this outlet's articles.")
@click.option(
    "--kind",
    type=click.Choice(["direct", "partial", "indirect"]),
    help="Only quoted words (direct), reported statements with quoted words (partial), "
    "or reported speech (indirect).",
)
@listing_options(100)
def quotes(
    db: str,
    speaker: str | None,
    event: str | None,
    outlet: str | None,
    kind: str | None,
    limit: int,
    offset: int,
    as_json: bool,
    as_jsonl: bool,
) -> None:
    """Quotes with their speakers, oldest first."""
    with opened(db, read_only=True) as news:
        found = news.quotes(
            speaker=speaker, event=event, outlet=outlet, kind=kind, limit=limit, offset=offset
        )
    records = [q.to_dict() for q in found]
    show = partial(view.print_quotes, out, found, title=f"{len(found)} quotes")
    _emit("quotes", records, as_json, as_jsonl, show)


@main.command()
@db_option
@click.option("--limit", type=LIMIT, default=None, help="At most this many.")
@json_option
@jsonl_option
def actions(db: str, limit: int | None, as_json: bool, as_jsonl: bool) -> None:
    """Who did what to whom, with PLOVER event types (PLOVER field names in JSON)."""
    with opened(db, read_only=True) as news:
        found = news.actions(limit=limit or -1)
    _emit("actions", found, as_json, as_jsonl, lambda: view.print_actions(out, found))


@main.group("annotations")
def annotations_group() -> None:
    """Export annotations."""


@annotations_group.command("export")
@db_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="File (default stdout).")
def export_annotations(db: str, out_path: str | None) -> None:
    """One JSON line per article: every annotation with its character span."""
    with opened(db, read_only=True) as news, text_out(out_path) as handle:
        for document in news.iter_annotations():
            handle.write(dumps_line(document) + "\n")


@main.command("compare")
@click.argument("event_id")
@db_option
@click.option(
    "--loaded-terms",
    type=click.Path(dir_okay=False, exists=True),
    help="Your list of loaded descriptors (one per line); default: the bundled list, "
    "or $NEWSWEAVE_LOADED_TERMS.",
)
@json_option
def compare_event(event_id: str, db: str, loaded_terms: str | None, as_json: bool) -> None:
    """How the sources of one event differ: facts, conflicts, quotes, citations, copying,
    framing, and a summary with citations."""
    with opened(db, read_only=True) as news:
        try:
            found = news.compare(event_id, loaded_terms_file=loaded_terms)
        except LoadedTermsError as error:
            raise click.ClickException(str(error)) from error
    if found is None:
        raise click.ClickException(f"no event with id {event_id!r}")
    if as_json:
        click.echo(dumps(found.to_dict()))
    else:
        print_comparison(out, found)


@main.command()
@db_option
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def report(db: str, out_dir: str, quiet: bool) -> None:
    """Write a static HTML report (timeline, one page per event and per actor, data.json)
    that opens from disk with no server."""
    with opened(db, read_only=True) as news, phase_progress(quiet) as shown:
        try:
            with PhaseSteps(shown, "writing") as steps:
                summary = write_report(news, out_dir, steps)
        except (LoadedTermsError, OSError) as error:
            raise click.ClickException(str(error)) from error
    if not quiet:
        out.print(
            f"wrote {summary.out / 'index.html'}: {summary.events} event pages, "
            f"{summary.actors} actor pages, data.json",
            markup=False,
        )


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--write-token",
    envvar="NEWSWEAVE_WRITE_TOKEN",
    help="Allow POST /api/v1/articles with this bearer token ($NEWSWEAVE_WRITE_TOKEN).",
)
@click.option("--aliases", type=click.Path(dir_okay=False, exists=True), help="Alias file.")
@click.option(
    "--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
    help="Also answer requests for this host name (repeatable). Loopback names and the "
    "bound address are always answered; any other Host header is refused (DNS rebinding).",
)  # fmt: skip
def serve(
    db: str, host: str, port: int, write_token: str | None, aliases: str | None,
    allowed_hosts: tuple[str, ...],
) -> None:  # fmt: skip
    """Serve the web app and the REST API (/api/v1; schema at /api/v1/openapi.json)."""
    import uvicorn

    from newsweave.web.app import create_app
    from newsweave.web.server import Settings

    settings = Settings(db, write_token or None, aliases, allowed_hosts=(host, *allowed_hosts))
    try:
        app = create_app(settings)
    except (FileNotFoundError, LoadedTermsError) as error:
        raise click.ClickException(str(error)) from error
    tell(f"serving {db} on http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group("outlets")
def outlets_group() -> None:
    """List and show outlets: articles, dates, names and where each name came from."""


@outlets_group.command("list")
@db_option
@outlets_option
@listing_options(100)
def list_outlets(
    db: str, outlets: str | None, limit: int, offset: int, as_json: bool, as_jsonl: bool
) -> None:
    """Outlets by how many articles they published."""
    with opened(db, read_only=True, outlets=outlets) as news:
        found = news.outlet_list(limit=limit, offset=offset)
    records = [item.to_dict() for item in found]
    _emit("outlets", records, as_json, as_jsonl, lambda: terminal.print_outlets(out, found))


@outlets_group.command("show")
@click.argument("outlet")
@db_option
@outlets_option
@json_option
def show_outlet(outlet: str, db: str, outlets: str | None, as_json: bool) -> None:
    """One outlet (any of its names or its domain): articles, first and last date, the
    names and domains it goes by, and where its name came from."""
    with opened(db, read_only=True, outlets=outlets) as news:
        found = news.outlet(outlet)
    if found is None:
        raise click.ClickException(f"no outlet {outlet!r}")
    if as_json:
        click.echo(dumps(found.to_dict()))
    else:
        terminal.print_outlets(out, [found], title=found.name)
