"""The outlet table, archive/cache/AMP URL unwrapping, and citations resolved through them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsweave.annotate.actors import find_mentions
from newsweave.annotate.attributions import find_attributions
from newsweave.annotate.pipeline import load_model
from newsweave.annotation import Annotations, Attribution
from newsweave.compare.model import Coverage
from newsweave.compare.sources import citations
from newsweave.model import Article
from newsweave.outlets import (
    Outlet,
    OutletFileError,
    OutletTable,
    default_table,
    domain_of,
    name_key,
    unwrap_url,
)

STORY = "https://www.tallowgazette.example/news/2020/05/bridge-reopens"


@pytest.mark.parametrize(
    ("wrapped", "original"),
    [
        # Wayback Machine
        (
            "http://web.archive.org/web/20170313014437/http://www.nbc-2.com/story/34717015/x",
            "http://www.nbc-2.com/story/34717015/x",
        ),
        (
            "https://web.archive.org/web/20170313014437id_/http://www.nbc-2.com/story/1",
            "http://www.nbc-2.com/story/1",
        ),
        ("https://web.archive.org/web/2017*/" + STORY, STORY),
        ("https://web.archive.org/web/20200101000000im_/" + STORY, STORY),
        ("https://web.archive.org/web/" + STORY, STORY),
        ("web.archive.org/web/2016/www.x.example/a", "http://www.x.example/a"),
        ("http://web.archive.org/web/2016/www.x.example/a", "http://www.x.example/a"),
        (
            "https://wayback.archive.org/web/2010/http:/x.example/a?b=1#c",
            "http://x.example/a?b=1#c",
        ),
        ("https://web.archive.org/web/2010/https:/x.example/a", "https://x.example/a"),
        ("https://web.archive.org/web/2010/http://x.example:80/a", "http://x.example/a"),
        # archive.today and its mirrors
        ("https://archive.ph/o/AbCd1/" + STORY, STORY),
        ("https://archive.is/20190101123456/" + STORY, STORY),
        ("https://archive.today/2019.01.01-123456/" + STORY, STORY),
        ("http://archive.li/newest/" + STORY, STORY),
        ("https://archive.vn/o/Zz9/" + STORY + "?page=2", STORY + "?page=2"),
        ("https://archive.md/" + STORY, STORY),
        ("https://archive.fo/o/xY1/https%3A%2F%2Fx.example%2Fa", "https://x.example/a"),
        # Google cache, AMP caches, redirect links
        (
            "https://webcache.googleusercontent.com/search?q=cache:Ab-1_cD:"
            + STORY
            + "+bridge&cd=1",
            STORY,
        ),
        ("http://webcache.googleusercontent.com/search?q=cache:" + STORY, STORY),
        (
            "https://webcache.googleusercontent.com/search?q=cache:www.x.example/a&hl=en",
            "http://www.x.example/a",
        ),
        ("https://www-x-example.cdn.ampproject.org/c/s/www.x.example/a", "https://www.x.example/a"),
        (
            "https://www-x-example.cdn.ampproject.org/v/s/www.x.example/a.amp?amp_js_v=0.1#aoh=1",
            "https://www.x.example/a",
        ),
        ("https://x-example.cdn.ampproject.org/c/x.example/a", "http://x.example/a"),
        ("https://www.google.com/amp/s/www.x.example/a", "https://www.x.example/a"),
        ("https://www.google.com/amp/x.example/a", "http://x.example/a"),
        ("https://www.google.com/url?q=" + STORY + "&sa=D", STORY),
        (
            "https://www.google.co.uk/url?url=https%3A%2F%2Fx.example%2Fa%3Fb%3D1",
            "https://x.example/a?b=1",
        ),
        # AMP pages of the publisher itself
        ("https://amp.x.example/world/a", "https://x.example/world/a"),
        ("https://www.x.example/world/a/amp", "https://www.x.example/world/a"),
        ("https://www.x.example/world/a/amp/", "https://www.x.example/world/a/"),
        ("https://www.x.example/news/amp/world-123", "https://www.x.example/news/world-123"),
        ("https://www.x.example/a.amp", "https://www.x.example/a"),
        ("https://www.x.example/a.amp.html", "https://www.x.example/a.html"),
        ("https://www.x.example/a?amp", "https://www.x.example/a"),
        ("https://www.x.example/a?id=7&amp=1", "https://www.x.example/a?id=7"),
        ("https://www.x.example/a?outputType=amp&id=7", "https://www.x.example/a?id=7"),
        # wrappers inside wrappers
        (
            "https://web.archive.org/web/2019/https://www-x-example.cdn.ampproject.org/c/s/www.x.example/a/amp/",
            "https://www.x.example/a/",
        ),
        (
            "https://archive.ph/o/Q1/https://www.google.com/amp/s/amp.x.example/a.amp.html",
            "https://x.example/a.html",
        ),
    ],
)
def test_archive_cache_and_amp_wrappers_come_off(wrapped: str, original: str) -> None:
    assert unwrap_url(wrapped) == original


@pytest.mark.parametrize(
    "url",
    [
        "https://archive.ph/AbCd1",  # a short id says nothing of the original
        "http://[oops/x",
        "https://web.archive.org/web/2017/",
        "https://www.x.example/a?a=1&&b=2",
        "https://www.x.example/ampersand/champion",
        "https://amp.example/a",  # "amp" is the whole name here
        "http:/x.example/a",
        "not a url",
        "",
        "mailto:desk@x.example",
        "https://webcache.googleusercontent.com/search?q=bridge",
    ],
)
def test_other_urls_and_junk_come_back_as_they_are(url: str) -> None:
    assert unwrap_url(url) == url
    assert unwrap_url(f"  {url}\n") == url


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Reuters.com/world/a", "reuters.com"),
        ("https://m.x.example:8443/a", "x.example"),
        ("http://mobile.x.example/a", "x.example"),
        ("https://amp.x.example/a", "x.example"),
        ("https://web.archive.org/web/2017/http://www.nbc-2.com/story/1", "nbc-2.com"),
        ("edition.cnn.com/2020/a", "edition.cnn.com"),
        ("washingtonpost.com", "washingtonpost.com"),
        ("http://[oops/x", None),
        ("Reuters", None),
        ("U.S.", None),
        ("", None),
        (None, None),
    ],
)
def test_domain_of(url: str | None, domain: str | None) -> None:
    assert domain_of(url) == domain


@pytest.mark.parametrize(
    ("domain", "name"),
    [
        ("edition.cnn.com", "CNN"),
        ("news.bbc.co.uk", "BBC"),
        ("uk.reuters.com", "Reuters"),
        ("https://m.washingtonpost.com/politics/a", "The Washington Post"),
        ("https://web.archive.org/web/2017/https://www.breitbart.com/a", "Breitbart News"),
        ("english.wafa.ps", "WAFA"),
        ("abcnews.go.com", "ABC News"),
        ("finance.yahoo.com", "Yahoo Finance"),
        ("news.yahoo.com", "Yahoo News"),
    ],
)
def test_outlets_by_domain_and_subdomain(domain: str, name: str) -> None:
    found = default_table().by_domain(domain)
    assert found is not None and found.name == name


def test_unknown_and_public_suffix_domains_are_no_outlet() -> None:
    table = default_table()
    assert table.by_domain("tallowgazette.example") is None
    assert table.by_domain("co.uk") is None
    assert table.by_domain("go.com") is None
    assert table.by_domain("") is None


AGENCIES = """AP Reuters AFP TASS RIA-Novosti Interfax Xinhua Anadolu dpa EFE ANSA Kyodo Yonhap
PTI IANS UPI Bernama Antara KCNA IRNA Fars Tasnim Sputnik Press-TV Al-Jazeera CGTN RT WAFA
MENA SANA Ukrinform UNIAN PAP CTK APA BTA Agerpres Notimex ANP Belga NTB TT Ritzau STT
Kyiv-Independent"""


def test_the_bundled_table_is_large_and_has_every_agency() -> None:
    table = default_table()
    assert len(table) >= 300
    missing = [a for a in AGENCIES.split() if table.by_name(a.replace("-", " ")) is None]
    assert missing == []


def test_bundled_names_and_domains_are_unique() -> None:
    outlets = list(default_table())
    names = [name_key(o.name) for o in outlets]
    domains = [d for o in outlets for d in o.domains]
    assert len(set(names)) == len(names)
    assert len(set(domains)) == len(domains)
    assert all(o.domains for o in outlets)


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("AP", "Associated Press"),
        ("The Associated Press", "Associated Press"),
        ("A.P.", "Associated Press"),
        ("WaPo", "The Washington Post"),
        ("washington post", "The Washington Post"),
        ("The Washington Post's", "The Washington Post"),
        ("the Guardian.", "The Guardian"),
        ("Agence France–Presse", "Agence France-Presse"),
        ("ITAR-TASS", "TASS"),
        ("Česká tisková kancelář", "ČTK"),
        ("RTE", "RTÉ"),
        ("Barron's", "Barron's"),
        ("the Telegraph", "The Telegraph"),  # a full name wins over others' short forms
    ],
)
def test_outlets_by_name(name: str, outlet: str) -> None:
    found = default_table().by_name(name)
    assert found is not None and found.name == outlet


@pytest.mark.parametrize(
    ("short", "own", "outlet"),
    [
        ("the Post", "washingtonpost.com", "The Washington Post"),
        ("the Post", "The Washington Post", "The Washington Post"),
        ("the Post's", "https://www.washingtonpost.com/a", "The Washington Post"),
        ("the Post", "nypost.com", "New York Post"),
        ("The Times", "nytimes.com", "The New York Times"),
        ("the Times", "The Times", "The Times"),
        ("the Journal", "wsj.com", "The Wall Street Journal"),
        ("the Globe", "bostonglobe.com", "The Boston Globe"),
        ("the Globe", "The Globe and Mail", "The Globe and Mail"),
        ("ABC", "abc.net.au", "Australian Broadcasting Corporation"),
    ],
)
def test_ambiguous_short_forms_name_only_the_own_outlet(short: str, own: str, outlet: str) -> None:
    table = default_table()
    assert table.by_name(short) is None
    found = table.by_name(short, own=own)
    assert found is not None and found.name == outlet


def test_the_own_outlet_wins_over_a_full_name() -> None:
    table = default_table()
    assert table.name_for("the Independent") == "The Independent"
    found = table.by_name("the Independent", own="independent.ie")
    assert found is not None and found.name == "Irish Independent"


def test_a_short_form_names_no_other_outlet_than_the_own_one() -> None:
    table = default_table()
    assert table.by_name("the Post", own="nytimes.com") is None
    assert table.by_name("the Times", own="washingtonpost.com") is None
    assert table.by_name("the Post", own="tallowgazette.example") is None
    assert table.by_name("India", own="timesofindia.indiatimes.com") is None  # no short form


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("breitbart.com", "Breitbart News"),
        ("washingtonpost.com", "The Washington Post"),
        ("www.washingtonpost.com", "The Washington Post"),
        ("https://www.nytimes.com/2020/01/01/world/a.html", "The New York Times"),
        ("Washington Post", "The Washington Post"),
        ("AFP", "Agence France-Presse"),
        ("The Times", "The Times"),
        ("the Post", "the Post"),
        ("Tallow Gazette", "Tallow Gazette"),
        ("tallowgazette.example", "tallowgazette.example"),
    ],
)
def test_name_for(given: str, shown: str) -> None:
    assert default_table().name_for(given) == shown


def test_names_lists_every_alias_with_its_outlet() -> None:
    pairs = set(default_table().names())
    assert ("WaPo", "The Washington Post") in pairs
    assert ("The Washington Post", "The Washington Post") in pairs
    assert ("the Post", "New York Post") in pairs


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "outlets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_adds_outlets_names_and_domains(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        [[outlet]]
        name = "Tallow Gazette"
        domains = ["tallowgazette.example"]
        aliases = ["TG", "The Gazette"]

        [[outlet]]
        name = "Reuters"
        domains = ["reuters.example"]
        aliases = ["Reuters Wire"]
        """,
    )
    table = OutletTable.load(path)
    assert len(table) == len(default_table()) + 1
    gazette = table.by_domain("news.tallowgazette.example")
    assert gazette == Outlet("Tallow Gazette", ("tallowgazette.example",), ("TG", "The Gazette"))
    assert table.by_name("TG") is gazette
    assert table.by_name("the Gazette") is None  # a generic short form ...
    assert table.by_name("the Gazette", own="tallowgazette.example") is gazette  # ... but own
    reuters = table.by_name("Reuters Wire")
    assert reuters is not None and reuters.name == "Reuters"
    assert table.by_domain("reuters.example") is reuters is table.by_domain("uk.reuters.com")


def test_a_user_file_renames_and_merges(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        [rename]
        "Reuters" = "Thomson Reuters"
        "nytimes.com" = "NYT"

        [merge]
        "NBC2 News" = ["nbc-2.com", "WBBH-TV"]
        "Fox" = ["Fox News", "foxbusiness.com"]
        """,
    )
    table = OutletTable.load(path)
    assert table.name_for("reuters.com") == "Thomson Reuters"
    assert table.name_for("Reuters") == "Thomson Reuters"  # the old name stays an alias
    assert table.name_for("The New York Times") == "NYT"
    nbc2 = table.by_domain("https://web.archive.org/web/2017/http://www.nbc-2.com/story/1")
    assert nbc2 == Outlet("NBC2 News", ("nbc-2.com",), ("WBBH-TV",))
    assert table.by_name("WBBH-TV") is nbc2
    fox = table.by_domain("foxnews.com")
    assert fox is not None and fox.name == "Fox"
    assert table.by_domain("foxbusiness.com") is fox
    assert table.by_name("Fox Business") is fox
    assert len(table) == len(default_table())  # one new, one merged away


def test_a_user_file_domain_moves_to_its_new_outlet(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[outlet]]\nname = "CNN Travel"\ndomains = ["travel.cnn.com"]\n')
    table = OutletTable.load(path)
    assert table.name_for("travel.cnn.com") == "CNN Travel"
    assert table.name_for("edition.cnn.com") == "CNN"
    path = _write(tmp_path, '[[outlet]]\nname = "Cable Desk"\ndomains = ["cnn.com"]\n')
    table = OutletTable.load(path)
    assert table.name_for("edition.cnn.com") == "Cable Desk"
    cnn = table.find("CNN")
    assert cnn is not None and "cnn.com" not in cnn.domains


def test_the_user_file_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, '[rename]\n"AP" = "The AP"\n')
    monkeypatch.setenv("NEWSWEAVE_OUTLETS", str(path))
    assert OutletTable.load().name_for("apnews.com") == "The AP"
    assert default_table().name_for("apnews.com") == "Associated Press"
    monkeypatch.setenv("NEWSWEAVE_OUTLETS", str(tmp_path / "missing.toml"))
    with pytest.raises(OutletFileError, match=r"missing\.toml"):
        OutletTable.load()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[[outlet]\nname = 1", "invalid TOML"),
        ('[[outlet]]\ndomains = ["x.example"]', "name must be a non-empty string"),
        ('[[outlet]]\nname = "X"\ndomains = "x.example"', "domains must be a list"),
        ('[[outlet]]\nname = "X"\nhomepage = "x"', "unknown key 'homepage'"),
        ('[renames]\n"A" = "B"', "unknown section 'renames'"),
        ('[rename]\n"Tallow Gazette" = "TG"', "no outlet is called 'Tallow Gazette'"),
        ('[rename]\n"Reuters" = "The Guardian"', "use [merge]"),
        ('[merge]\n"X" = "x.example"', "must be a list of strings"),
        ("rename = 3", "[rename] must be a table"),
    ],
)
def test_an_invalid_user_file_is_a_one_line_error_naming_it(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(OutletFileError) as caught:
        OutletTable.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and reason in message and "\n" not in message
    assert isinstance(caught.value, ValueError)


def test_an_unreadable_user_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OutletFileError, match="cannot read"):
        OutletTable.load(tmp_path)  # a folder
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[rename]\n"AP" = "\xe9"\n')
    with pytest.raises(OutletFileError, match="not UTF-8"):
        OutletTable.load(path)


# Citations through the table


def cites(text: str, own: str | None = None, outlets: tuple[str, ...] = ()) -> list[str]:
    doc = load_model()(text)
    found = find_attributions(text, find_mentions(doc), outlets, own=own)
    for item in found:
        assert text[item.start : item.end] == item.text
    return [item.source for item in found]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The ministry confirmed it, according to The Washington Post.", "The Washington Post"),
        ("The ministry confirmed it, according to WaPo.", "The Washington Post"),
        ("Officials told Ukrinform the line held.", "Ukrinform"),
        ("The talks ended, Yonhap News Agency reported.", "Yonhap"),
        ("Officials spoke to reporters, according to AFP. Talks go on.", "Agence France-Presse"),
        ("The minister told the Bild newspaper he would stay.", "Bild"),
        ("KYIV, May 2 (UNIAN) - Sirens sounded.", "UNIAN"),
    ],
)
def test_cited_outlets_resolve_through_the_table(text: str, source: str) -> None:
    assert cites(text) == [source]


def test_told_the_post_is_the_article_s_own_outlet() -> None:
    text = "The senator told the Post that she would run."
    assert cites(text, own="washingtonpost.com") == ["The Washington Post"]
    assert cites(text, own="The Washington Post") == ["The Washington Post"]
    assert cites(text, own="Meridian Post") == ["Meridian Post"]  # unknown to the table
    assert cites(text, own="nytimes.com") == ["Post"]  # a newsroom word, no outlet of ours
    assert cites("Kenya reported new cases.", own="Radio Kenya") == []


@pytest.mark.parametrize(
    "text",
    [
        "The priest told Hindu pilgrims to wait.",
        "According to Map data, the road is closed.",
        "According to Australian officials, the fire is contained.",
    ],
)
def test_words_that_look_like_outlet_names_are_no_citation(text: str) -> None:
    assert cites(text) == []


def test_store_outlets_keep_their_own_names() -> None:
    assert cites("The minister told the Clarion so.", outlets=("The Daily Clarion",)) == [
        "The Daily Clarion"
    ]


def _cited(outlets: list[str], *sources: str) -> Coverage:
    article = Article(id="a1", title="", text="x" * 40, outlet=outlets[0], origin="test")
    found = Annotations(
        "a1", attributions=[Attribution(0, 5, "cited", s, "according to") for s in sources]
    )
    return Coverage(article, outlets, found)


def test_citations_compare_outlets_through_the_table() -> None:
    store = ["washingtonpost.com", "The Daily Clarion"]
    found = citations([_cited(["The Daily Clarion"], "The Washington Post", "Reuters")], store)
    assert [(c.cited, c.cited_outlet) for c in found] == [
        ("The Washington Post", "washingtonpost.com"),
        ("Reuters", None),
    ]


@pytest.mark.parametrize("own", ["washingtonpost.com", "Washington Post", "The Washington Post"])
def test_an_outlet_citing_itself_is_no_citation(own: str) -> None:
    coverage = [_cited([own], "The Washington Post", "Washington Post", "washingtonpost.com")]
    assert citations(coverage, [own]) == []


def test_a_hostile_outlet_name_is_keyed_in_linear_time() -> None:
    """A run of question marks before a name once backtracked exponentially."""
    code = "from newsweave.outlets import name_key; print(name_key('?' * 200_000 + 'Ledger'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.stdout.strip() == "?" * 200_000 + "ledger"
