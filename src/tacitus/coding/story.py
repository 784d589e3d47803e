"""What a story has already said, read back into later sentences of the same article.

An analyst reads an article in order: once the lead says who attacked, "the woman was
killed in a stairwell" three sentences later is that attacker's deed, not an attack by
no one (GUIDELINES: earlier sentences of the same article are context).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..knowledge.actor_resolver import ActorResolver
from ..knowledge.docs import sentence_of
from ..knowledge.lexicon import Frames
from ..knowledge.places import Locator
from ..models import Actor
from .coded import CodedEvent, Trigger
from .syntax import lemmas_of

DONE = frozenset({"actual", "claimed"})  # attacks that happened (or are said to have happened)
TAKING_GROUND = "192"  # "the town was recaptured from X": told with its loser, never a victim of the story's attacker
REACH = 5  # sentences after the attacker's last attack in which a doer-less attack is still theirs
FIGHTERS = frozenset({"UAF", "REB", "INS"})  # "four of the gunmen were killed": victims who may be the attackers


class StoryAssailants:
    """The attacker a story leads with, given to its later attacks that name no doer.

    Only the first attacker counts: later ones are mostly responders ("police shot him dead"),
    and an attack on the attacker himself is never his own.
    """

    def __init__(self, breaks: frozenset[str], year: int | None) -> None:
        self.breaks = breaks
        self.year = year
        self.first: Actor | None = None
        self.attackers: set[str] = set()  # the country (or organisation) of every attacker so far
        self.last_seen = 0  # the sentence of the first attacker's latest attack

    def revise(self, events: list[CodedEvent], position: int, resolver: ActorResolver) -> None:
        """Give the story's attacker to the doer-less attacks among `events`, of sentence `position`, while
        no other side has attacked in the story, unless the sentence names the attacker in another role ("recaptured
        from the Houthis"), the victims are fighters (perhaps the attackers themselves) or the sentence
        steps out of the story ("separately", "a week earlier", another year)."""
        for event in events:
            if event.event_type != "ASSAULT" or event.polarity != "affirmed" or event.modality not in DONE:
                continue
            source, target = event.source, event.target
            if source is not None:
                if self.first is None and (source.country or source.code):
                    self.first = source
                if source.key:
                    self.attackers.add(source.key)  # sides, not units: "US forces" and "the United States" are one
                if self.first is not None and source.code == self.first.code:
                    self.last_seen = position
                continue
            if self.first is None or target is None or len(self.attackers) > 1 or event.cameo == TAKING_GROUND \
                    or target.code == self.first.code or target.sector in FIGHTERS or position - self.last_seen > REACH \
                    or self.named_in(event.anchor.sent, resolver) or self.steps_out(event):
                continue
            event.source = self.first  # the evidence is where the story named them
            event.rule += "+story_assailant"

    def named_in(self, sent: Span, resolver: ActorResolver) -> bool:
        """The sentence names the attacker itself, in some other role."""
        marks = {value for value in (self.first.code, self.first.name) if value} if self.first is not None else set()
        return any(sent.start <= m.start < sent.end and {m.entry.code, m.entry.name} & marks for m in resolver.mentions)

    def steps_out(self, event: CodedEvent) -> bool:
        sent = event.anchor.sent
        years = {int(t.text) for t in sent if t.like_num and len(t.text) == 4 and t.text.isdigit() and 1900 < int(t.text) < 2100}
        return any(t.lower_ in self.breaks for t in sent) or bool(years - {self.year})


# Types whose actor, acting at home with no one named on the receiving end, acts on its own country:
# "Biden criticised the move", "the president insists the budget include funding for the wall",
# "Barr refused to hand over the documents", "the prime minister pledged to hold elections" (partners of
# meetings and aid are never implied).
HOME_TARGET_TYPES = frozenset({"ACCUSE", "REQUEST", "REJECT", "SANCTION", "SUPPORT", "THREATEN", "CONCEDE", "COERCE",
                               "ASSAULT", "RETREAT", "AGREE"})  # "resigned as governor": yielding at home


INWARD_SECTORS = frozenset({"OPP", "JUD", "LEG", "COP", "CVL", "PTY", "EDU", "LAB", "REB", "INS", "UAF", "CRM", "MED",
                            "JRN", "BUS", "REL", "HRI", "AGR", "REF"})  # who act at home whatever else the story names


def home_target(source: Actor | None, event_type: str, cameo: str, trigger: tuple[str, int, int], sent: Span,
                locator: Locator, resolver: ActorResolver) -> Actor | None:
    """The source's own country as the target of a domestic event that names none, in a story set there;
    the evidence is the trigger, as for any implied argument. A verdict on a deed of no named doer in a story
    set at home ("condemned the riots") is read the same way: the doers are the country's own."""
    if source is None or not source.country or event_type not in HOME_TARGET_TYPES or cameo.startswith("023"):
        return None  # an appeal for aid is made to donors, never to one's own country
    if source.sector == "BUS" and event_type in ("CONCEDE", "AGREE", "RETREAT"):
        return None  # a firm's own decisions ("dropped plans to open outlets") are aimed at its market, not a state
    if event_type == "ASSAULT" and source.sector is None:
        return None  # a state's own operation at home ("Azerbaijan's operation") is against a region it names elsewhere
    story = locator.article_country()
    home = story.country if story is not None else resolver.focus_country()
    text, start, end = trigger
    if source.country != home or not (source.sector in INWARD_SECTORS or domestic(resolver, home, sent)):
        return None  # a state's voice abroad ("China criticised the remarks") is aimed at whoever the story names
    return Actor(text, start, end, home, home, home, None)


INSTRUMENT_TYPES = frozenset({"CONCEDE", "RETREAT"})  # a state undoing its own bills and curfews (one imposed may be an
# occupier's or a rebel's: "Russian troops took Kherson ... a curfew was imposed")


def home_source(verb: Token, trigger: Trigger, locator: Locator, resolver: ActorResolver, frames: Frames) -> Actor | None:
    """ "The bill was suspended after the protests", "the curfew was lifted": a state's own instrument
    (frames state_instruments) undone in the passive with no doer named is its government's act, the state the
    story is set in; the evidence is the verb, as for any implied argument. The trigger is the verb and the
    instrument alone (not "suspended ... after traders protested")."""
    if trigger.pattern.event_type not in INSTRUMENT_TYPES or verb.pos_ != "VERB" or any(c.dep_ == "agent" for c in verb.children) \
            or not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    instruments = [c.i for c in verb.children if c.dep_ == "nsubjpass" and lemmas_of(c.doc)[c.i] in frames.state_instruments]
    if not instruments or not {t.i for t in trigger.tokens} <= {verb.i, *instruments}:
        return None
    story = locator.article_country()  # a bill or a curfew is its own state's, whoever else the story names (sanctions
    home = story.country if story is not None else resolver.focus_country()  # between states are no such instrument)
    return None if home is None else Actor(verb.text, verb.idx, verb.idx + len(verb.text), home, f"{home}GOV", home, "GOV")


NEARBY = 2  # sentences either side in which a foreign actor makes a state's act a foreign one


def domestic(resolver: ActorResolver, home: str, sent: Span) -> bool:
    """No other state, organisation or foreign person is named within two sentences of `sent`, so what a state's
    voice does without a named target is done at home ("China criticised the remarks" next to a sentence
    naming the Japanese prime minister is aimed at Japan, not China)."""
    doc, first, last = sent.doc, sent, sent
    for _ in range(NEARBY):  # the neighbouring sentences, found from this one rather than from the whole doc
        first = sentence_of(doc[first.start - 1]) if first.start > 0 else first
        last = sentence_of(doc[last.end]) if last.end < len(doc) else last
    return all(m.entry.country == home for m in resolver.mentions if first.start <= m.start < last.end
               and m.entry.kind != "region" and (m.entry.country or m.entry.code))


def accident_story(token: Token, frames: Frames) -> bool:
    """The article so far tells of a disaster or an accident ("a powerful earthquake struck", "the plane crashed")
    and of no violence: the dead and injured it counts later are no one's victims ("the tremor left five dead",
    "a bystander was also injured")."""
    doc = token.doc
    first = doc.user_data.get("tacitus_first_disaster")
    if first is None:  # where the article first tells of a disaster and of violence, found once per article
        lemmas, never = lemmas_of(doc), len(doc)
        first = doc.user_data["tacitus_first_disaster"] = (
            next((i for i, word in enumerate(lemmas) if word in frames.disaster_words), never),
            next((i for i, word in enumerate(lemmas) if word in frames.violent_words), never))
    end = sentence_of(token).end
    return first[0] < end <= first[1]
