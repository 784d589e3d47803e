"""Templated GOV terms: ministries, ministers, secretaries, departments."""
TOPICS = """finance; economy; economic affairs; trade; foreign trade; commerce; industry; energy; oil; petroleum;
mining; mines; health; public health; education; higher education; justice; labour; labor; agriculture; environment;
transport; transportation; communications; information; culture; tourism; sports; youth; social affairs; social welfare;
welfare; home affairs; internal affairs; foreign affairs; religious affairs; women's affairs; veterans affairs; housing;
planning; water; water resources; electricity; power; telecommunications; science; technology; public works;
infrastructure; emergency situations; emergencies; immigration; reconstruction; national security; public security;
fisheries; forestry; land; lands; development; international cooperation; refugees; displacement; minorities;
local government; regional development; economic development; unification; endowments; aviation; natural resources;
climate; budget; revenue; treasury; war; national defence; national defense; security; family; human rights;
digital affairs; european affairs; public administration; interior; defence; defense; migration; intelligence;
state security; home; foreign; economics; trade and industry; municipal affairs; territorial administration; diaspora;
media; propaganda; peace; reintegration; civil aviation; food; statistics"""
topics = [t.strip() for t in TOPICS.replace("\n", " ").split(";") if t.strip()]
# adjectival forms only make "X ministry / X minister" (not "ministry of X")
ADJ_ONLY = {"foreign", "home"}
# "ministry of X" is SPY for these bodies
SPY_MINISTRY = {"intelligence", "state security"}
rows = []
for t in topics:
    msec = "SPY" if t in SPY_MINISTRY else "GOV"
    rows.append((msec, "n", f"{t} ministry"))
    rows.append(("GOV", "y", f"{t} minister"))
    if t not in ADJ_ONLY:
        rows.append((msec, "n", f"ministry of {t}"))
        rows.append(("GOV", "y", f"minister of {t}"))
        rows.append(("GOV", "y", f"minister for {t}"))
    if t in {"interior", "economy", "environment", "treasury"}:
        rows.append((msec, "n", f"ministry of the {t}"))
        rows.append(("GOV", "y", f"minister of the {t}"))
# deputy ministers: several per ministry, so not one-person offices
for t in ["foreign", "defence", "defense", "interior", "finance", "economy", "justice", "health", "energy", "trade", "oil", "education", "agriculture", "information", "culture"]:
    rows.append(("GOV", "n", f"deputy {t} minister"))
    rows.append(("GOV", "n", f"vice {t} minister"))
    rows.append(("GOV", "n", f"deputy minister of {t}"))
# US/UK-style secretaries and departments
for t in ["treasury", "commerce", "energy", "health", "education", "labor", "labour", "agriculture", "transportation", "transport",
          "interior", "homeland security", "home", "culture", "business", "trade", "environment", "justice", "veterans affairs",
          "housing", "northern ireland", "scotland", "wales", "navy", "army", "air force", "war", "work and pensions",
          "international development", "climate", "health and human services", "levelling up", "brexit", "immigration", "state"]:
    if t == "state":
        continue
    rows.append(("GOV", "y", f"{t} secretary"))
for t in ["defense", "defence", "commerce", "energy", "agriculture", "labor", "education", "transportation", "homeland security",
          "health", "war", "the navy", "the army", "the treasury", "the interior", "veterans affairs", "housing"]:
    rows.append(("GOV", "y", f"secretary of {t}"))
for t in ["treasury", "commerce", "justice", "energy", "homeland security", "agriculture", "labor", "education", "interior",
          "health", "transportation", "veterans affairs", "housing", "war", "immigration", "information", "foreign affairs", "home affairs"]:
    rows.append(("GOV", "n", f"{t} department"))
for t in ["justice", "defense", "defence", "state", "commerce", "energy", "homeland security", "the treasury", "agriculture", "labor",
          "education", "health", "the interior", "transportation", "foreign affairs", "home affairs", "immigration"]:
    rows.append(("GOV", "n", f"department of {t}"))
