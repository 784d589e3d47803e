"""Load the knowledge files that ship in `tacitus/data` (TSV and YAML)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError
from .cache import cached, data_fingerprint, fingerprint

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT",
)
COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
HOSTILE_TYPES = frozenset({"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
MATERIAL_HOSTILE_TYPES = frozenset({"SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"})


def data_file(name: str) -> Path:
    """Path of a file shipped in the package's data folder."""
    return Path(str(resources.files("tacitus.knowledge") / "data" / name))


def read_tsv(path: Path, columns: int | None = None,
             problems: list[DataFileError] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a TSV with a header line; `#` lines are comments.

    Yields (line number, row). A row with more cells than the header is a DataFileError naming the file and
    line: raised, or, when `problems` is given, recorded there while the other rows still load. Missing
    trailing cells are empty.
    """
    header: list[str] | None = None
    with path.open(encoding="utf-8", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not cells or not "".join(cells).strip() or cells[0].startswith("#"):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                if columns is not None and len(header) < columns:
                    raise DataFileError(str(path), number, f"header has {len(header)} columns, expected {columns}")
                continue
            if len(cells) > len(header):
                error = DataFileError(str(path), number, f"{len(cells)} tab-separated cells but the header has {len(header)}")
                if problems is None:
                    raise error
                problems.append(error)
                continue
            cells = cells + [""] * (len(header) - len(cells))
            yield number, {key: value.strip() for key, value in zip(header, cells, strict=True)}


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: the same values, ten times faster


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML mapping, or DataFileError saying why not."""
    try:
        with path.open(encoding="utf-8") as handle:
            loaded = yaml.load(handle, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
        raise DataFileError(str(path), line, f"not valid YAML: {exc}") from exc
    if not isinstance(loaded, dict):
        raise DataFileError(str(path), 1, "expected a mapping at the top level")
    return loaded


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code with its PLOVER type, Goldstein score and QuadClass."""

    code: str
    label: str
    plover: str
    goldstein: float
    quad_class: int


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, CameoCode]:
    """CAMEO code -> entry, from cameo.tsv."""
    path = data_file("cameo.tsv")
    table: dict[str, CameoCode] = {}
    for number, row in read_tsv(path, 5):
        try:
            table[row["cameo"]] = CameoCode(
                row["cameo"], row["label"], row["plover"],
                float(row["goldstein"]), int(row["quad_class"]),
            )
        except ValueError as exc:
            raise DataFileError(str(path), number, f"bad number: {exc}") from exc
    return table


def cameo_entry(code: str) -> CameoCode:
    """The entry for a code, falling back to its three-digit parent."""
    table = cameo_table()
    return table.get(code) or table[code[:3]]


@dataclass(frozen=True)
class TriggerPattern:
    """A lemma pattern that marks an event of a PLOVER type."""

    kind: str  # verb | noun
    words: tuple[str, ...]
    head: str
    others: tuple[str, ...]
    event_type: str
    mode: str | None
    cameo: str
    confidence: float
    civilian: tuple[str, str] | None  # (type, cameo) when the source is civilian
    line: int

    @property
    def rule(self) -> str:
        return f"{self.kind}:{' '.join(self.words)}"


@dataclass(frozen=True)
class TriggerIndex:
    """Trigger patterns indexed by head lemma, most specific first."""

    verbs: dict[str, tuple[TriggerPattern, ...]]
    nouns: dict[str, tuple[TriggerPattern, ...]]

    def lemmas(self) -> set[str]:
        return set(self.verbs) | set(self.nouns)


def vocabulary_files() -> list[Path]:
    """The trigger files: the hand-curated core (triggers.tsv), then the CAMEO-wide vocabulary by range."""
    return [data_file("triggers.tsv"), *sorted(data_file("vocabulary").glob("*.tsv"))]


def load_triggers(path: Path | list[Path] | None = None) -> TriggerIndex:
    """Parse trigger files into an index; unknown types or codes are errors. A pattern already given
    by an earlier file is kept as that file has it (the core file wins over the wide vocabulary)."""
    verbs: dict[str, list[TriggerPattern]] = {}
    nouns: dict[str, list[TriggerPattern]] = {}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    given = path if isinstance(path, list) else [path]
    for pattern in default_patterns() if path is None else (p for one in given for p in _read_triggers(one)):
        if (pattern.kind, pattern.words) in seen:
            continue
        seen.add((pattern.kind, pattern.words))
        (verbs if pattern.kind == "verb" else nouns).setdefault(pattern.head, []).append(pattern)

    def ordered(index: dict[str, list[TriggerPattern]]) -> dict[str, tuple[TriggerPattern, ...]]:
        return {k: tuple(sorted(v, key=lambda p: -len(p.others))) for k, v in index.items()}

    return TriggerIndex(ordered(verbs), ordered(nouns))


def default_patterns() -> Iterator[TriggerPattern]:
    """The trigger files' patterns, then the verb-by-object patterns of the vocabulary's YAML files. A pair is
    at least as sure as its word alone of the same type: "fraud accusations" as "accusations"."""
    alone: dict[tuple[str, str, str], float] = {}
    for path in vocabulary_files():
        for pattern in _read_triggers(path):
            if not pattern.others:
                key = (pattern.kind, pattern.head, pattern.event_type)
                alone[key] = max(alone.get(key, 0.0), pattern.confidence)
            yield pattern
    for path in sorted(data_file("vocabulary").glob("*.yaml")):
        for pattern in pair_patterns(path):
            floor = alone.get((pattern.kind, pattern.head, pattern.event_type), 0.0)
            yield replace(pattern, confidence=floor) if floor > pattern.confidence else pattern


def pair_patterns(path: Path) -> Iterator[TriggerPattern]:
    """Every verb (and noun) of a file with every object listed under a CAMEO code, as patterns of the file's type and
    the code's mode ("giving.yaml": "sent rescue teams" is AID 073; "alleging.yaml": "claims of fraud" is ACCUSE 112)."""
    raw = read_yaml(path)
    event_type, confidence, modes = str(raw.get("type", "")).upper(), float(raw.get("confidence", 0.75)), raw.get("modes", {})
    cameo = cameo_table()
    for code, objects in raw.get("objects", {}).items():
        code = str(code)
        if event_type not in PLOVER_TYPES or code[:3] not in cameo:
            raise DataFileError(str(path), 0, f"type must be a PLOVER type and {code!r} a CAMEO code")
        for verb in raw.get("verbs", []):
            for words in (tuple(f"{verb} {obj}".lower().split()) for obj in objects):
                yield TriggerPattern("verb", words, words[0], words[1:], event_type, modes.get(code), code, confidence, None, 0)
        for noun in raw.get("nouns", []):  # "fraud claims", "claims of fraud": the object modifies the noun
            for words in (tuple(f"{obj} {noun}".lower().split()) for obj in objects):
                yield TriggerPattern("noun", words, words[-1], words[:-1], event_type, modes.get(code), code, confidence, None, 0)


def _read_triggers(path: Path) -> Iterator[TriggerPattern]:
    cameo = cameo_table()
    for number, row in read_tsv(path, 6):
        kind = row["kind"]
        words = tuple(row["pattern"].lower().split())
        event_type = row["type"].upper()
        if kind not in ("verb", "noun") or not words:
            raise DataFileError(str(path), number, f"kind must be verb or noun with a pattern, got {kind!r}")
        if event_type not in PLOVER_TYPES:
            raise DataFileError(str(path), number, f"unknown PLOVER type {event_type!r}")
        if row["cameo"][:3] not in cameo:
            raise DataFileError(str(path), number, f"unknown CAMEO code {row['cameo']!r}")
        civilian = None
        if row.get("civilian"):
            civ_type, _, civ_code = row["civilian"].partition("/")
            civilian = (civ_type.upper(), civ_code)
        head = words[0] if kind == "verb" else words[-1]
        others = words[1:] if kind == "verb" else words[:-1]
        try:
            confidence = float(row["confidence"] or 0.5)
        except ValueError as exc:
            raise DataFileError(str(path), number, f"confidence must be a number: {exc}") from exc
        yield TriggerPattern(
            kind, words, head, others, event_type, row["mode"] or None,
            row["cameo"], confidence, civilian, number,
        )


@dataclass(frozen=True)
class Frames:
    """Frame verbs and function words from frames.yaml and lexicon.yaml."""

    reporting: dict[str, str]
    findings: frozenset[str]
    state_instruments: frozenset[str]
    accusing_reports: frozenset[str]
    attribution_preps: frozenset[str]
    intent: frozenset[str]
    intent_adjectives: frozenset[str]
    hypothetical_adjectives: frozenset[str]
    hypothetical_passives: frozenset[str]
    origin_participles: frozenset[str]
    planning: frozenset[str]
    doer_preps: frozenset[str]
    doer_adjectives: frozenset[str]
    commitments: frozenset[str]
    stative_passives: frozenset[str]
    threaten: frozenset[str]
    request: frozenset[str]
    refuse: frozenset[str]
    transparent: frozenset[str]
    hostile_intent: frozenset[str]
    posture: frozenset[str]
    future_modals: frozenset[str]
    hypothetical_modals: frozenset[str]
    obligation_modals: frozenset[str]
    conditionals: frozenset[str]
    threat_conditionals: frozenset[str]
    light: frozenset[str]
    light_with: frozenset[str]
    protest_groups: frozenset[str]
    protest_nouns: frozenset[str]
    backing: frozenset[str]
    crowd_verbs: frozenset[str]
    occupying: frozenset[str]
    performative_frames: frozenset[str]
    performatives: frozenset[str]
    weapons: frozenset[str]
    weapon_verbs: frozenset[str]
    sympathy_subjects: frozenset[str]
    sympathy_verbs: frozenset[str]
    sympathy_objects: frozenset[str]
    operations: frozenset[str]
    conversations: frozenset[str]
    handovers: frozenset[str]
    expulsions: frozenset[str]
    mediation: frozenset[str]
    causatives: frozenset[str]
    border_nouns: frozenset[str]
    captives: frozenset[str]
    adjective_homonyms: frozenset[str]
    cyber_doers: frozenset[str]
    military_story_words: frozenset[str]
    police_story_words: frozenset[str]
    instrument_verbs: frozenset[str]
    verbal_objects: frozenset[str]
    quarrel_settings: frozenset[str]
    disaster_words: frozenset[str]
    violent_words: frozenset[str]
    request_nouns: frozenset[str]
    adopting: frozenset[str]
    place_nouns: frozenset[str]
    national_offices: frozenset[str]
    igo_epithets: frozenset[str]
    state_epithets: frozenset[str]
    named_after_heads: frozenset[str]  # "the Mo Ibrahim Foundation": an organisation named after a person
    out_of_office: frozenset[str]
    gathering_places: frozenset[str]
    state_acts: frozenset[str]
    missions: frozenset[str]
    speech_settings: frozenset[str]
    verbal_markers: frozenset[str]
    verbal_attacks: frozenset[str]
    explosives: frozenset[str]
    explosion_verbs: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    first_person_pronouns: frozenset[str]
    feature_words: frozenset[str]
    story_breaks: frozenset[str]
    speaking_for: frozenset[str]
    suspect_nouns: frozenset[str]
    suspect_verbs: frozenset[str]
    suspect_deeds: frozenset[str]
    group_roles: frozenset[str]
    group_role_modifiers: frozenset[str]
    individual_roles: frozenset[str]
    measure_nouns: frozenset[str]
    prevention: frozenset[str]
    intent_cameo: dict[str, str]
    threat_cameo: dict[str, str]
    request_cameo: dict[str, str]
    refuse_cameo: dict[str, str]
    claim_adverbs: frozenset[str]
    request_preps: dict[str, frozenset[str]]
    background_adverbs: frozenset[str]
    impersonal_causes: frozenset[str]
    desire: frozenset[str]
    allegation: frozenset[str]
    reciprocal: frozenset[str]
    locative_target_types: frozenset[str]
    carrier_nouns: frozenset[str]
    lemma_fixes: dict[str, str]
    offers: frozenset[str]
    suffering: frozenset[str]
    intransitive_suffering: frozenset[str]
    launch: frozenset[str]
    intent_nouns: frozenset[str]
    deterrence: frozenset[str]
    proposals: frozenset[str]
    commands: frozenset[str]
    commanded_restrictions: frozenset[str]
    reciprocal_objects: frozenset[str]
    joint_verbs: frozenset[str]
    joint_markers: frozenset[str]
    judicial_detentions: frozenset[str]
    occurrence_verbs: frozenset[str]
    harm_verbs: frozenset[str]
    receiving: frozenset[str]


@lru_cache(maxsize=1)
def load_frames() -> Frames:
    """Frames from the built-in YAML files."""
    raw = read_yaml(data_file("frames.yaml")) | read_yaml(data_file("lexicon.yaml"))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key, []))

    def mapping(key: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in raw.get(key, {}).items()}

    special = {  # every other field is a list of lower-case words of the same name
        "reporting": mapping("reporting"), "intent_cameo": mapping("intent_cameo"), "threat_cameo": mapping("threat_cameo"),
        "request_cameo": mapping("request_cameo"), "refuse_cameo": mapping("refuse_cameo"), "lemma_fixes": mapping("lemma_fixes"),
        "request_preps": {str(k): frozenset(str(w) for w in v) for k, v in raw.get("request_preps", {}).items()},
        "locative_target_types": frozenset(str(w).upper() for w in raw.get("locative_target_types", [])),
    }
    return Frames(**{f.name: special[f.name] if f.name in special else words(f.name) for f in fields(Frames)})


@lru_cache(maxsize=1)
def default_triggers() -> TriggerIndex:
    """The built-in trigger vocabulary (cached on disk by the content of its files)."""
    return cached("triggers", fingerprint(["triggers", *data_fingerprint()]), load_triggers)

