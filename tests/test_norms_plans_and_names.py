"""Norms broken, plans made, forecasts, refused demands and names that say who (or where from): readings an
analyst would check (invented examples, none from an evaluation set)."""

from __future__ import annotations

import pytest

from coded import DAY, triples


@pytest.mark.parametrize(("text", "expected"), [
    # a deed that goes against, runs counter to or conflicts with a norm is judged like one that violates it
    ("The Egyptian foreign minister said the Turkish deployment goes against the UN Security Council resolution.",
     ("EGY", "ACCUSE", "TUR")),
    ("Greece said the Turkish decision runs counter to international law.", ("GRC", "ACCUSE", "TUR")),
    # "it ... for X to V" judges X
    ("The Egyptian minister said it was unacceptable for Israel to build new settlements.", ("EGY", "ACCUSE", "ISR")),
    ("Germany called the Chinese decision inappropriate.", ("DEU", "ACCUSE", "CHN")),
    # mass violence committed or carried out, though a guard keeps "commit" alone (AGREE) from crimes
    ("Serbian forces carried out a massacre of Bosnian Muslims.", ("SRB", "ASSAULT", "BIH")),
    ("The militants committed genocide against the Yazidis in Iraq.", ("IRQ", "ASSAULT", "IRQ")),
    # a plan made, held or unveiled voices its infinitive
    ("The French government unveiled a plan to withdraw troops from Mali.", ("FRA", "AGREE", "MLI")),
    ("The EU adopted a plan to provide Ukraine with artillery shells.", (None, "AGREE", "UKR")),
    # a demand not met is refused
    ("The Hong Kong government did not accede to the protesters' demands.", ("HKG", "REJECT", "HKG")),
    # a noun stranded as a second object before its own verb's auxiliaries is that verb's subject
    ("Trump said US troops had defeated ISIS and Turkey would be moving into northern Syria.", ("TUR", "THREATEN", "SYR")),
    # whoever is behind an attack, or takes part in it, did it
    ("Russia was behind the poisoning of a Ukrainian journalist.", ("RUS", "ASSAULT", "UKR")),
    ("Hezbollah fighters participated in the assault on the Syrian town.", ("LBN", "ASSAULT", "SYR")),
    # a body named by its word alone after its full name is the same body
    ("Houthi rebels attacked a Saudi oil facility on Saturday. The rebels also fired missiles at Riyadh.",
     ("YEM", "ASSAULT", "SAU")),
])
def test_readings(pipeline, text, expected):
    assert expected in triples(pipeline, text)


@pytest.mark.parametrize(("text", "unexpected"), [
    # a norm-breaking phrase needs a norm: going against rebels is no verdict
    ("The Egyptian minister said the Turkish army went against the rebels.", ("EGY", "ACCUSE", "TUR")),
    # no plans is no plan, and plans that others report are no stated intention
    ("The Kremlin unveiled no plans to deploy troops to Transnistria.", ("RUS", "THREATEN", "MDA")),
    ("The Pentagon said Iran was developing plans to attack American bases.", ("IRN", "THREATEN", "USA")),
    ("The Pentagon published a plan to deploy more troops to Poland.", ("USA", "THREATEN", "POL")),
    # a demand still pending is not refused
    ("Israel has not yet accepted the demands of Hamas.", ("ISR", "REJECT", "PSE")),
    # ordinary crime stays out (GUIDELINES): "commit" alone is kept from crimes
    ("A Kenyan man committed murder in Nairobi.", ("KEN", "AGREE", "KEN")),
    # the maker is not the user
    ("Russian-made jets bombed the Syrian town of Idlib.", ("RUS", "ASSAULT", "SYR")),
    # a crowd that disperses is coerced by no one; embracing an idea supports no actor
    ("Hong Kong police arrived and the crowds dispersed.", ("HKG", "COERCE", None)),
    ("The Zimbabwean leader embraced Marxism as a student.", ("ZWE", "SUPPORT", None)),
    # a crime committed is no commitment
    ("The Iraqi minister committed a grave error.", ("IRQ", "AGREE", None)),
    # an office taken over, a barrier breached and votes that aid a candidate are no seizure, defiance or aid
    ("Russia took over the presidency of the UN Security Council.", ("RUS", "ASSAULT", None)),
    ("The Taliban attackers used an armoured vehicle to breach the compound's defences in Kabul.", ("AFG", "REJECT", "AFG")),
    ("Sanders was aided by the votes of younger people in Iowa.", ("USA", "AID", None)),
    # "not V1 or V2" denies both; going somewhere to do something is no intention stated
    ("The American president did not concede or admit defeat.", ("USA", "CONCEDE", "USA")),
    ("The Iranian protesters had gone to the square to defend the right of children to education.", ("IRN", "AGREE", "IRN")),
])
def test_non_readings(pipeline, text, unexpected):
    assert unexpected not in triples(pipeline, text)


def test_a_contrast_keeps_its_second_verb_and_support_still_aids(pipeline):
    assert ("RUS", "ASSAULT", "UKR") in triples(pipeline, "Russia did not attack Kyiv but shelled Kharkiv.")
    assert ("RUS", "ASSAULT", "UKR") in triples(pipeline, "Russian troops took over a Ukrainian border post.")
    assert {t for t in triples(pipeline, "Iranian support has aided the Houthis in Yemen.") if t[1] == "AID"}
    assert {t for t in triples(pipeline, "The Turkish president will go to Moscow to meet Putin.", modality=True)
            if t[1] == "AGREE" and t[3] == "intended"}


def test_a_schedule_or_forecast_is_hypothetical_and_below_the_cut(pipeline):
    found = [e for e in pipeline.extract("The Burundian president was due to stand down in August.", DAY) if e.polarity == "affirmed"]
    assert not [e for e in found if e.event_type == "AGREE"]
    assert all(e.modality == "hypothetical" and e.confidence < 0.3 for e in found)
    forecast = triples(pipeline, "Russia is likely to attack Ukraine again.", modality=True)
    assert ("RUS", "ASSAULT", "UKR", "hypothetical") in forecast and ("RUS", "THREATEN", "UKR", "threatened") not in forecast
    for text in ("It is commonplace for new British governments to suspend parliament.",  # a generic statement
                 "The Iranian president was slated to visit Pakistan."):  # a schedule, in the passive
        assert not triples(pipeline, text, min_confidence=0.3)


def test_what_a_signed_decree_does_the_signer_does(pipeline):
    found = [e for e in pipeline.extract("The Tunisian Prime Minister signed a government decree banning the niqab in "
                                         "public institutions.", DAY) if e.event_type == "COERCE"]
    assert found and found[0].source.sector == "GOV" and found[0].source.text == "Tunisian Prime Minister"
    assert found[0].confidence >= 0.3


def test_a_body_that_is_behind_a_wall_did_nothing(pipeline):
    assert not triples(pipeline, "The Egyptian army is behind the wall.")
    assert ("TUR", "CONSULT", "GRC") not in triples(pipeline, "The Turkish minister was responsible for the talks with Greece.")


def test_an_apposition_that_names_replaces_the_words_it_names(pipeline):
    text = "The militant organisation, the Islamic State, claimed responsibility for the attack in Tunisia."
    sources = {e.source.code for e in pipeline.extract(text, DAY) if e.event_type == "ASSAULT" and e.source}
    assert sources and all(code.startswith("IMG") for code in sources)
