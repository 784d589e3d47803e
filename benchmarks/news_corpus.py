"""A synthetic corpus of news-length articles for the throughput benchmark.

Written for this project (no copied text): sentences are filled from our own
templates with countries, capitals, people and numbers. About one article in
five is a crisis report in which most sentences carry a political event; the
rest are economy, science, sport, culture and local news with one or two
political sentences at most, as in a general news feed. Every article has
400-900 words. `python benchmarks/news_corpus.py N out.jsonl` writes N.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys

STATES = [("Armenia", "Armenian", "Yerevan"), ("Azerbaijan", "Azerbaijani", "Baku"), ("Germany", "German", "Berlin"),
          ("France", "French", "Paris"), ("Russia", "Russian", "Moscow"), ("Turkey", "Turkish", "Ankara"),
          ("Iran", "Iranian", "Tehran"), ("Ukraine", "Ukrainian", "Kyiv"), ("Israel", "Israeli", "Jerusalem"),
          ("Egypt", "Egyptian", "Cairo"), ("Nigeria", "Nigerian", "Abuja"), ("Niger", "Nigerien", "Niamey"),
          ("Mali", "Malian", "Bamako"), ("Sudan", "Sudanese", "Khartoum"), ("Ethiopia", "Ethiopian", "Addis Ababa"),
          ("India", "Indian", "New Delhi"), ("Pakistan", "Pakistani", "Islamabad"), ("China", "Chinese", "Beijing"),
          ("Japan", "Japanese", "Tokyo"), ("Brazil", "Brazilian", "Brasilia"), ("Mexico", "Mexican", "Mexico City"),
          ("Canada", "Canadian", "Ottawa"), ("Poland", "Polish", "Warsaw"), ("Serbia", "Serbian", "Belgrade")]
OFFICES = ["foreign minister", "defence minister", "prime minister", "president", "interior minister"]
PEOPLE = ["Anna Keller", "Omar Haddad", "Li Wen", "Sergei Petrov", "Maria Lopes", "David Mensah", "Aylin Demir",
          "Tomas Novak", "Priya Raman", "Jonas Berg", "Fatima Diallo", "Kenji Sato"]

POLITICAL = [
    "{A} condemned the {b} military offensive in the border region on {day}.",
    "The {a} foreign ministry accused {B} of violating the ceasefire agreement.",
    "{A} and {B} agreed to hold talks in {city} next month, officials said.",
    "{b} forces shelled villages near the frontier overnight, killing at least {n} civilians.",
    "Police in {acity} arrested {n} protesters who had gathered outside parliament.",
    "Thousands of demonstrators marched through {acity} to protest against the government.",
    "{A} expelled two {b} diplomats and recalled its ambassador from {city}.",
    "The {a} president met his {b} counterpart in {city} to discuss border security.",
    "{A} threatened to impose new sanctions on {B} unless it withdrew its troops.",
    "{A} urged {B} to release the detained journalists immediately.",
    "The {a} government announced {n} million dollars in humanitarian aid for {B}.",
    "{b} troops were deployed along the border after the clashes, the defence ministry said.",
    "{A} rejected the proposal, saying it ignored the interests of the {a} people.",
    "The United Nations called on both sides to show restraint and return to negotiations.",
    "{A} praised {B} for its role in mediating the dispute.",
    "Rebels attacked an army post near {acity}, the military said.",
    "The {a} {office} visited {city} on {day} and signed a cooperation agreement.",
    "{A} denied sending weapons to the rebels, calling the reports false.",
    "{A} imposed a curfew in {acity} after a week of violent protests.",
    "The European Union criticised {B} for the crackdown on opposition parties.",
]
FILLER = [
    "The central bank left its main interest rate unchanged at {pct} percent, citing slowing inflation.",
    "Shares in the country's largest carmaker rose {pct} percent after strong quarterly sales.",
    "Analysts expect growth of about {pct} percent this year, slightly below earlier forecasts.",
    "The new bridge, which cost {n} million dollars, is expected to open to traffic in the spring.",
    "Researchers at the national university published a study on drought-resistant wheat varieties.",
    "The study, which followed {n} farms over five years, found yields up to a fifth higher.",
    "Temperatures are forecast to reach {n} degrees across the south at the weekend.",
    "The home side scored twice in the second half to win the cup final in front of {n} fans.",
    "Their coach said the squad had worked hard all season and deserved the trophy.",
    "The festival, now in its twentieth year, features films from more than {n} countries.",
    "Tickets for the opening night sold out within an hour, organisers said.",
    "The museum's new wing houses a collection of textiles and ceramics from the region.",
    "Local residents have complained for years about traffic congestion in the old town.",
    "The city council plans to add {n} kilometres of cycle lanes by the end of next year.",
    "Unemployment fell to {pct} percent in the third quarter, the statistics office reported.",
    "Exports of machinery and electronics accounted for most of the increase.",
    "The company employs about {n} people and has factories in three provinces.",
    "Consumer prices rose by {pct} percent in the year to October.",
    "Rainfall in the north was well below the long-term average for the second year running.",
    "Engineers say the repairs to the dam should be finished before the rainy season.",
    "The airline will add direct flights to four new destinations from next summer.",
    "Hospital waiting times have fallen since the new emergency department opened.",
    "Schools across the province will close for two weeks over the holidays.",
    "The book, her third novel, tells the story of a family of fishermen on the coast.",
    "Critics praised the orchestra's performance of the symphony at the new concert hall.",
    "The harvest of grapes and olives began earlier than usual because of the heat.",
    "Officials said the new railway line would cut the journey time between the two cities by half.",
    "Average house prices in the capital have doubled over the past decade.",
    "The team's captain, who has played for the club for nine years, will retire at the end of the season.",
    "Scientists hope the telescope will help answer questions about the early universe.",
    "{person}, a teacher from {acity}, said families were struggling with rising rents.",
    "\"We have never seen anything like this,\" said {person}, who has run the bakery for {n} years.",
    "The report, which runs to {n} pages, makes more than forty recommendations.",
    "Fishing boats stayed in port on {day} because of high winds and heavy seas.",
    "The market for electric scooters has grown quickly in most large cities.",
    "The government's budget for next year includes higher spending on roads and schools.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def sentence(template: str, rng: random.Random) -> str:
    (a_name, a_adj, a_city), (b_name, b_adj, b_city) = rng.sample(STATES, 2)
    return template.format(A=a_name, a=a_adj, acity=a_city, B=b_name, b=b_adj, city=b_city, day=rng.choice(DAYS),
                           n=rng.randint(2, 900), pct=round(rng.uniform(0.5, 9.5), 1), office=rng.choice(OFFICES),
                           person=rng.choice(PEOPLE))


def article(index: int, rng: random.Random) -> dict:
    crisis = rng.random() < 0.2
    target = rng.randint(400, 900)
    paragraphs, words = [], 0
    while words < target:
        paragraph = []
        for _ in range(rng.randint(2, 4)):
            political = rng.random() < (0.7 if crisis else 0.06)
            text = sentence(rng.choice(POLITICAL if political else FILLER), rng)
            paragraph.append(text)
            words += len(text.split())
        paragraphs.append(" ".join(paragraph))
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(300))
    return {"id": f"bench-{index}", "title": f"Report {index}", "source": "benchmark wire", "date": date.isoformat(),
            "text": "\n".join(paragraphs)}


def iter_articles(count: int, seed: int = 5):
    """Articles one at a time (a long run never holds the corpus in memory)."""
    rng = random.Random(seed)
    for i in range(count):
        yield article(i, rng)


def articles(count: int, seed: int = 5) -> list[dict]:
    return list(iter_articles(count, seed))


if __name__ == "__main__":
    count, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w", encoding="utf-8") as out:
        for record in articles(count):
            out.write(json.dumps(record) + "\n")
