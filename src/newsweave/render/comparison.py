"""The terminal view of one event's comparison (Rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from newsweave.compare.model import Comparison, QuoteVariant
from newsweave.render.safe import line

_STYLE = {"equal": "{}", "delete": "[red][-{}-][/]", "insert": "[green]{{+{}+}}[/]"}


def print_comparison(console: Console, found: Comparison) -> None:
    console.rule(f"[bold]{line(found.title)}[/]  {found.event_id}")
    console.print("outlets: " + line(", ".join(found.outlets)))
    console.print("[bold]Summary[/]")
    for sentence in found.summary:
        console.print(f"  {line(sentence.text)} [dim]({line(sentence.outlet)})[/]")
    _facts(console, found)
    _list(console, "Conflicts", [
        f"{c.kind} · {c.what}: " + " | ".join(f"{s.outlet}: {s.text} — “{s.sentence}”"
                                              for s in c.sides)
        for c in found.conflicts
    ])  # fmt: skip
    console.print(f"[bold]Quote variants[/] ({len(found.quote_variants)})")
    for variant in found.quote_variants:
        _variant(console, variant)
    _list(console, "Misattributed quotes", [
        f"“{m.text}”: " + "; ".join(f"{s.outlet} → {s.speaker}" for s in m.sides)
        for m in found.misattributions
    ])  # fmt: skip
    _list(console, "Citations", [
        f"{c.outlet} cites {c.cited}" + (f" ({c.cited_outlet})" if c.cited_outlet else "")
        + f": “{c.sentence}”"
        for c in found.citations
    ])  # fmt: skip
    _list(console, "Copying", [
        f"{r.copy_outlet} ← {r.origin_outlet}: "
        + ("the same text" if r.identical else f"{r.share_of_copy:.0%} of the copy")
        + "".join(f"\n    “{line(p)}”" for p in r.shown)
        for r in found.reuse
    ])  # fmt: skip
    _framing(console, found)
    _list(console, "Where they differ", found.differences)


def _facts(console: Console, found: Comparison) -> None:
    table = Table("outlets", "fact", title=f"{len(found.facts)} facts reported by several")
    for fact in found.facts[:12]:
        table.add_row(line(", ".join(fact.outlets)), line(fact.statements[0].text))
    console.print(table)
    for outlet, statements in found.left_out.items():
        console.print(f"[bold]{line(outlet)} leaves out[/] ({len(statements)})")
        for statement in statements[:5]:
            console.print(f"  {line(statement.text)} [dim]({line(statement.outlet)})[/]")
    for outlet, statements in found.only_in.items():
        console.print(f"[bold]Only {line(outlet)}[/] ({len(statements)})")
        for statement in statements[:5]:
            console.print(f"  {line(statement.text)}")


def _variant(console: Console, variant: QuoteVariant) -> None:
    console.print(f"  [bold]{line(variant.speaker or '—')}[/]")
    for side, ops in zip(variant.variants, variant.diffs, strict=True):
        words = " ".join(_STYLE[op].format(line(text)) for op, text in ops)
        console.print(f"    {line(side.outlet)}: {words}")


def _framing(console: Console, found: Comparison) -> None:
    table = Table("actor", "outlet", "words used", "flags", title="Framing")
    for frame in found.framing:
        for outlet, words in frame.by_outlet.items():
            flags = ", ".join(frame.loaded.get(outlet, []) + [
                f"only here: {w}" for w in frame.unique.get(outlet, [])
            ])  # fmt: skip
            table.add_row(line(frame.actor), line(outlet), line(", ".join(words)),
                          line(flags))  # fmt: skip
        for outlet, words in frame.quoted.items():
            table.add_row(line(frame.actor), line(outlet), line(", ".join(words)), "quoted")
    console.print(table)


def _list(console: Console, title: str, lines: list[str]) -> None:
    console.print(f"[bold]{title}[/] ({len(lines)})")
    for entry in lines:
        console.print(f"  {line(entry)}", highlight=False)
