"""How the world reacts to a crisis: sympathy, offers of help, aid sent (invented examples, each a general
construction of news reactions)."""

from __future__ import annotations

import datetime as dt

import pytest

from coded import triples as coded_triples
from tacitus.knowledge.lexicon import default_triggers, load_frames

DAY = dt.date(2023, 9, 10)



def triples(pipeline, text: str) -> set[tuple]:
    return coded_triples(pipeline, text, min_confidence=0.3, day=DAY)


@pytest.mark.parametrize(("text", "expected"), [
    # sympathy said through its subject noun (CAMEO 018)
    ('"Our thoughts and prayers go to the people of Morocco," the Canadian prime minister said.', ("CAN", "SUPPORT", "MAR")),
    ("Macron said France's thoughts were with the Moroccan people.", ("FRA", "SUPPORT", "MAR")),
    ("The Spanish king said his heart went out to the families of the victims in Morocco.", ("ESP", "SUPPORT", "MAR")),
    ('"Our condolences are with the people of Libya," the Egyptian foreign minister said.', ("EGY", "SUPPORT", "LBY")),
    # with no one named, the sympathy is for the story's own country (GUIDELINES: home target)
    ('Indian Prime Minister Narendra Modi wrote, "My thoughts are with those who lost their loved ones."', ("IND", "SUPPORT", "IND")),
    # a bare offer is aimed at whom its clause acts on
    ("Turkey offered to help Morocco.", ("TUR", "AGREE", "MAR")),
    ("Algeria offered to send firefighting planes to Tunisia.", ("DZA", "AGREE", "TUN")),
    # aid sent, by what is sent (vocabulary/giving.yaml)
    ("Spain sent 50 firefighters to Greece.", ("ESP", "AID", "GRC")),
    ("Turkey sent rescue teams to Morocco.", ("TUR", "AID", "MAR")),
    ("India sent a team of doctors to Nepal.", ("IND", "AID", "NPL")),
    ("Egypt rushed medical supplies to Libya.", ("EGY", "AID", "LBY")),
    # whom it is for, by the purpose it is given or pledged for
    ("Taiwan donated $1 million to help victims of the Turkey earthquake.", ("TWN", "AID", "TUR")),
    ("Japan pledged $2 billion to help rebuild Ukraine's power grid.", ("JPN", "AGREE", "UKR")),
])
def test_reaction(pipeline, text, expected):
    found = triples(pipeline, text)
    assert expected in found, found


@pytest.mark.parametrize("text", [
    "His thoughts were with his family during the match in Madrid.",
    "Her heart was in the right place, the Spanish coach said.",
    "He said his thoughts went to the idea of a new French party.",
    "The rebels in Mali handed over their weapons to the UN mission.",
])
def test_no_reaction(pipeline, text):
    found = triples(pipeline, text)
    assert not {t for t in found if t[1] in ("SUPPORT", "AID")}, found


@pytest.mark.parametrize(("text", "expected"), [
    # forces moved toward a border aim at the country across it (vocabulary/deploying.yaml, frames.yaml border_nouns)
    ("Venezuela has moved armoured vehicles and patrol boats toward its border with Guyana.", ("VEN", "MOBILIZE", "GUY")),
    ("Poland sent troops to its border with Belarus.", ("POL", "MOBILIZE", "BLR")),
    # equipment sent to another country is aid, not a deployment
    ("Germany sent tanks to Ukraine.", ("DEU", "AID", "UKR")),
])
def test_forces_moved_and_given(pipeline, text, expected):
    assert expected in triples(pipeline, text)


def test_giving_patterns_expand_every_verb_and_object():
    """Each giving (deploying) verb with each object is a pattern of its code; a pair a trigger file names keeps that file's
    reading ("send condolence" stays SUPPORT, not a giving pattern)."""
    verbs = default_triggers().verbs
    rescue = next(p for p in verbs["airlift"] if p.words == ("airlift", "rescue", "team"))
    assert (rescue.event_type, rescue.cameo, rescue.mode) == ("AID", "073", "humanitarian")
    ammunition = next(p for p in verbs["transfer"] if p.words == ("transfer", "ammunition"))
    assert (ammunition.event_type, ammunition.cameo) == ("AID", "072")
    assert all(p.event_type == "SUPPORT" for p in verbs["send"] if p.words == ("send", "condolence"))
    assert all(p.event_type == "MOBILIZE" for p in verbs["deploy"] if p.line == 0)  # own forces moved are not given
    tank = next(p for p in verbs["station"] if p.words == ("station", "tank"))
    assert (tank.event_type, tank.cameo, tank.mode) == ("MOBILIZE", "154", "troops")
    assert {"thought", "prayer", "heart"} <= load_frames().sympathy_subjects


@pytest.mark.parametrize(("text", "expected"), [
    # a reaction drawn by a deed is aimed at its doer
    ("Israel moved troops into the buffer zone on the Golan Heights, drawing condemnation from Egypt and Qatar.",
     {("EGY", "ACCUSE", "ISR"), ("QAT", "ACCUSE", "ISR")}),
    # what a deed prompts its object to do is done by that object
    ("Ecuadorian police arrested a former vice president, prompting Mexico to break off diplomatic relations with Ecuador.",
     {("MEX", "SANCTION", "ECU")}),
    ("Iran fired missiles at Erbil, prompting Iraq to recall its ambassador from Tehran.", {("IRQ", "SANCTION", "IRN")}),
])
def test_reactions_drawn_and_prompted(pipeline, text, expected):
    assert expected <= triples(pipeline, text)


@pytest.mark.parametrize(("text", "expected"), [
    # vows of vengeance are threats
    ("Iran vowed to exact harsh punishment on Israel.", ("IRN", "THREATEN", "ISR")),
    ("Hezbollah vowed to avenge the killing of its commander by Israel.", ("LBN", "THREATEN", "ISR")),
])
def test_vows_of_vengeance(pipeline, text, expected):
    assert expected in triples(pipeline, text)


@pytest.mark.parametrize(("text", "expected"), [
    # physical force against people is an assault, as the real-news gold codes it; a crackdown stays coercion
    ("Police fired tear gas at protesters in Nairobi.", ("KEN", "ASSAULT", "KEN")),
    ("Sudanese security forces shot protesters in Khartoum.", ("SDN", "ASSAULT", "SDN")),
    ("Bangladeshi police cracked down on protesters in Dhaka.", ("BGD", "COERCE", "BGD")),
])
def test_force_against_protesters(pipeline, text, expected):
    assert expected in triples(pipeline, text)


def test_recalling_an_ambassador_for_consultations_is_no_consultation(pipeline):
    found = triples(pipeline, "Brazil recalled its ambassador from Tel Aviv for consultations.")
    assert ("BRA", "SANCTION", "ISR") in found and not {t for t in found if t[1] == "CONSULT"}, found


@pytest.mark.parametrize(("text", "expected"), [
    ("Britain gave 50 million pounds in aid to Sudan.", ("GBR", "AID", "SDN")),  # no "give in to"
    ("The US sent $300 million in military aid to Ukraine.", ("USA", "AID", "UKR")),
    ("Blinken called his Turkish counterpart on Monday.", ("USA", "CONSULT", "TUR")),  # no "call on"
    ("Israeli strikes killed 20 people in Gaza.", ("ISR", "ASSAULT", "PSE")),  # no state goes on strike
])
def test_review_fixes(pipeline, text, expected):
    assert expected in triples(pipeline, text)


@pytest.mark.parametrize("text", [
    "The Kenyan minister gave a press conference in Nairobi.",
    "Ireland took revenge on England in the rugby final.",
    "The Indian central bank deployed a new strategy against inflation.",
    "The Kenyan minister delivered a message to the Ugandan president.",
])
def test_review_non_events(pipeline, text):
    found = triples(pipeline, text)
    assert not {t for t in found if t[1] in ("AID", "CONCEDE", "ASSAULT", "MOBILIZE")}, found


def test_a_hunger_strike_stays_a_protest(pipeline):
    found = triples(pipeline, "A member of the Syrian parliament started a hunger strike to protest the president's decree.")
    assert not {t for t in found if t[1] == "ASSAULT"}, found


@pytest.mark.parametrize(("text", "expected"), [
    ("Erdogan and Putin held a video call.", ("TUR", "CONSULT", "RUS")),
    ("Putin spoke over a video link with Xi Jinping.", ("RUS", "CONSULT", "CHN")),
    ("The Chinese army began drills around Taiwan.", ("CHN", "MOBILIZE", "TWN")),
    ("Washington and Hanoi struck a strategic partnership.", ("USA", "AGREE", "VNM")),
    ("The Philippine foreign ministry drew a protest from China.", ("CHN", "ACCUSE", "PHL")),
    ("Niger's junta ordered the French ambassador to leave the country within 48 hours.", ("NER", "SANCTION", "FRA")),
    ("Egyptian authorities have held the activist Alaa Abd el-Fattah in prison for most of the past decade.", ("EGY", "COERCE", "EGY")),
    ("Pakistan had forcibly returned tens of thousands of Afghans.", ("PAK", "COERCE", "AFG")),
])
def test_review_fixes_second_round(pipeline, text, expected):
    assert expected in triples(pipeline, text)


def test_sympathy_for_ones_own_family_is_no_event(pipeline):
    assert not triples(pipeline, "The Argentine president's thoughts are with his ailing mother.")


def test_a_capitalised_disaster_is_no_attacker(pipeline):
    found = triples(pipeline, "Landslides triggered by monsoon rains in India's Kerala state have killed more than 150 people.")
    assert not {t for t in found if t[1] == "ASSAULT"}, found


def test_talks_a_visit_is_for_add_no_targetless_consultation(pipeline):
    found = triples(pipeline, "Turkish Foreign Minister Hakan Fidan flew to Baghdad on Tuesday for talks on water sharing.")
    assert ("TUR", "CONSULT", "IRQ") in found and ("TUR", "CONSULT", None) not in found, found


def test_a_place_near_a_border_is_no_target(pipeline):
    """ "near the border with Mali" says where, not at whom: the attack is on Niger's post."""
    found = triples(pipeline, "Gunmen in Niger attacked an army post near the border with Mali on Tuesday, killing 12 soldiers.")
    assert not {t for t in found if t[2] == "MLI"}, found
