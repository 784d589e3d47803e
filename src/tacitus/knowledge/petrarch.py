"""Import PETRARCH/Phoenix actor and agent dictionaries into tacitus's knowledge formats.

An entry is a phrase line (words joined by `_` or spaces, maybe codes in brackets), `+` synonym lines and
`[CODE restriction]` lines: `>date`, `<date`, `date-date`, limits included, dates YYYYMMDD or YYMMDD (00-29:
2000s); a code without one is the default. A phrase ending in `_` is exact, else a prefix. Agent lines
`SOLDIER {SOLDIERS} [~MIL]` are sector words (`{}`: no plural; none given: the regular one), `!PERSON!`
markers expanded from `!NAME! = A, B` lines or MARKERS. Each entry is written as what it is: countries
([AFG]) as organisations lines (or comments, when the built-in base already names the country so), dated
entries as people lines, other actors as organisations lines, agents as sector words; any other line is
reported (file:line: reason).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataFileError

# Substitution markers PETRARCH's agent dictionaries use; a file's own `!NAME! = ...` lines win.
MINISTERS = ("MINISTER", "MINISTERS", "MINISTRY", "MINISTRIES")
MARKERS = {"PERSON": ("MAN", "MEN", "WOMAN", "WOMEN", "PERSON", "PEOPLE"), "MINIST": MINISTERS, "MINST": MINISTERS,
           "LEADER": ("LEADER", "LEADERS", "CHIEF", "CHIEFS", "HEAD", "HEADS")}
# Code prefixes of actors that belong to no country, and the tacitus sector each gives.
INTERNATIONAL = {"IGO": "IGO", "NGO": "NGO", "NGM": "NGO", "IMG": "REB", "MNC": "BUS"}
# Pronounceable acronyms the shape rule below would read as words.
ACRONYMS = frozenset("NATO OPEC FARC UNESCO UNICEF UNITA ASEAN ECOWAS NAFTA SWAPO PLO IRA ETA ISIS ISIL "
                     "WHO OSCE OAS ISAF UNEP UNMIK MONUSCO AMISOM HRW".split())
PARTICLES = frozenset("of the and for on in at to by de del della der den van von al el bin ibn bint da du des la le "
                      "y et".split())
ONSETS = frozenset("BL BR CH CL CR DR DW DJ FL FR GH GL GN GR GW KH KL KN KR KW MB MW ND NK NY NZ PH PL PR PS SC SH "
                   "SK SL SM SN SP SQ ST SV SW SZ TH TR TS TW TZ VL VR WH WR ZH ZW SCH SCR SHR SPL SPR STR THR CHR".split())
CODAS = frozenset("CH CK CT FT GH LD LF LK LL LM LP LT MB MP ND NG NK NS NT NZ PT RB RD RF RG RK RL RM RN RP RS RT RZ "
                  "SH SK SP SS ST TH TZ WN WS XT NCH RTH RST HN TT NN MM DD RR FF ZZ".split())
VOWELS = set("AEIOU")
PLURAL_RULES = ((r"MAN$", "MEN"), (r"([^AEIOU])Y$", r"\1IES"), (r"(S|X|Z|CH|SH)$", r"\1ES"), (r"$", "S"))

CODE_GROUP = re.compile(r"^\s*(---|~?[A-Z0-9]{2,}~?)\s*(.*?)\s*$")
DATE = r"(\d{8}|\d{6})"
RESTRICTION = re.compile(rf"^(?:>\s*{DATE}|<\s*{DATE}|{DATE}\s*-\s*{DATE})$")
MARKER_LINE = re.compile(r"^!([A-Za-z]+)!\s*=\s*(.+)$")
MARKER = re.compile(r"!([A-Za-z]+)!")

HEADERS = {"people": "names country sector role start end match source",
           "organisations": "names code country sector match source", "agents": "term sector role match code source"}


# A code with its dates (end exclusive, as in the people files); a phrase (plurals None: the regular one).
Code = namedtuple("Code", "code start end line")
Phrase = namedtuple("Phrase", "words exact line plurals")
Entry = namedtuple("Entry", "phrases codes")


def parse_date(value: str) -> dt.date:
    """YYYYMMDD, or YYMMDD with 00-29 read as 2000s and 30-99 as 1900s; ValueError if neither."""
    if len(value) == 6:
        year = int(value[:2])
        value = f"{2000 + year if year < 30 else 1900 + year}{value[2:]}"
    if len(value) != 8:
        raise ValueError(value)
    return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))


def _restriction(text: str) -> tuple[dt.date | None, dt.date | None]:
    """(start, exclusive end) of `>date`, `<date` or `date-date`; PETRARCH's limits are "or equal to"."""
    match = RESTRICTION.match(text.replace(" ", ""))
    if not match:
        raise ValueError(f"restriction {text!r} is not >date, <date or date-date (dates YYYYMMDD or YYMMDD)")
    after, before, first, last = match.groups()
    try:
        start = parse_date(after or first) if after or first else None
        end = parse_date(before or last) + dt.timedelta(days=1) if before or last else None
    except ValueError as exc:
        raise ValueError(f"restriction {text!r} has a date that does not exist ({exc})") from exc
    if start and end and end <= start:
        raise ValueError(f"restriction {text!r} ends before it starts")
    return start, end


def is_acronym(word: str) -> bool:
    """An all-caps word kept as written: the explicit list, dotted (U.S.), with digits (G20), no vowel (PKK),
    a two-letter word that is not consonant + vowel (UN, EU but Xi, Hu), or a 3-5 letter word whose shape
    no ordinary word has: three vowels in a row (IAEA), an impossible onset (KFOR) or ending (ICC, UNHCR)."""
    if word in ACRONYMS or "." in word or any(c.isdigit() for c in word):
        return True
    if not word.isalpha() or not 2 <= len(word) <= 5 or word.lower() in PARTICLES:
        return False
    vowel = [c in VOWELS or (c == "Y" and i > 0) for i, c in enumerate(word)]
    if not any(vowel):
        return True
    if len(word) == 2:
        return not (not vowel[0] and vowel[1])
    shape = "".join("v" if v else "c" for v in vowel)
    onset = len(shape) - len(shape.lstrip("c"))
    coda = len(shape) - len(shape.rstrip("c"))
    return ("vvv" in shape or (onset >= 2 and word[:onset] not in ONSETS)
            or (coda >= 2 and word[len(word) - coda:].removesuffix("S") not in CODAS | set("BCDFGHJKLMNPQRTVWXZ")))


def _cap(part: str) -> str:
    return "Mc" + part[2:].capitalize() if part.startswith("MC") and len(part) > 3 else part.capitalize()


def display_word(word: str, first: bool) -> str:
    """One word of a PETRARCH phrase in its usual case: acronyms as written, particles lower-case inside a name."""
    if is_acronym(word):
        return word
    parts = word.split("-")
    out = []
    for i, part in enumerate(parts):
        if part.lower() in PARTICLES and not (first and i == 0):
            out.append(part.lower())
        elif "'" in part and part.index("'") == 1:  # O'BRIEN, D'ALEMA
            out.append(part[:2].upper() + _cap(part[2:]))
        else:
            out.append(_cap(part))
    return "-".join(out)


def display(words: list[str]) -> str:
    return " ".join(display_word(word, i == 0) for i, word in enumerate(words))


def plural(words: list[str]) -> list[str]:
    """The regular plural of a phrase's last word (PETRARCH: +S, Y -> IES, SS -> ES; also MAN -> MEN)."""
    rule = next(rule for rule in PLURAL_RULES if re.search(rule[0], words[-1]))
    return [*words[:-1], re.sub(*rule, words[-1], count=1)]


def _strip_comments(raw: str, in_comment: bool) -> tuple[str, bool]:
    """The line without `#`, `;` and `<!-- -->` comments (which may span lines)."""
    if in_comment and "-->" not in raw:
        return "", True
    line = re.sub(r"<!--.*?-->", " ", raw.split("-->", 1)[1] if in_comment else raw)
    in_comment = "<!--" in line
    line = line.split("<!--", 1)[0].split("#", 1)[0].split(";", 1)[0].strip()
    return ("" if line.startswith("<") else line), in_comment


def _words(text: str) -> tuple[list[str], bool]:
    text = text.strip()
    return [w for w in re.split(r"[\s_]+", text.upper()) if w], text.endswith("_")


def parse(path: Path, problems: list[DataFileError], markers: dict[str, tuple[str, ...]]) -> list[Entry]:
    """Entries of a PETRARCH actor or agent dictionary; `markers` gains the file's `!NAME! = ...` lines.
    A broken line is a problem; the rest still load."""
    entries: list[Entry] = []
    current: Entry | None = None
    in_comment = False
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), 1):
        line, in_comment = _strip_comments(raw, in_comment)
        if not line:
            continue

        def problem(reason: str, at: int = number) -> None:
            problems.append(DataFileError(str(path), at, reason))

        definition = MARKER_LINE.match(line)
        if definition:
            markers[definition.group(1).upper()] = tuple(
                w.strip().upper().replace(" ", "_") for w in definition.group(2).split(",") if w.strip())
            continue
        codes = re.findall(r"\[([^\[\]]*)\]", line)
        braces = re.findall(r"\{([^{}]*)\}", line)
        rest = re.sub(r"\[[^\[\]]*\]|\{[^{}]*\}", " ", line).strip()
        if any(c in rest for c in "[]{}"):
            problem(f"unbalanced bracket or brace: {line!r}")
            continue
        synonym = rest.startswith("+")
        words, exact = _words(rest[1:] if synonym else rest)
        if not words and not codes:
            problem(f"not a phrase, +synonym or [CODE] line: {line!r}")
            continue
        if words:
            plurals = None if not braces else [_words(p)[0] for b in braces for p in b.split()]
            phrase = Phrase(words, exact, number, plurals)
            if synonym:
                if current is None:
                    problem("synonym line before any phrase line")
                    continue
                current.phrases.append(phrase)
            else:
                current = Entry([phrase], [])
                entries.append(current)
        elif current is None:
            problem("code line before any phrase line")
            continue
        for group in codes:
            match = CODE_GROUP.match(group.upper())
            if not match:
                problem(f"[{group}] is not a code with an optional date restriction")
                continue
            code, restriction = match.groups()
            if code == "---":
                problem(f"null code [{group}]: PETRARCH codes nothing for it; not imported")
                continue
            try:
                start, end = _restriction(restriction) if restriction else (None, None)
            except ValueError as exc:
                problem(f"[{group}]: {exc}")
                continue
            current.codes.append(Code(code, start, end, number))
    return entries


@dataclass
class Imported:
    """Lines for the three output files, what the base already knows, the counts and the problems."""

    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys("people organisations countries known agents".split(), 0))
    problems: list[DataFileError] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)


def _expand(words: list[str], markers: dict[str, tuple[str, ...]]) -> tuple[list[list[str]], str | None]:
    """The phrase with its !MARKERS! replaced by each of their words, or ([], the unknown marker)."""
    text = "_".join(words)
    names = MARKER.findall(text)
    if not names:
        return [words], None
    unknown = next((n for n in names if n.upper() not in markers), None)
    if unknown:
        return [], unknown
    variants = []
    for choice in itertools.product(*(markers[n.upper()] for n in names)):
        result = text
        for name, word in zip(names, choice, strict=True):
            result = result.replace(f"!{name}!", word, 1)
        variants.append([w for w in result.split("_") if w])
    return variants, None


def _match(modes: list[str]) -> str:
    return modes[0] if len(set(modes)) == 1 else "|".join(modes)


def _split(code: str, countries: set[str]) -> tuple[str, str]:
    """(country, sector) of an actor code: AFGINSTAL -> AFG, INS; IGOUNO -> '', IGO; a non-country prefix -> ''."""
    head = code[:3]
    if head in INTERNATIONAL:
        return "", INTERNATIONAL[head]
    if head in countries:
        sector = code[3:6]
        return head, sector if len(sector) == 3 and sector.isalpha() else ""
    return "", ""


class Converter:
    """Entries to lines of the people, organisations and agents formats."""

    def __init__(self, result: Imported, markers: dict[str, tuple[str, ...]], countries: set[str], known) -> None:
        self.result, self.markers, self.countries = result, markers, countries
        self.known = known  # (name, code) -> True when the built-in base already names that country so

    def names(self, entry: Entry, path: Path) -> list[tuple[str, str]]:
        found: dict[str, str] = {}
        for phrase in entry.phrases:
            variants, unknown = _expand(phrase.words, self.markers)
            if unknown:
                self.unknown(path, phrase.line, unknown)
            for words in variants:
                found.setdefault(display(words), "exact" if phrase.exact else "prefix")
        return list(found.items())

    def problem(self, path: Path, line: int, reason: str) -> None:
        self.result.problems.append(DataFileError(str(path), line, reason))

    def unknown(self, path: Path, line: int, marker: str) -> None:
        self.problem(path, line, f"unknown substitution marker !{marker}! (known: {', '.join(sorted(self.markers))};"
                     f" define it with a `!{marker}! = A, B` line); the phrase is not imported")

    def entry(self, entry: Entry, path: Path) -> None:
        agents = [c for c in entry.codes if "~" in c.code]
        actors = [c for c in entry.codes if "~" not in c.code]
        if not entry.codes:
            first = display(entry.phrases[0].words)
            self.problem(path, entry.phrases[0].line, f"{first!r} has no code (PETRARCH codes nothing for it); not imported")
        for code in agents:
            self.agent(entry, code, path)
        if not actors:
            return
        names = self.names(entry, path)
        write = self.person if any(c.start or c.end for c in actors) else self.organisation
        for code in actors:
            write(names, code, path)

    def person(self, names: list[tuple[str, str]], code: Code, path: Path) -> None:
        if not names:
            return
        country, sector = _split(code.code, self.countries)
        if not sector:
            self.problem(path, code.line, f"[{code.code}] names no sector; the people format reads it as GOV")
        cells = ("|".join(n for n, _ in names), country or code.code, sector, code.code,
                 code.start.isoformat() if code.start else "", code.end.isoformat() if code.end else "",
                 _match([m for _, m in names]), f"{path.name}:{code.line}")
        self.result.people.append("\t".join(cells))
        self.result.counts["people"] += 1

    def organisation(self, names: list[tuple[str, str]], code: Code, path: Path) -> None:
        country, sector = _split(code.code, self.countries)
        if len(code.code) == 3 or (country and sector == "GOV" and len(code.code) == 6):  # a country or its seat
            known = [n for n, _ in names if self.known(n, code.code)]
            if known:
                self.result.organisations.append(
                    f"# {path.name}:{code.line}: {'|'.join(known)} [{code.code}]: the built-in base already names "
                    "this country so; left to it, so that sector words still combine with it")
                self.result.counts["known"] += len(known)
                names = [(n, m) for n, m in names if n not in known]
            if len(code.code) == 3 and names:
                country = code.code if code.code in self.countries else ""
                self.result.counts["countries"] += 1
        if not names:
            return
        cells = ("|".join(n for n, _ in names), code.code, country, sector, _match([m for _, m in names]),
                 f"{path.name}:{code.line}")
        self.result.organisations.append("\t".join(cells))
        self.result.counts["organisations"] += 1

    def agent(self, entry: Entry, code: Code, path: Path) -> None:
        sector = code.code.strip("~")[:3]
        if not re.fullmatch(r"[A-Z]{3}", sector):
            self.problem(path, code.line, f"agent code [{code.code}] does not start with a three-letter sector")
            return
        if code.start or code.end:
            self.problem(path, code.line, f"date restriction on agent [{code.code}] ignored (sector words are undated)")
        for phrase in entry.phrases:
            variants, unknown = _expand(phrase.words, self.markers)
            if unknown:
                self.unknown(path, phrase.line, unknown)
            for words in variants:  # substituted and exact forms get no regular plural
                plurals = [] if words != phrase.words or phrase.exact else [plural(words)]
                for form in [words, *(plurals if phrase.plurals is None else phrase.plurals)]:
                    cells = (" ".join(form).lower(), sector, "no", "exact" if phrase.exact else "prefix",
                             code.code, f"{path.name}:{phrase.line}")
                    self.result.agents.append("\t".join(cells))
                    self.result.counts["agents"] += 1


def _country_knowledge():
    """The built-in countries (ISO3 codes) and a test of whether the base names a country by a form."""
    from .actor_base import build_knowledge, code_names

    countries = {code for code in code_names() if len(code) == 3}
    base = build_knowledge(())

    def known(name: str, code: str) -> bool:
        return any(e.kind in ("country", "demonym", "seat", "territory") and (e.code == code or e.country == code)
                   for e in base.forms.get(name, ()))

    return countries, known


def output_paths(target: Path) -> dict[str, Path]:
    """`my.tsv` -> my-people.tsv, my-organisations.tsv, my-agents.tsv; a folder -> people.tsv ... inside it."""
    kinds = ("people", "organisations", "agents")
    if target.is_dir() or str(target).endswith(("/", "\\")):
        return {kind: target / f"{kind}.tsv" for kind in kinds}
    stem = target.name[:-4] if target.name.endswith(".tsv") else target.name
    return {kind: target.with_name(f"{stem}-{kind}.tsv") for kind in kinds}


NOTE = ("# match (one per name, or one for all): exact = the phrase ends there (PETRARCH's trailing _),\n"
        "# prefix = PETRARCH also matches longer words starting so. source: file:line.\n")
NOTES = {"people": NOTE + "# role: the PETRARCH code; end: the day after PETRARCH's last day (limits included).",
         "organisations": NOTE.rstrip(), "agents": NOTE + "# code: the PETRARCH agent code."}


def import_dictionaries(sources: list[Path], target: Path) -> Imported:
    """Convert PETRARCH/Phoenix dictionaries into up to three files (see `output_paths`); files with
    nothing to hold are not written."""
    result = Imported()
    markers = dict(MARKERS)
    entries = [(path, parse(path, result.problems, markers)) for path in sources]
    countries, known = _country_knowledge()
    converter = Converter(result, markers, countries, known)
    for path, found in entries:
        for entry in found:
            converter.entry(entry, path)
    result.problems.sort(key=lambda problem: (sources.index(Path(problem.path)), problem.line))
    names = ", ".join(p.name for p in sources)
    for kind, path in output_paths(target).items():
        lines = getattr(result, kind)
        if not lines:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        header = "\t".join(HEADERS[kind].split())
        path.write_text(f"# Imported from {names} by `tacitus import-petrarch`.\n{NOTES[kind]}\n{header}\n"
                        + "\n".join(lines) + "\n", encoding="utf-8")
        result.paths[kind] = path
    return result
