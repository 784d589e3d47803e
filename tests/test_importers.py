"""Importers of other projects' dictionaries: PETRARCH/Phoenix actor and agent files, Wikidata office holders."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tacitus.cli import main
from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import build_knowledge
from tacitus.knowledge.petrarch import display, import_dictionaries, is_acronym, output_paths, parse_date, plural
from tacitus.knowledge.phrases import resolve_phrases
from tacitus.knowledge.wikidata import convert, office_of

# Written for these tests in PETRARCH's format (people invented, codes as Phoenix would give them).
ACTORS = """<!-- A PETRARCH-style actor dictionary -->
# countries
AFGHANISTAN_  [AFG]
+AFGHAN_
+AFGANISTAN_      # a misspelling PETRARCH keeps
FREEDONIA_ [FRD]
KABUL_ [AFGGOV]

# international and non-state actors
UNITED_NATIONS_ [IGOUNO]
+UN_
NORTH_ATLANTIC_TREATY_ORGANIZATION_ [IGOWSTNAT]
+NATO_
TALIBAN [AFGINSTAL]    ; a prefix: TALIBANS too

# people
ABDULLAH_ABDULLAH_ [AFGELI]
ZAHIR_GULBADDIN_ [AFGELI]
+GULBADDIN_
\t[AFGOPP <011221]
\t[AFGGOV 20011222-20140928]
MIRWAIS_HAQQANI_
\t[AFGMIL 950101-991231]
\t[AFGGOV >20150101]
\t[AFGGOV >99xx01]
ORPHAN_WITHOUT_CODE_
+
"""
AGENTS = """!FIGHTER! = FIGHTER, FIGHTERS, GUNMAN, GUNMEN
SOLDIER {SOLDIERS} [~MIL]
SAPPER [~MIL]
POLICE {} [~COP]
CONGRESS!PERSON! [~LEG]
MILITIA_!FIGHTER!_ [~REB]
!UNKNOWN!_OFFICIAL [~GOV]
HUMAN_RIGHTS_BODY [NGO~]
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("petrarch")
    (folder / "test.actors.txt").write_text(ACTORS, encoding="utf-8")
    (folder / "test.agents.txt").write_text(AGENTS, encoding="utf-8")
    result = import_dictionaries([folder / "test.actors.txt", folder / "test.agents.txt"], folder / "mine.tsv")
    return folder, result


def rows(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


@pytest.mark.parametrize(("value", "expected"), [
    ("20011222", dt.date(2001, 12, 22)), ("011222", dt.date(2001, 12, 22)), ("291231", dt.date(2029, 12, 31)),
    ("300101", dt.date(1930, 1, 1)), ("991231", dt.date(1999, 12, 31)), ("19450703", dt.date(1945, 7, 3)),
])
def test_dates_and_the_two_digit_pivot(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(("phrase", "expected"), [
    ("UNITED_NATIONS", "United Nations"), ("UN", "UN"), ("NATO", "NATO"), ("FARC", "FARC"), ("IAEA", "IAEA"),
    ("UNHCR", "UNHCR"), ("PKK", "PKK"), ("ICC", "ICC"), ("EU", "EU"), ("U.S.", "U.S."), ("G20", "G20"),
    ("XI_JINPING", "Xi Jinping"), ("IRAN", "Iran"), ("CHAD", "Chad"), ("INDIA", "India"), ("KABUL", "Kabul"),
    ("JOHN_MCCAIN", "John McCain"), ("BANK_OF_ENGLAND", "Bank of England"), ("AL_QAEDA", "Al Qaeda"),
    ("BASHAR_AL-ASSAD", "Bashar al-Assad"), ("CONOR_O'BRIEN", "Conor O'Brien"), ("HAMAS", "Hamas"),
])
def test_case_keeps_acronyms(phrase, expected):
    assert display(phrase.split("_")) == expected


def test_acronym_rule_and_plurals():
    assert [w for w in ("KFOR", "ANC", "CNN", "OSCE", "MALI", "PERU", "SCOTT", "ADAMS") if is_acronym(w)] == \
        ["KFOR", "ANC", "CNN", "OSCE"]
    assert [plural([w])[0] for w in ("SOLDIER", "POLICEMAN", "ARMY", "ATTORNEY", "BOSS", "CHURCH")] == \
        ["SOLDIERS", "POLICEMEN", "ARMIES", "ATTORNEYS", "BOSSES", "CHURCHES"]


def test_entries_kept_as_what_they_are(imported):
    folder, result = imported
    assert result.paths == output_paths(folder / "mine.tsv")
    people = rows(result.paths["people"])
    assert ["Zahir Gulbaddin|Gulbaddin", "AFG", "ELI", "AFGELI", "", "", "exact", "test.actors.txt:18"] in people
    assert ["Zahir Gulbaddin|Gulbaddin", "AFG", "OPP", "AFGOPP", "", "2001-12-22", "exact", "test.actors.txt:20"] in people
    assert ["Mirwais Haqqani", "AFG", "MIL", "AFGMIL", "1995-01-01", "2000-01-01", "exact", "test.actors.txt:23"] in people
    organisations = rows(result.paths["organisations"])
    assert ["Afganistan", "AFG", "AFG", "", "exact", "test.actors.txt:3"] in organisations
    assert ["Freedonia", "FRD", "", "", "exact", "test.actors.txt:6"] in organisations
    assert ["United Nations|UN", "IGOUNO", "", "IGO", "exact", "test.actors.txt:10"] in organisations
    assert ["Taliban", "AFGINSTAL", "AFG", "INS", "prefix", "test.actors.txt:14"] in organisations
    assert ["Abdullah Abdullah", "AFGELI", "AFG", "ELI", "exact", "test.actors.txt:17"] in organisations
    text = result.paths["organisations"].read_text(encoding="utf-8")
    assert "# test.actors.txt:3: Afghanistan|Afghan [AFG]" in text and "# test.actors.txt:7: Kabul [AFGGOV]" in text
    terms = {row[0]: row[1:] for row in rows(result.paths["agents"])}
    assert terms["soldiers"] == ["MIL", "no", "prefix", "~MIL", "test.agents.txt:2"]
    assert "sappers" in terms and "police" in terms and "polices" not in terms
    assert {"congressman", "congresswomen", "militia gunmen"} <= set(terms) and "militia gunmens" not in terms
    assert terms["human rights bodies"][:4] == ["NGO", "no", "prefix", "NGO~"]
    assert result.counts == {"people": 5, "organisations": 6, "countries": 2, "known": 3, "agents": 17}
    problems = sorted(str(p) for p in result.problems)
    assert [p.split(": ")[0].rsplit("/", 1)[-1] for p in problems] == \
        ["test.actors.txt:25", "test.actors.txt:26", "test.actors.txt:27", "test.agents.txt:7"]
    assert "!UNKNOWN!" in problems[3] and "no code" in problems[1]


def test_round_trip_gives_petrarchs_codes(imported):
    folder, result = imported
    files = tuple(str(p) for p in result.paths.values())
    assert not [p for p in build_knowledge(files).problems if p.path in files]
    cases = [  # (phrase, date, PETRARCH's code for it)
        ("Zahir Gulbaddin", dt.date(2010, 6, 1), "AFGGOV"),     # inside a dated window
        ("Zahir Gulbaddin", dt.date(2001, 12, 21), "AFGOPP"),   # <011221 includes its day; 01 is 2001
        ("Zahir Gulbaddin", dt.date(2016, 1, 1), "AFGELI"),     # outside every window: the default code
        ("Mirwais Haqqani", dt.date(1996, 1, 1), "AFGMIL"),     # 95 is 1995
        ("Mirwais Haqqani", dt.date(2020, 1, 1), "AFGGOV"),     # 8-digit >date
        ("Afganistan", None, "AFG"),                            # a country alias
        ("Afghan soldiers", None, "AFGMIL"),                    # a country adjective with an agent
        ("Afghan sappers", None, "AFGMIL"),                     # an agent only the import knows, regular plural
        ("NATO", None, "IGOWSTNAT"),                            # an acronym kept in capitals
        ("the United Nations", None, "IGOUNO"),
        ("Taliban", None, "AFGINSTAL"),
        ("Freedonia", None, "FRD"),
    ]
    actors = resolve_phrases(load_nlp(), [(text, when) for text, when, _ in cases], files)
    assert [a.code if a else None for a in actors] == [code for _, _, code in cases]
    without = resolve_phrases(load_nlp(), [("Afghan sappers", None)])[0]
    assert without is None or without.sector != "MIL"


def test_import_petrarch_command(tmp_path: Path):
    source = tmp_path / "phoenix.actors.txt"
    source.write_text("# a PETRARCH-style dictionary\n"
                      "JOHN_DOE_SMITH\n+DOE_SMITH\n[FRAGOV >150101]\n[FRAELI <141231]\n"
                      "FREEDONIA [FRD]\n+FREEDONIANS\n"
                      "[BROKEN >99xx01]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import-petrarch", str(source), str(tmp_path / "out") + "/"])
    assert result.exit_code == 0, result.output
    assert "phoenix.actors.txt:8" in result.output
    assert "2 people lines, 1 organisation lines (1 country aliases), 0 agent lines" in result.output
    people = tmp_path / "out" / "people.tsv"
    assert "John Doe Smith|Doe Smith\tFRA\tGOV\tFRAGOV\t2015-01-01\t\tprefix\t" in people.read_text(encoding="utf-8")
    for when, sector in (("2020-01-01", "GOV"), ("2010-01-01", "ELI")):
        out = CliRunner().invoke(main, ["resolve", "John Doe Smith", "--date", when, "--dictionary", str(people)])
        assert json.loads(out.stdout.splitlines()[0])["sector"] == sector


def binding(person, label, position, start, end=None, country="USA", aliases=""):
    found = {"person": {"type": "uri", "value": f"http://www.wikidata.org/entity/{person}"},
             "personLabel": {"xml:lang": "en", "type": "literal", "value": label},
             "positionLabel": {"xml:lang": "en", "type": "literal", "value": position},
             "start": {"datatype": "http://www.w3.org/2001/XMLSchema#dateTime", "type": "literal", "value": start}}
    if end:
        found["end"] = {"datatype": "http://www.w3.org/2001/XMLSchema#dateTime", "type": "literal", "value": end}
    if country:
        found["countryIso3"] = {"type": "literal", "value": country}
    if aliases:
        found["aliases"] = {"type": "literal", "value": aliases}
    return found


def test_wikidata_import(tmp_path: Path):
    bindings = [
        binding("Q900001", "Amelia Testwood", "President of the United States", "2021-01-20T00:00:00Z",
                "2025-01-20T00:00:00Z", aliases="Amy Testwood"),
        binding("Q900001", "Amelia Testwood", "Vice President of the United States", "2009-01-20T00:00:00Z",
                "2017-01-20T00:00:00Z", aliases="Amelia R. Testwood|Amy Testwood"),
        binding("Q900001", "Amelia Testwood", "President of the United States", "2021-01-20T00:00:00Z",
                "2025-01-20T00:00:00Z", aliases="Amy Testwood"),  # a duplicate row of the query
        binding("Q900002", "Boris Placeholder", "Minister of Foreign Affairs of Ruritania", "2019-03-01T00:00:00Z",
                country="RUR"),  # no end: still in office
        binding("Q900003", "Carla Nowhere", "Minister of Defence", "2015-01-01T00:00:00Z", country=""),
        binding("Q900004", "Q900004", "Prime Minister of Freedonia", "2015-01-01T00:00:00Z", country="FRD"),
        binding("Q900005", "Dario Sample", "Prime Minister of Italy", "t12345", country="ITA"),
    ]
    source = tmp_path / "results.json"
    source.write_text(json.dumps({"head": {"vars": ["person", "personLabel", "positionLabel", "start", "end",
                                                    "countryIso3", "aliases"]},
                                  "results": {"bindings": bindings}}), encoding="utf-8")
    target = tmp_path / "people-wikidata.tsv"
    out = CliRunner().invoke(main, ["import-wikidata", str(source), "--output", str(target)])
    assert out.exit_code == 0, out.output
    assert "3 lines for 2 people" in out.output
    assert [p.split(": ", 1)[1] for p in map(str, convert(source).problems)] == [
        "binding 5: Carla Nowhere (Q900003): no ISO 3166-1 alpha-3 country for Minister of Defence",
        "binding 6: person Q900004 has no English label",
        "binding 7: Dario Sample (Q900005): start 't12345' is not a date (an unknown value, or before year 1000)"]
    lines = rows(target)
    names = "Amelia Testwood|Amy Testwood|Amelia R. Testwood"
    assert lines == [
        ["Boris Placeholder", "RUR", "GOV", "foreign_minister", "Minister of Foreign Affairs of Ruritania",
         "2019-03-01", "", "Q900002"],
        [names, "USA", "GOV", "other", "Vice President of the United States", "2009-01-20", "2017-01-20", "Q900001"],
        [names, "USA", "GOV", "head_of_state", "President of the United States", "2021-01-20", "2025-01-20", "Q900001"],
    ]
    knowledge = build_knowledge((str(target),))
    assert not [p for p in knowledge.problems if p.path == str(target)]
    entry = knowledge.forms["Amy Testwood"][0]
    assert entry.at(dt.date(2022, 1, 1)) == ("USAGOV", "USA", "GOV")
    assert entry.at(dt.date(2018, 1, 1))[2] == "ELI"


@pytest.mark.parametrize(("label", "office"), [
    ("Prime Minister of India", "head_of_government"), ("President of the Government of Spain", "head_of_government"),
    ("Federal Chancellor of Germany", "head_of_government"), ("King of Jordan", "head_of_state"),
    ("United States Secretary of State", "foreign_minister"), ("Minister for External Affairs", "foreign_minister"),
    ("Secretary of State for Defence", "defence_minister"), ("Deputy Prime Minister of Turkey", "other"),
    ("Minister of Finance of Kenya", "other"),
])
def test_office_from_position(label, office):
    assert office_of(label) == office
