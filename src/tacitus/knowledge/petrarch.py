"""Import PETRARCH/Phoenix-format actor dictionaries into tacitus's people/actor TSV.

The format: a phrase line names an actor (words joined by spaces or
underscores, optionally followed by its code in brackets); `+` lines add
synonyms; `[CODE]` lines give codes, optionally restricted in time with
`>YYMMDD` (from), `<YYMMDD` (until) or `YYMMDD-YYMMDD`. `#` starts a comment.
Each actor becomes one line per code in the people.tsv format, so dated codes
keep their dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataFileError

CODE_LINE = re.compile(r"^\[\s*([A-Z0-9]{3,})\s*([<>]?\s*\d{6}(?:\s*-\s*\d{6})?)?\s*\]$")
PHRASE_LINE = re.compile(r"^([^\[\]+#]+?)\s*(?:\[\s*([A-Z0-9]{3,})\s*\])?$")
HEADER = "names\tcountry\tsector\trole\tstart\tend"


@dataclass
class PetrarchActor:
    names: list[str]
    codes: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)
    line: int = 0


def _date(value: str, path: Path, line: int) -> dt.date:
    try:
        year = int(value[:2])
        return dt.date(1900 + year if year > 40 else 2000 + year, int(value[2:4]), int(value[4:6]))
    except ValueError as exc:
        raise DataFileError(str(path), line, f"date {value!r} is not YYMMDD") from exc


def _phrase(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).title()


def parse(path: Path, problems: list[DataFileError]) -> Iterator[PetrarchActor]:
    """Actors of a PETRARCH dictionary; a broken line is a problem, the rest still load."""
    current: PetrarchActor | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            if line.startswith("+"):
                if current is None:
                    raise DataFileError(str(path), number, "synonym line before any actor line")
                current.names.append(_phrase(line[1:]))
                continue
            match = CODE_LINE.match(line)
            if match:
                if current is None:
                    raise DataFileError(str(path), number, "code line before any actor line")
                code, restriction = match.group(1), (match.group(2) or "").replace(" ", "")
                start = end = None
                if restriction.startswith(">"):
                    start = _date(restriction[1:], path, number)
                elif restriction.startswith("<"):
                    end = _date(restriction[1:], path, number)
                elif "-" in restriction:
                    first, last = restriction.split("-")
                    start, end = _date(first, path, number), _date(last, path, number)
                current.codes.append((code, start, end))
                continue
            match = PHRASE_LINE.match(line)
            if not match:
                raise DataFileError(str(path), number, f"not a phrase, +synonym or [CODE] line: {line!r}")
            if current is not None:
                yield current
            current = PetrarchActor([_phrase(match.group(1))], line=number)
            if match.group(2):
                current.codes.append((match.group(2), None, None))
        except DataFileError as exc:
            problems.append(exc)
    if current is not None:
        yield current


def to_tsv_lines(actors: Iterator[PetrarchActor], path: Path, problems: list[DataFileError]) -> Iterator[str]:
    """people.tsv lines: CAMEO code split into country (first three letters) and sector (next three)."""
    for actor in actors:
        if not actor.codes:
            problems.append(DataFileError(str(path), actor.line, f"actor {actor.names[0]!r} has no [CODE] line; skipped"))
            continue
        names = "|".join(dict.fromkeys(actor.names))
        for code, start, end in actor.codes:
            country, sector = code[:3], code[3:6] or ""
            if country == "IGO":
                country, sector = code, "IGO"
            yield "\t".join((names, country, sector, "imported from PETRARCH",
                             start.isoformat() if start else "", end.isoformat() if end else ""))


def import_dictionary(source: Path, target: Path) -> tuple[int, list[DataFileError]]:
    """Write `target` (people.tsv format) from a PETRARCH dictionary; returns (lines written, problems)."""
    problems: list[DataFileError] = []
    lines = list(to_tsv_lines(parse(source, problems), source, problems))
    target.write_text(f"# Imported from {source.name} by `tacitus import-petrarch`.\n{HEADER}\n" + "\n".join(lines) + "\n",
                      encoding="utf-8")
    return len(lines), problems
