"""Which outlet a URL, a domain or a cited name stands for.

``unwrap_url`` takes archive, cache and AMP wrappers off a URL (Wayback Machine,
archive.today, Google cache, the AMP caches, Google redirect links, a publisher's own AMP
pages), ``domain_of`` gives the host that names the outlet, and ``OutletTable`` knows the
outlets themselves: their display name, domains and other names ("AP", "WaPo"), from the
table bundled in ``outlets.toml`` plus an optional user file.

The user file (``OutletTable.load(path)``, or ``$NEWSWEAVE_OUTLETS``) is TOML with three
optional parts, applied in this order::

    [[outlet]]                       # a new outlet, or more names for a known one
    name = "Tallow Gazette"          # a known name or alias adds to that outlet
    domains = ["tallowgazette.example"]
    aliases = ["The Gazette"]

    [rename]                         # known name, alias or domain = new display name
    "Reuters" = "Thomson Reuters"    # the old name stays as an alias

    [merge]                          # one outlet from several: name = names, aliases, domains
    "NBC2 News" = ["nbc-2.com", "WBBH-TV"]

``outlet`` may also be written as one array of inline tables, as the bundled file does. A
domain given to an outlet is taken from any other outlet that had it. In ``[merge]``, an
entry that is no known outlet joins as a domain when it looks like one, else as an alias.

Short forms that several outlets use ("the Post", "the Times", "the Journal", "the Globe")
and lone newsroom words name no outlet, except the citing article's own one (``own``).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit, urlunsplit

__all__ = [
    "GENERIC_NAMES",
    "Outlet",
    "OutletFileError",
    "OutletTable",
    "default_table",
    "domain_of",
    "name_key",
    "unwrap_url",
]

# Wrappers inside wrappers are taken off one at a time, this many at most.
_MAX_UNWRAP = 8

# Short forms too common to name one outlet on their own ("the Post").
_GENERIC_TEXT = """
    post times journal globe star sun herald tribune mail chronicle news daily press express
    mirror examiner inquirer enquirer gazette courier record register dispatch bulletin
    sentinel standard observer citizen national monitor republic review advocate bee
    statesman telegram leader world today echo
"""
GENERIC_NAMES = frozenset(_GENERIC_TEXT.split()) | {"free press"}

# URLs


_WAYBACK = re.compile(
    r"^(?:https?:)?/*(?:web\.|wayback\.|www\.)?archive\.org(?::\d+)?/web/"
    r"(?:(?:\d+\*?|\*)(?:[a-z]{2}_)?/)?(?P<inner>.+)$",
    re.IGNORECASE,
)
_ARCHIVE_TODAY = re.compile(
    r"^(?:https?:)?/*(?:www\.)?archive\.(?:today|ph|is|li|vn|md|fo)(?::\d+)?/"
    r"(?:o/[\w-]+/|newest/|oldest/|latest/|\d{4}[\d.-]*/|\*/)?(?P<inner>.+)$",
    re.IGNORECASE,
)
_GOOGLE_HOST = re.compile(r"^(?:www\.)?google\.(?:com|co\.[a-z]{2}|com\.[a-z]{2}|[a-z]{2})$")
_CACHE_QUERY = re.compile(r"^cache:(?:[\w-]+:(?!//))?(?P<url>\S+)", re.IGNORECASE)
_AMP_CACHE_PATH = re.compile(r"^/(?:c|v|i|ii|r|wp|a)/(?:(?:c|ii)/)?(?P<s>s/)?(?P<rest>.+)$")
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HTTP_SLASHES = re.compile(r"^(https?):/*", re.IGNORECASE)
_BARE_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[^\W\d_][\w-]+(?::\d+)?(?:[/?#]|$)")
_HOST_PORT = re.compile(r"^[\w-]+(?:\.[\w-]+)+\.?(?::\d+)?$")
_HOST_PREFIX = re.compile(r"^(?:www\d*|m|mobile|amp)\.")
# Query parameters that only mark an AMP page or the AMP viewer.
_AMP_PARAMS = frozenset({"amp", "_amp", "usqp", "aoh", "ampshare", "amp_js_v", "amp_gsa"})
_AMP_VALUED = frozenset({"outputtype", "output", "format", "view"})  # ...when set to "amp"


def unwrap_url(url: str) -> str:
    """The publisher's URL behind archive, cache and AMP wrappers; others come back stripped.

    >>> unwrap_url("https://web.archive.org/web/2017id_/http://www.x.example/a/amp/")
    'http://www.x.example/a/'
    """
    current = url.strip()
    for _ in range(_MAX_UNWRAP):
        inner = _unwrap_once(current)
        if inner is None or inner == current:
            break
        current = inner
    return current


_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_[ce]id|sessionkey|autologin|from|ref|ref_src|"
    r"cmpid|cmp|ocid|smid|ito|partner|_ga|igshid|ns_\w+|rss|feedtype|icid|intcmp)$",
    re.IGNORECASE,
)


def without_tracking(url: str) -> str:
    """The URL without tracking parameters (``utm_*``, ``from``, ``sessionKey``, …), so two
    visits of one page compare equal; other parameters (``?id=123``) stay.

    >>> without_tracking("http://x.example/a/7/?from=global&sessionKey=&autologin=")
    'http://x.example/a/7/'
    >>> without_tracking("http://x.example/story.php?id=12&utm_source=rss")
    'http://x.example/story.php?id=12'
    """
    parts = _split(url)
    if parts is None or not parts.query:
        return url
    kept = [
        pair for pair in parts.query.split("&")
        if pair and not _TRACKING.match(pair.split("=", 1)[0])
    ]  # fmt: skip
    return urlunsplit(parts._replace(query="&".join(kept)))


def domain_of(url: str | None) -> str | None:
    """The lower-case host naming the outlet, without www./m./mobile./amp. and the port.

    >>> domain_of("https://m.Example.com:8080/a")
    'example.com'
    """
    if not url:
        return None
    parts = _split(unwrap_url(url))
    if parts is None:
        return None
    try:
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    return _clean_host(host) or None


def _clean_host(host: str) -> str:
    """A host lower-cased, without a trailing dot and the www./m./mobile./amp. prefixes."""
    host = host.rstrip(".").lower()
    while (prefix := _HOST_PREFIX.match(host)) and "." in host[prefix.end() :]:
        host = host[prefix.end() :]
    return host


_WRAPPER_HINT = re.compile(
    r"archive|cache|google|facebook|ampproject|/url\?|\bamp\b|outputtype", re.IGNORECASE
)


def _unwrap_once(url: str) -> str | None:
    """One wrapper taken off ``url``, or None when it has none."""
    if not _WRAPPER_HINT.search(url):  # most urls: no wrapper to look for
        return None
    for step in (_wayback, _archive_today):
        inner = step(url)
        if inner is not None:
            return inner
    parts = _split(url)
    if parts is None or parts.scheme.lower() not in {"http", "https"}:
        return None
    for wrapper in (_google_cache, _google_link, _facebook_link, _google_amp, _amp_cache):
        inner = wrapper(parts)
        if inner is not None:
            return inner
    return _without_amp(parts)


def _wayback(url: str) -> str | None:
    found = _WAYBACK.match(url)
    return _absolute(found.group("inner").rstrip("*")) if found else None


def _archive_today(url: str) -> str | None:
    found = _ARCHIVE_TODAY.match(url)
    return _absolute(found.group("inner")) if found else None


def _google_cache(parts: SplitResult) -> str | None:
    if _host(parts) != "webcache.googleusercontent.com":
        return None
    for query in parse_qs(parts.query).get("q", []):
        found = _CACHE_QUERY.match(query.strip())
        if found:
            return _absolute(found.group("url"))
    return None


def _google_link(parts: SplitResult) -> str | None:
    """A Google redirect: ``google.com/url?q=<url>`` or ``url=<url>``."""
    if not _GOOGLE_HOST.match(_host(parts)) or parts.path != "/url":
        return None
    return _query_url(parts.query, ("q", "url"))


def _facebook_link(parts: SplitResult) -> str | None:
    if not _host(parts).endswith("facebook.com") or parts.path != "/l.php":
        return None
    return _query_url(parts.query, ("u",))


def _query_url(query: str, names: tuple[str, ...]) -> str | None:
    values = parse_qs(query)
    for name in names:
        for value in values.get(name, []):
            if _ANY_SCHEME.match(value) or value.startswith("//"):
                return _absolute(value)
    return None


def _google_amp(parts: SplitResult) -> str | None:
    """``google.com/amp/s/<host>/<path>``: the AMP page Google served."""
    if not _GOOGLE_HOST.match(_host(parts)) or not parts.path.startswith("/amp/"):
        return None
    rest = parts.path[len("/amp/") :]
    scheme = "https" if rest.startswith("s/") else "http"
    rest = rest.removeprefix("s/")
    return _absolute(f"{scheme}://{rest}" + (f"?{parts.query}" if parts.query else ""))


def _amp_cache(parts: SplitResult) -> str | None:
    """``<x>.cdn.ampproject.org/c/s/<host>/<path>`` (``/v/`` the viewer; no ``s/``: http)."""
    host = _host(parts)
    if host != "cdn.ampproject.org" and not host.endswith(".cdn.ampproject.org"):
        return None
    found = _AMP_CACHE_PATH.match(parts.path)
    if found is None:
        return None
    scheme = "https" if found.group("s") else "http"
    inner = f"{scheme}://{found.group('rest')}" + (f"?{parts.query}" if parts.query else "")
    if parts.fragment and "=" not in parts.fragment:  # the viewer's own state has "="
        inner += f"#{parts.fragment}"
    return _absolute(inner)


def _without_amp(parts: SplitResult) -> str | None:
    """The publisher's own AMP page as its plain page: ``amp.`` host, ``/amp`` segment,
    ``.amp(.html)`` ending, ``?amp``, ``?amp=1``, ``outputType=amp``; None when none."""
    netloc = re.sub(r"(?i)^((?:[^@/]*@)?)amp\.(?=[^.:]+\.)", r"\1", parts.netloc)
    segments = [s for s in parts.path.split("/") if s.lower() != "amp"]
    path = "/".join(segments)
    if parts.path.startswith("/") and not path.startswith("/"):
        path = "/" + path
    path = re.sub(r"(?i)\.amp(\.html?)?$", r"\1", path)
    if parts.path and not path:
        path = "/"
    pairs = [p for p in parts.query.split("&") if p]
    kept = [p for p in pairs if not _amp_param(p)]
    query = "&".join(kept) if len(kept) < len(pairs) else parts.query
    if (netloc, path, query) == (parts.netloc, parts.path, parts.query):
        return None
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))


def _amp_param(pair: str) -> bool:
    name, _, value = pair.partition("=")
    name = unquote(name).lower()
    if name in _AMP_PARAMS or name.startswith("amp_"):
        return True
    return name in _AMP_VALUED and unquote(value).lower() == "amp"


def _absolute(inner: str) -> str | None:
    """An original URL found inside a wrapper, made absolute; None when it is none."""
    text = inner.strip()
    if text.lower().startswith(("http%3a", "https%3a")):
        text = unquote(text)
    scheme, rest = "http", text
    if found := _HTTP_SLASHES.match(text):
        scheme, rest = found.group(1).lower(), text[found.end() :]
    elif text.startswith("//"):
        rest = text[2:]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    netloc = rest[:end]
    if not _HOST_PORT.match(netloc):
        return None
    default_port = {"http": ":80", "https": ":443"}[scheme]
    netloc = netloc.removesuffix(default_port)
    return f"{scheme}://{netloc}{rest[end:]}"


def _split(url: str) -> SplitResult | None:
    """``url`` split into parts; a bare ``host/path`` or ``//host`` counts as http."""
    text = url.strip()
    if _HTTP_SLASHES.match(text):
        text = _HTTP_SLASHES.sub(lambda m: m.group(1) + "://", text, count=1)
    elif text.startswith("//"):
        text = "http:" + text
    elif not _ANY_SCHEME.match(text):
        if not _BARE_HOST.match(text):
            return None
        text = "http://" + text
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return None
    return parts


def _host(parts: SplitResult) -> str:
    try:
        return (parts.hostname or "").lower()
    except ValueError:
        return ""


def _looks_like_domain(text: str) -> bool:
    return not any(c.isspace() for c in text) and (
        _ANY_SCHEME.match(text) is not None or _BARE_HOST.match(text) is not None
    )


# Names


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """How outlet names are compared: no accents, case, leading "The", possessive "'s",
    dots or trailing punctuation; hyphens and slashes as spaces, "&" as "and".

    >>> name_key("The Post's")
    'post'
    >>> name_key("A.P.")
    'ap'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    text = re.sub(r"[()\[\]\"]", " ", text).strip()
    text = _without_trailing_marks(text).strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[-/\u2013\u2014_]", " ", text.replace(".", ""))
    return " ".join(text.split())


def _without_trailing_marks(text: str) -> str:
    """``text`` without trailing punctuation and possessive "'s", in linear time.

    >>> _without_trailing_marks("Reuters's!?")
    'Reuters'
    """
    while True:
        stripped = text.rstrip(".,;:!?")
        stripped = stripped.removesuffix("'s") if stripped.endswith("'s") else stripped
        stripped = stripped.removesuffix("'")
        if stripped == text:
            return text
        text = stripped


def _short_forms(key: str) -> list[str]:
    """The word tails of a name key, a single word only when it is a generic one."""
    words = key.split()
    tails = [" ".join(words[i:]) for i in range(len(words))]
    return [t for t in tails if " " in t or t in GENERIC_NAMES]


def _bare_name(name: str) -> str:
    """The name without a parenthesised qualifier: "The Herald (Glasgow)" -> "The Herald"."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


@dataclass(frozen=True)
class Outlet:
    """A news outlet: its display name, its own hosts and the other names it goes by."""

    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class OutletFileError(ValueError):
    """An outlet file that cannot be read or makes no sense; the message names the file."""


@dataclass
class _Draft:
    """An outlet while the table is being put together."""

    name: str
    domains: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def add(self, domains: Iterable[str] = (), aliases: Iterable[str] = ()) -> None:
        for domain in domains:
            key = _domain_key(domain)
            if key and key not in self.domains:
                self.domains.append(key)
        known = {name_key(n) for n in (self.name, *self.aliases)}
        for alias in aliases:
            if name_key(alias) and name_key(alias) not in known:
                self.aliases.append(alias)
                known.add(name_key(alias))

    def freeze(self) -> Outlet:
        return Outlet(self.name, tuple(self.domains), tuple(self.aliases))


class OutletTable:
    """Outlets found by domain (subdomains too) and by name (aliases, short forms)."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self._outlets = tuple(outlets)
        self._domains: dict[str, Outlet] = {}
        self._named: dict[str, list[Outlet]] = {}
        self._claims: dict[str, list[Outlet]] = {}
        self._own_keys: dict[Outlet, frozenset[str]] = {}
        for outlet in self._outlets:
            for domain in outlet.domains:
                self._domains[_domain_key(domain)] = outlet
            self._named.setdefault(name_key(outlet.name), []).append(outlet)
            for key in {name_key(n) for n in outlet.names()} - {""}:
                self._claims.setdefault(key, []).append(outlet)

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> OutletTable:
        """The bundled table plus ``user_file`` (or ``$NEWSWEAVE_OUTLETS`` when None).

        Tables are kept per process: a file read before and unchanged since is not read
        again (a server opens the store for every request)."""
        chosen = user_file if user_file is not None else os.environ.get("NEWSWEAVE_OUTLETS")
        if not chosen:
            return _loaded_table(None, None)
        path = Path(chosen)
        return _loaded_table(path, _file_stamp(path))

    @classmethod
    def bundled(cls) -> OutletTable:
        """The bundled table alone."""
        return cls(d.freeze() for d in _bundled_drafts())

    def __len__(self) -> int:
        return len(self._outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._outlets)

    def by_domain(self, domain: str) -> Outlet | None:
        """The outlet of a domain or URL, walking up its labels: ``uk.reuters.com``."""
        host = domain_of(domain)
        while host and "." in host:
            if host in self._domains:
                return self._domains[host]
            host = host.split(".", 1)[1]
        return None

    def by_name(self, name: str, own: str | None = None) -> Outlet | None:
        """The outlet a cited name stands for; None when unknown or ambiguous.

        A short form several outlets use ("the Post") or a lone newsroom word names only
        ``own``, the citing article's outlet (its name or domain), when it is that outlet's.
        """
        key = name_key(name)
        if not key:
            return None
        if own is not None:
            mine = self.find(own)
            if mine is not None and key in self._forms_of(mine):
                return mine
        if key in GENERIC_NAMES:
            return None
        named = self._named.get(key, [])
        if len(named) == 1:
            return named[0]  # a full name wins over another outlet's nickname
        claims = self._claims.get(key, [])
        return claims[0] if len(claims) == 1 else None

    def find(self, outlet_or_domain: str) -> Outlet | None:
        """The outlet a URL, a domain, a display name or an unambiguous alias names."""
        text = outlet_or_domain.strip()
        if _looks_like_domain(text) and (found := self.by_domain(text)) is not None:
            return found
        named = self._named.get(name_key(text), [])
        return named[0] if len(named) == 1 else self.by_name(text)

    def name_for(self, outlet_or_domain: str) -> str:
        """The display name of a known domain or name; anything else comes back as given."""
        found = self.find(outlet_or_domain)
        return found.name if found is not None else outlet_or_domain

    def names(self) -> Iterator[tuple[str, str]]:
        """Every (name or alias, display name) pair; a shared short form comes once per
        outlet, so check ``by_name`` before trusting it."""
        for outlet in self._outlets:
            for alias in outlet.names():
                yield alias, outlet.name

    def _forms_of(self, outlet: Outlet) -> frozenset[str]:
        """Every key ``outlet`` may be cited by in its own pages: its names and their word
        tails ("New York Times" -> "york times", "times"; not "india" of "Times of India")."""
        cached = self._own_keys.get(outlet)
        if cached is None:
            keys = {name_key(name) for name in outlet.names()}
            for name in outlet.names():
                keys.update(_short_forms(name_key(_bare_name(name))))
            cached = self._own_keys[outlet] = frozenset(keys - {""})
        return cached


@functools.cache
def default_table() -> OutletTable:
    """The bundled table, loaded once (no user file, ``$NEWSWEAVE_OUTLETS`` not read)."""
    return OutletTable.bundled()


# Loading


def _domain_key(domain: str) -> str:
    text = domain.strip()
    if _HOST_PORT.match(text) and ":" not in text:
        return _clean_host(text)  # a plain host, the usual case
    return domain_of(text) or text.lower()


@functools.cache
def _bundled_data() -> Mapping[str, object]:
    data = resources.files("newsweave").joinpath("outlets.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


@functools.lru_cache(maxsize=8)
def _loaded_table(path: Path | None, stamp: tuple[int, int] | None) -> OutletTable:
    """The table of the bundled file and ``path``; ``stamp`` tells one version of the file
    from another, so a changed file is read again."""
    drafts = _bundled_drafts()
    if path is not None:
        _apply_user_file(drafts, _read_toml(path), path)
    return OutletTable(d.freeze() for d in drafts)


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None  # reading it says why
    return status.st_mtime_ns, status.st_size


def _bundled_drafts() -> list[_Draft]:
    drafts: list[_Draft] = []
    _add_outlets(drafts, _bundled_data().get("outlet", []), "outlets.toml", extend=False)
    return drafts


def _read_toml(path: Path) -> Mapping[str, object]:
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text)
    except OSError as error:
        raise OutletFileError(f"{path}: cannot read the outlet file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise OutletFileError(f"{path}: the outlet file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise OutletFileError(f"{path}: invalid TOML: {error}") from None


def _apply_user_file(drafts: list[_Draft], data: Mapping[str, object], path: Path) -> None:
    unknown = sorted(set(data) - {"outlet", "rename", "merge"})
    if unknown:
        raise OutletFileError(f"{path}: unknown section {unknown[0]!r} (outlet, rename, merge)")
    _add_outlets(drafts, data.get("outlet", []), path, extend=True)
    for old, new in _table_of(data.get("rename", {}), "rename", path).items():
        _rename(drafts, old, _text(new, f"rename.{old}", path), path)
    for target, members in _table_of(data.get("merge", {}), "merge", path).items():
        _merge(drafts, target, _texts(members, f"merge.{target}", path))


def _add_outlets(
    drafts: list[_Draft], entries: object, source: str | Path, *, extend: bool
) -> None:
    """Outlet entries added to ``drafts``; with ``extend``, one naming a known outlet adds
    to it and takes its domains from the others (the bundled file needs neither)."""
    if not isinstance(entries, list):
        raise OutletFileError(f"{source}: 'outlet' must be a list of tables")
    for number, entry in enumerate(entries, 1):
        where = f"outlet #{number}"
        if not isinstance(entry, dict):
            raise OutletFileError(f"{source}: {where} must be a table")
        extra = sorted(set(entry) - {"name", "domains", "aliases"})
        if extra:
            raise OutletFileError(f"{source}: {where} has an unknown key {extra[0]!r}")
        name = _text(entry.get("name"), f"{where} name", source)
        domains = _texts(entry.get("domains", []), f"{where} domains", source)
        aliases = _texts(entry.get("aliases", []), f"{where} aliases", source)
        draft = _locate(drafts, name, by_domain=False) if extend else None
        if draft is None:
            draft = _Draft(name)
            drafts.append(draft)
        draft.add(domains, aliases)
        if extend:
            _claim_domains(drafts, draft)


def _rename(drafts: list[_Draft], old: str, new: str, path: Path) -> None:
    draft = _locate(drafts, old)
    if draft is None:
        raise OutletFileError(f"{path}: rename: no outlet is called {old!r}")
    other = _locate(drafts, new, by_domain=False)
    if other is not None and other is not draft and name_key(other.name) == name_key(new):
        raise OutletFileError(f"{path}: rename: {new!r} is another outlet; use [merge]")
    previous = draft.name
    draft.name = new
    draft.aliases = [a for a in draft.aliases if name_key(a) != name_key(new)]
    draft.add(aliases=[previous])


def _merge(drafts: list[_Draft], target: str, members: list[str]) -> None:
    found: list[_Draft] = []
    loose_domains: list[str] = []
    loose_names: list[str] = []
    for member in [target, *members]:
        draft = _locate(drafts, member)
        if draft is not None:
            if draft not in found:
                found.append(draft)
        elif member != target and _looks_like_domain(member):
            loose_domains.append(member)
        elif member != target:
            loose_names.append(member)
    base = found[0] if found else _Draft(target)
    if not found:
        drafts.append(base)
    for other in found[1:]:
        base.add(other.domains, [other.name, *other.aliases])
        drafts.remove(other)
    previous = base.name
    base.name = target
    base.aliases = [a for a in base.aliases if name_key(a) != name_key(target)]
    base.add(loose_domains, [previous, *loose_names])
    _claim_domains(drafts, base)


def _locate(drafts: list[_Draft], ref: str, by_domain: bool = True) -> _Draft | None:
    """The outlet a name, an unambiguous alias or (``by_domain``) a domain names."""
    if by_domain and _looks_like_domain(ref):
        key = _domain_key(ref)
        for draft in drafts:
            if key in draft.domains:
                return draft
    key = name_key(ref)
    named = [d for d in drafts if name_key(d.name) == key]
    if len(named) == 1:
        return named[0]
    if named or key in GENERIC_NAMES:
        return None
    aliased = [d for d in drafts if key in {name_key(a) for a in d.aliases}]
    return aliased[0] if len(aliased) == 1 else None


def _claim_domains(drafts: list[_Draft], owner: _Draft) -> None:
    """``owner``'s domains are no longer any other outlet's."""
    for draft in drafts:
        if draft is not owner:
            draft.domains = [d for d in draft.domains if d not in owner.domains]


def _table_of(value: object, section: str, path: Path) -> dict[str, object]:
    if not isinstance(value, dict):
        raise OutletFileError(f"{path}: [{section}] must be a table")
    return value


def _text(value: object, where: str, source: str | Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OutletFileError(f"{source}: {where} must be a non-empty string")
    return value.strip()


def _texts(value: object, where: str, source: str | Path) -> list[str]:
    if not isinstance(value, list):
        raise OutletFileError(f"{source}: {where} must be a list of strings")
    return [_text(item, where, source) for item in value]
