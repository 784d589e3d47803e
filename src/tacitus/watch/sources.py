"""What `tacitus watch` follows: sources from the command line or a source list file, each checked where it is read.

A source list file is YAML, either a list of entries or a mapping with `sources:` (and optional
`defaults:` that every entry inherits):

    defaults: {interval: 15m, date: today}
    sources:
      - name: world-news
        url: https://example.org/world/rss
        interval: 10m
      - name: inbox
        path: /srv/inbox          # a folder: new and changed files are ingested as they appear
        enabled: false

Every broken entry (an unknown key, a bad interval, a path that does not exist, a name used twice) is
reported with the file and line it is on; the other entries still load.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..read.checks import Problem

URL_SCHEMES = ("http://", "https://")
KINDS = ("auto", "feed", "page", "folder", "file")
KEYS = {"name", "url", "path", "interval", "date", "language", "enabled", "kind"}
DEFAULT_INTERVAL = 15 * 60.0
UNITS = {"ms": 0.001, "s": 1.0, "": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
TRUE = {"true", "yes", "on", "1"}
FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Source:
    """One thing to follow: a feed or page URL, a folder, or a file (a feed file, JSONL, text)."""

    name: str
    location: str  # the URL, or the absolute path
    kind: str = "auto"  # auto (a URL: feed or page, as its first answer says), feed, page, folder, file
    interval: float = DEFAULT_INTERVAL  # seconds between polls
    date: str = "today"  # publication date of items that carry none: today (the poll's UTC date), none, or YYYY-MM-DD
    language: str = "en"
    enabled: bool = True

    @property
    def is_url(self) -> bool:
        return self.location.startswith(URL_SCHEMES)

    def default_date(self, today: dt.date | None = None) -> dt.date | None:
        """The date given to an item without one, on the day of the poll."""
        if self.date == "none":
            return None
        if self.date == "today":
            return today or dt.datetime.now(dt.UTC).date()
        return dt.date.fromisoformat(self.date)


class SourceError(ValueError):
    """A value of a source that cannot be used; the message says what is expected, `key` which value it is."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def parse_interval(value: object) -> float:
    """Seconds from "15m", "30s", "1h", "0.2s", "500ms", "1d" or a bare number of seconds."""
    if isinstance(value, bool):
        raise SourceError(f"interval {value!r} is not a duration; use e.g. 15m, 30s, 1h", "interval")
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?\s*", str(value).lower())
    if not match or float(match.group(1)) <= 0:
        raise SourceError(f"interval {value!r} is not a positive duration; use e.g. 15m, 30s, 1h, 0.5s", "interval")
    return float(match.group(1)) * UNITS[match.group(2) or ""]


def parse_date_rule(value: object) -> str:
    text = str(value).strip().lower()
    if text in ("today", "none"):
        return text
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise SourceError(f"date {value!r} is not a rule; use today, none or a date (YYYY-MM-DD)", "date") from None
    return text


def parse_bool(value: object, key: str) -> bool:
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise SourceError(f"{key} {value!r} is not true or false", key)


def make_source(name: str, location: str, base: Path | None = None, **options: object) -> Source:
    """A checked Source; a SourceError names the value that is wrong."""
    kind = str(options.get("kind", "auto")).lower()
    if kind not in KINDS:
        raise SourceError(f"kind {kind!r} is not one of {', '.join(KINDS)}", "kind")
    if location.startswith(URL_SCHEMES):
        if kind in ("folder", "file"):
            raise SourceError(f"kind {kind} is for paths, not URLs", "kind")
        if not re.match(r"https?://[^/\s?#]+", location) or any(c.isspace() for c in location):
            raise SourceError(f"URL {location!r} has no host or holds spaces", "url")
    elif "://" in location:
        raise SourceError(f"{location!r}: only http:// and https:// URLs are fetched", "path")
    else:
        path = Path(location).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        if not path.exists():
            raise SourceError(f"path {str(path)!r} does not exist; create it or fix the path", "path")
        location = str(path.resolve())
        found = "folder" if path.is_dir() else "file"
        if kind not in ("auto", found):
            raise SourceError(f"kind {kind} does not fit {location!r}, which is a {found}", "kind")
        kind = found
    language = str(options.get("language", "en")).strip().lower()
    if language != "en":
        raise SourceError(f"language {language!r}: tacitus codes English text only; leave this source out or set en", "language")
    interval = parse_interval(options.get("interval", DEFAULT_INTERVAL))
    date = parse_date_rule(options.get("date", "today"))
    enabled = parse_bool(options.get("enabled", True), "enabled")
    if not name.strip() or len(name) > 300:
        raise SourceError("name must be 1 to 300 characters", "name")
    return Source(name=name.strip(), location=location, kind=kind, interval=interval, date=date,
                  language=language, enabled=enabled)


def sources_from_arguments(arguments: tuple[str, ...] | list[str], interval: float, date: str = "today") -> list[Source]:
    """Sources named on the command line: each is its own name (a URL, or a path made absolute)."""
    found = []
    for argument in arguments:
        source = make_source(argument, argument, interval=interval, date=date)
        found.append(source if source.is_url else Source(**{**source.__dict__, "name": source.location}))
    return found


def load_sources(path: Path) -> tuple[list[Source], list[Problem]]:
    """The sources of a YAML source list, and a Problem ("file:line", reason) for each broken entry."""
    import yaml

    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(where, f"cannot read the source list ({exc}); check the path")]
    try:
        root = yaml.compose(text)  # the node tree keeps every value's line
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        return [], [Problem(f"{where}{line}", f"not valid YAML ({getattr(exc, 'problem', None) or exc})")]
    problems: list[Problem] = []
    defaults: dict[str, tuple[object, int]] = {}
    entries = root
    if isinstance(root, yaml.MappingNode):
        top = {key.value: value for key, value in root.value}
        for key, _ in root.value:
            if key.value not in ("sources", "defaults"):
                problems.append(Problem(f"{where}:{key.start_mark.line + 1}", f"unknown key {key.value!r}; "
                                                                                "use sources: and defaults:"))
        if isinstance(top.get("defaults"), yaml.MappingNode):
            defaults = _mapping(top["defaults"], where, problems)
        entries = top.get("sources")
    if not isinstance(entries, yaml.SequenceNode):
        line = (entries or root).start_mark.line + 1 if (entries or root) is not None else 1
        return [], [*problems, Problem(f"{where}:{line}", "no list of sources; write `sources:` followed by "
                                                          "entries such as `- url: https://...`")]
    sources: list[Source] = []
    names: dict[str, int] = {}
    for node in entries.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(Problem(f"{where}:{line}", "an entry is a mapping with url: or path: (and name:, interval:, ...)"))
            continue
        values = {**defaults, **_mapping(node, where, problems)}
        try:
            source = _entry(values, path.parent)
        except SourceError as exc:  # on the line of the value that is wrong
            key = "url" if exc.key == "path" and "url" in values else exc.key
            at = values[key][1] if key in values else line
            problems.append(Problem(f"{where}:{at}", str(exc)))
            continue
        if source.name in names:
            problems.append(Problem(f"{where}:{line}", f"name {source.name!r} is already used on line {names[source.name]}; "
                                                       "give each source its own name"))
            continue
        names[source.name] = line
        sources.append(source)
    return sources, problems


def _mapping(node, where: str, problems: list[Problem]) -> dict[str, tuple[object, int]]:
    """Scalar values of a mapping node with their lines; unknown keys and nested values are reported."""
    import yaml

    found: dict[str, tuple[object, int]] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if key.value not in KEYS:
            problems.append(Problem(f"{where}:{line}", f"unknown key {key.value!r}; known: {', '.join(sorted(KEYS))}"))
        elif not isinstance(value, yaml.ScalarNode) or value.value == "":
            problems.append(Problem(f"{where}:{line}", f"{key.value} needs a single value"))
        else:
            found[key.value] = (value.value, line)
    return found


def _entry(values: dict[str, tuple[object, int]], base: Path) -> Source:
    url, path = values.get("url"), values.get("path")
    if bool(url) == bool(path):
        raise SourceError("give either url: or path: (one of them)")
    location = str((url or path)[0])  # type: ignore[index]
    if url and not location.startswith(URL_SCHEMES):
        raise SourceError(f"url {location!r} is not an http:// or https:// URL; a file or folder is path:", "url")
    options = {key: value for key, (value, _) in values.items() if key not in ("name", "url", "path")}
    name = str(values["name"][0]) if "name" in values else location
    return make_source(name, location, base, **options)
