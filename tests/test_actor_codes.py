"""Actors that analysts tell apart: codes of their own, shared forms read by the article,
organisations apart in the reactions view, user dictionaries that override and report."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tacitus.cli import main
from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_base import build_knowledge
from tacitus.knowledge.actor_resolver import actor_matcher
from tacitus.knowledge.phrases import resolve_phrases
from tacitus.models import Article
from tacitus.store import open_store, reactions, temporary_schema
from tacitus.store.loader import ingest
from tacitus.web.api import create_app

PG_URL = os.environ.get("TACITUS_TEST_DATABASE_URL")
D2023 = dt.date(2023, 9, 19)
SUDAN = ("The Sudanese army and the RSF clashed in Khartoum on Monday. "
         "Sudan's army accused the RSF of shelling civilians.")
REACTIONS = ("The European Union condemned Azerbaijan on Tuesday. The United Nations condemned Azerbaijan on Tuesday. "
             "NATO condemned Azerbaijan on Tuesday. France condemned Azerbaijan on Tuesday.")


def code_of(phrase: str, date: dt.date | None = D2023, files: tuple[str, ...] = ()) -> str | None:
    actor = resolve_phrases(load_nlp(), [(phrase, date)], files)[0]
    return actor.code if actor else None


def named(text: str) -> dict[str, str]:
    """Surface text -> code of every dictionary mention in an article."""
    doc = load_nlp()(text)
    return {doc[m.start:m.end].text: m.entry.code for m in actor_matcher(load_nlp()).mentions(doc)}


def test_islamic_state_and_al_qaeda_have_codes_of_their_own():
    islamic_state = {code_of(p) for p in ("Islamic State", "ISIS", "ISIL", "Daesh")}
    al_qaeda = {code_of(p) for p in ("al-Qaeda", "Al Qaeda", "al-Qaida")}
    assert islamic_state == {"IMGMOSISI"}
    assert al_qaeda == {"IMGMOSALQ"}


def test_sudanese_army_and_rapid_support_forces_apart():
    army, rsf = code_of("the Sudanese army"), code_of("the Rapid Support Forces")
    assert army == "SDNMIL"
    assert rsf and rsf.startswith("SDN") and not rsf.startswith("SDNMIL")  # `--source SDNMIL` must not include it


def test_rsf_is_read_by_the_article():
    assert named(SUDAN)["RSF"] == code_of("the Rapid Support Forces")
    press = "RSF condemned the arrest of three journalists in Paris on Monday, the French press said."
    assert named(press)["RSF"] == "NGORSF"
    spelled = ("Reporters Without Borders (RSF) condemned Sudan on Monday. RSF said Sudanese forces "
               "had detained two reporters in Khartoum.")
    assert set(named(spelled).values()) >= {"NGORSF"} and "SDNPRMRSF" not in named(spelled).values()


def test_rsf_in_a_sudan_article_is_coded_as_the_paramilitary(pipeline):
    codes = {(e.source and e.source.text, e.source and e.source.code) for e in pipeline.extract(SUDAN, D2023)}
    codes |= {(e.target and e.target.text, e.target and e.target.code) for e in pipeline.extract(SUDAN, D2023)}
    rsf = {code for text, code in codes if text == "RSF"}
    assert rsf == {"SDNPRMRSF"}, codes
    assert "NGORSF" not in {code for _, code in codes}


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, pipeline):
    """A real store holding one article in which the EU, the UN, NATO and France condemn Azerbaijan."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = str(tmp_path / "reactions.db")
        elif not PG_URL:
            pytest.skip("TACITUS_TEST_DATABASE_URL is not set; .ci/run sets it to the PostgreSQL server on 127.0.0.1:5432")
        else:
            url = stack.enter_context(temporary_schema(PG_URL, "t"))
        engine = open_store(url)
        for _ in ingest(engine, pipeline, [Article(text=REACTIONS, id="igos", date=D2023)]):
            pass
        yield url, engine
        engine.dispose()


def test_reactions_show_each_organisation_not_one_igo_row(store):
    url, engine = store
    rows = reactions(engine, "AZE")
    sources = {row["source"] for row in rows}
    assert {"IGOEUREEC", "IGOUNO", "IGOWSTNAT", "FRA"} <= sources, rows
    assert "IGO" not in sources
    assert all(row["source_country"] for row in rows)  # the old field stays
    printed = CliRunner().invoke(main, ["reactions", "AZE", "--db", url], catch_exceptions=False).output
    assert "IGOEUREEC" in printed and "IGOWSTNAT" in printed and "\nIGO " not in printed
    with TestClient(create_app(engine=engine)) as client:
        body = client.get("/api/reactions", params={"target": "AZE"}).json()
        assert {"IGOEUREEC", "IGOUNO", "IGOWSTNAT"} <= {r["source"] for r in body["reactions"]}
        html = client.get("/reactions", params={"target": "AZE"}).text
        for code in ("IGOEUREEC", "IGOUNO", "IGOWSTNAT"):
            assert f'<a href="/actors/{code}">{code}</a>' in html
        nodes = {node["id"] for node in client.get("/api/network", params={"target": "AZE"}).json()["nodes"]}
        assert {"IGOEUREEC", "IGOUNO", "IGOWSTNAT"} <= nodes and "IGO" not in nodes  # the network too


def test_user_entry_overrides_the_built_in_one(tmp_path: Path):
    organisations = tmp_path / "mine.tsv"
    organisations.write_text("names\tcode\tcountry\tsector\nWagner Group|Wagner\tRUSPRMWAG\tRUS\tPRM\n", encoding="utf-8")
    assert code_of("the Wagner Group") == "RUSMIL"
    assert code_of("the Wagner Group", files=(str(organisations),)) == "RUSPRMWAG"
    assert code_of("Wagner", files=(str(organisations),)) == "RUSPRMWAG"
    people = tmp_path / "people.tsv"
    people.write_text("names\tcountry\tsector\trole\tstart\tend\n"
                      "Antony Blinken\tUSA\tBUS\tconsultant\t2015-01-01\t\n", encoding="utf-8")
    assert code_of("Antony Blinken", D2023) == "USAGOV"
    assert code_of("Antony Blinken", D2023, (str(people),)) == "USABUS"
    assert code_of("Blinken", D2023, (str(people),)) == "USABUS"  # the surname follows the user's entry


def test_built_in_files_have_no_broken_lines():
    assert build_knowledge().problems == []


def test_broken_user_lines_are_reported_as_file_line_reason(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    path.write_text("names\tcode\tcountry\tsector\n"
                    "Wakanda Liberation Front|WLF\tCODREB\tCOD\tREB\n"
                    "Foo Brigade FOOREB USA REB\n"  # spaces, not tabs
                    "Bar Group\tbarreb\tCOD\tREB\n"
                    "Baz Militia\tCODPRM\tCongo\tPRM\n"
                    "Ruritanian Guard\tDEUMIL\tDEU\tMIL\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["resolve", "the WLF", "Ruritanian Guard", "Bar Group", "--dictionary", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:3: no code or country given" in result.stderr
    assert f"{path}:4: code 'barreb' is not a CAMEO-style code" in result.stderr
    assert f"{path}:5: country 'Congo' is not an ISO 3166 alpha-3 code" in result.stderr
    lines = result.stdout.splitlines()
    assert '"code": "CODREB"' in lines[0] and '"code": "DEUMIL"' in lines[1]
    assert '"code": null' in lines[2]  # the broken line was not loaded
    headless = tmp_path / "headless.tsv"
    headless.write_text("Foo Brigade\tCODREB\tCOD\tREB\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["resolve", "Foo Brigade", "--dictionary", str(headless)])
    assert f"{headless}:1: the header must name the columns names code country sector" in result.stderr
    people = tmp_path / "people.tsv"
    people.write_text("names\tcountry\tsector\trole\tstart\tend\nJane Roe\tUS\tGOV\tenvoy\t2020-01-01\t\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["resolve", "Jane Roe", "--dictionary", str(people)])
    assert f"{people}:2: country 'US' is neither an ISO 3166 alpha-3 code nor an actor code" in result.stderr
