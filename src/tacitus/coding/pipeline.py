"""From articles to events: parse, code, resolve, locate, date."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import ArticleTimeout
from ..knowledge import dates as dates_mod
from ..knowledge.actor_resolver import ActorMatcher, ActorResolver, actor_matcher
from ..knowledge.docs import doc_text
from ..knowledge.lexicon import Frames, TriggerIndex, cameo_entry, default_triggers, load_frames
from ..knowledge.names import PEOPLE_ELSEWHERE
from ..knowledge.places import Locator, Place, PlaceMatcher, gazetteer, place_matcher, to_location
from ..knowledge.successions import dated_places
from ..models import Actor, Article, Event
from ..models import Span as TextSpan
from ..read.articles import LIMITS, Problem, env_float
from ..read.checks import plausible_publication
from .budget import TimeBudget
from .coded import CodedEvent
from .coder import Coder
from .headlines import sentence_case
from .invisible import OffsetMap
from .learned import HybridLayer, model_enabled
from .nlp import load_nlp
from .prefilter import Screen, SentenceFilter
from .story import StoryAssailants, home_target

VERBAL_QUADS = (1, 3)
DEFAULT_BATCH = 16
BATCH_TOKENS = int(os.environ.get("TACITUS_BATCH_TOKENS", "20000") or 20000)  # at most this many tokens parsed at once


def token_batches(items: Iterable[tuple[Doc, Any]], size: int, max_tokens: int = BATCH_TOKENS) -> Iterator[list]:
    """(doc, context) pairs in batches of at most `size` docs and, unless one doc is longer, `max_tokens`
    tokens: the parser's memory grows with a batch's tokens, and a few very long articles drove the peak."""
    batch: list = []
    tokens = 0
    for item in items:
        if batch and (len(batch) >= size or tokens + len(item[0]) > max_tokens):
            yield batch
            batch, tokens = [], 0
        batch.append(item)
        tokens += len(item[0])
    if batch:
        yield batch


def clause_verbs(raw: CodedEvent) -> list:
    """The anchor, the trigger's verbs and the clauses that report or frame it, nearest first."""
    verbs = [t for t in raw.trigger if t.pos_ in ("VERB", "AUX")]
    current = raw.anchor
    chain = [current]
    while current.dep_ in ("ccomp", "xcomp", "conj", "parataxis") and current.head != current:
        current = current.head
        chain.append(current)
    ordered = []
    for token in verbs + chain:
        if token not in ordered:
            ordered.append(token)
    return ordered


def text_id(text: str) -> str:
    """A stable id for an article without one: hash of its normalised text."""
    normal = " ".join(text.split()).lower()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


@dataclass
class Pipeline:
    """Everything loaded once and shared by all articles."""

    nlp: Language
    actors: ActorMatcher
    places: PlaceMatcher
    triggers: TriggerIndex
    frames: Frames
    sentences: SentenceFilter
    prefilter: bool = True
    on_problem: Callable[[Problem], None] | None = None  # told of sentences over the length limit, articles over budget
    max_article_seconds: float = LIMITS.max_article_seconds
    model: HybridLayer | None = None  # the learned layer (issue 19); None: the rule coder alone

    @classmethod
    def load(cls, user_dictionaries: tuple[str, ...] = (), prefilter: bool = True, model: bool | None = None) -> Pipeline:
        """`model`: the learned layer on or off; None: env TACITUS_MODEL, else the shipped default."""
        nlp = load_nlp()
        triggers, frames, actors = default_triggers(), load_frames(), actor_matcher(nlp, user_dictionaries)
        return cls(nlp, actors, place_matcher(nlp), triggers, frames, SentenceFilter(nlp, triggers, frames, actors), prefilter,
                   max_article_seconds=env_float("TACITUS_MAX_ARTICLE_SECONDS", LIMITS.max_article_seconds),
                   model=HybridLayer.load(triggers, actors.names) if model_enabled(model) else None)

    def parser_input(self, text: str) -> tuple[Doc, Screen, OffsetMap | None]:
        """The Doc the parser sees (the kept sentences, of the pre-filter's tokens), the pre-filter's screen,
        and the map from that Doc's characters back to `text` (None: the Doc holds all of it)."""
        screen = self.sentences.screen(text)
        if not self.prefilter:  # parse everything but sentences over the length limit
            too_long = {index for index, _ in screen.too_long}
            screen = replace(screen, ranges=[(a, b, i not in too_long) for i, (a, b, _) in enumerate(screen.ranges)],
                             skipped_mentions=[], skipped_people=frozenset())
        doc, positions = self.sentences.parser_doc(screen)
        return doc, replace(screen, tokens=None), OffsetMap(text, positions) if positions is not None else None

    def extract(self, text: str, date: dt.date | None = None, article_id: str | None = None) -> list[Event]:
        """Events of one article text."""
        article = Article(text=text, id=article_id or text_id(text), date=date)
        parsed, (article, screen, offsets, kept) = self._prepared(article)
        with TimeBudget(self.max_article_seconds) as budget:
            events = list(self.code_article(article, self.nlp(parsed), screen, budget, kept))
        return [offsets.event(e) for e in events] if offsets else events

    def extract_articles(self, articles: Iterable[Article], batch_size: int = DEFAULT_BATCH) -> Iterator[tuple[Article, list[Event]]]:
        """Stream (article, events) pairs; the parser runs in batches, on the sentences that can hold an event."""
        parsed = (pair for batch in token_batches((self._prepared(a) for a in articles), batch_size)
                  for pair in self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch)))
        for doc, (article, screen, offsets, kept) in parsed:
            try:
                with TimeBudget(self.max_article_seconds) as budget:
                    events = list(self.code_article(article, doc, screen, budget, kept))
            except ArticleTimeout as exc:  # reported and left unstored, so a later run with a larger budget codes it
                if self.on_problem:
                    self.on_problem(Problem(article.origin or article.id, str(exc)))
                continue
            if offsets is not None:  # evidence and offsets in the text as given
                article = replace(article, text=offsets.original)
                events = [offsets.event(e) for e in events]
            yield article, events

    def _prepared(self, article: Article) -> tuple[Doc, tuple[Article, Screen, OffsetMap | None, OffsetMap | None]]:
        """The parser's Doc, with the article (its text cleaned), the screen, the map from the cleaned text to the
        text as given and the map from the Doc to the cleaned text."""
        if not article.id:
            article = Article(article.text, text_id(article.text), article.title, article.url,
                              article.source, article.date, article.origin)
        if article.date is not None and not plausible_publication(article.date):
            if self.on_problem:  # a date in 9999 from a Python caller: as from a file, coded without it
                self.on_problem(Problem(article.origin or article.id, f"publication date {article.date} is implausible; "
                                        "coded without a date"))
            article = replace(article, date=None)
        clean, offsets = OffsetMap.clean(article.text)  # "Isr\u00adael" is coded as "Israel"
        cased = sentence_case(clean, self.is_name)  # "Iran Downs US Drone" as "Iran downs US drone"
        if cased != clean and offsets is None:
            offsets = OffsetMap(article.text, list(range(len(article.text))))
        if offsets is not None:
            article = replace(article, text=cased)
        parsed, screen, kept = self.parser_input(article.text)
        if screen.too_long and self.on_problem:
            for index, tokens in screen.too_long:
                self.on_problem(Problem(f"{article.origin or article.id}: sentence {index + 1}",
                                        f"{tokens:,} tokens, over the limit of {self.sentences.max_tokens:,} "
                                        "(TACITUS_MAX_SENTENCE_TOKENS); not coded"))
        return parsed, (article, screen, offsets, kept)

    def is_name(self, words: str) -> bool:
        """A name the actor base or the gazetteer knows, as written."""
        return words in self.actors.knowledge.forms or words in gazetteer()

    def code_article(self, article: Article, doc: Doc, screen: Screen | None = None,
                     budget: TimeBudget | None = None, kept: OffsetMap | None = None) -> Iterator[Event]:
        """Events of a parsed article; the screen numbers its sentences and names the actors of skipped ones;
        `kept` maps a Doc of the kept sentences back to the article's text (events carry the text's offsets)."""
        starts = [start for start, _, _ in screen.ranges] if screen else []
        # an undated article is read as of today: a leader out of office is a former official (ELI)
        doc.user_data[PEOPLE_ELSEWHERE] = screen.skipped_people if screen else ()  # "Smithers said" after a skipped "Joel Smithers"
        resolver = ActorResolver(self.actors, doc, article.date or dt.date.today(), screen.skipped_mentions if screen else ())
        place_mentions = dated_places(self.places.mentions(doc), resolver.date)  # Juba in 2005 is Sudan's
        resolver.add_places(place_mentions)
        context = {entry.country for entry in resolver.named_entries() if entry.country}
        locator = Locator(place_mentions, context, doc)
        coder = Coder(self.triggers, self.frames, resolver, locator)
        assailants = StoryAssailants(self.frames.story_breaks, article.date.year if article.date else None)
        text = doc_text(doc)
        for position, sent in enumerate(doc.sents):
            sent_text = text[sent.start_char:sent.end_char]  # sent.text, without a Token object per word
            if not sent_text.strip():
                continue
            if budget is not None:
                budget.check()
            index = position
            if starts:
                first = sent.start_char + len(sent_text) - len(sent_text.lstrip())
                index = max(0, bisect.bisect_right(starts, kept.kept[first] if kept else first) - 1)
            coded = coder.code_sentence(sent)
            if self.model is not None:
                coded = self.model.revise(sent, coded, coder)
            assailants.revise(coded, index, resolver)
            seen: dict[tuple, Event] = {}
            for raw in coded:
                event = self.finish(article, doc, index, sent, raw, locator, resolver, kept)
                if event is None:
                    continue
                key = (event.source and (event.source.code, event.source.start), event.target and (event.target.code, event.target.start),
                       event.event_type, event.trigger.start, event.polarity, event.modality)
                if key not in seen or seen[key].confidence < event.confidence:
                    seen[key] = event
            yield from sorted(seen.values(), key=lambda e: (e.trigger.start, e.event_id))

    def finish(self, article: Article, doc: Doc, index: int, sent: Span, raw: CodedEvent,
               locator: Locator, resolver: ActorResolver, kept: OffsetMap | None = None) -> Event | None:
        """Attach place, date, codes and ids to a coded event; offsets and the id are the article text's."""
        source, target = raw.source, raw.target
        if source is not None and not (source.country or source.code):
            return None
        if source is None and target is None:
            return None
        if source is None and not (target and (target.country or target.code)):
            return None
        if target is not None and not (target.country or target.code):
            target = None
        entry = cameo_entry(raw.cameo)
        start = min(t.idx for t in raw.trigger)
        end = max(t.idx + len(t.text) for t in raw.trigger)
        trigger = TextSpan(doc_text(doc)[start:end], start, end)
        foreign_breach = ":violation" in raw.rule and not (source and source.sector == "JUD")  # a court rules on its own state's acts
        unknown_doer = ":no-doer" in raw.rule  # "alleged Navalny was poisoned": by whom, the text does not say
        implied = None if target is not None or foreign_breach or unknown_doer or ":home-source" in raw.rule else home_target(
            source, raw.event_type, raw.cameo, (trigger.text, start, end), sent, locator, resolver)
        target, rule = target or implied, raw.rule + (":home-target" if implied is not None else "")
        place = self.place_of(raw, sent, locator, resolver, entry.quad_class)
        when = self.date_of(raw, sent, article.date)
        confidence = round(max(0.05, min(0.99, raw.confidence)), 3)
        sentence_text = doc_text(doc)[sent.start_char:sent.end_char].rstrip()
        sentence_start = sent.start_char + len(sentence_text) - len(sentence_text.lstrip())
        sentence_text = sentence_text.lstrip()
        event = Event(
            event_id="", article_id=article.id, sentence_index=index, sentence=sentence_text,
            source=source, target=target, event_type=raw.event_type, mode=raw.mode, cameo=raw.cameo,
            quad_class=entry.quad_class, goldstein=entry.goldstein, trigger=trigger,
            polarity=raw.polarity, modality=raw.modality, intended_type=raw.intended_type,
            attributed_to=raw.attributed_to, location=to_location(place),
            date=when[0].isoformat() if when[0] else None, date_precision=when[1], date_text=when[2],
            confidence=confidence, rule=rule, sentence_start=sentence_start,
        )
        if kept is not None:
            event = kept.event(event)
        source, target, trigger = event.source, event.target, event.trigger
        key = "|".join(str(x) for x in (article.id, index, trigger.start, trigger.end, source and (source.code, source.start),
                                         target and (target.code, target.start),
                                         raw.event_type, raw.polarity, raw.modality))
        return replace(event, event_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:20])

    def place_of(self, raw: CodedEvent, sent: Span, locator: Locator, resolver: ActorResolver, quad: int) -> Place | None:
        """Where the event happened, most specific evidence first.

        The locative phrase of its clause ("clashed ... in Yerevan"); for material
        events the target's territory; a locative place of the sentence; then the
        place the sentence is about (its target's country, another place it
        names); then the article's main country.
        """
        for token in (raw.trigger[-1], raw.anchor):
            place = locator.locative(token)
            if place:
                return place
        skip: set[int] = set()
        for actor in (raw.source, raw.attributed_to):
            if actor is not None:
                skip.update(t.i for t in sent if actor.start <= t.idx < actor.end)
        target_place = self.place_in_span(raw.target, sent, locator)
        if quad not in VERBAL_QUADS and target_place is not None:
            return target_place
        place = locator.in_sentence(sent, skip)
        if place is not None:
            return place
        if target_place is not None:
            return target_place
        if raw.target is not None and raw.target.country:
            found = locator.country_place(raw.target.country)
            if found is not None:
                return found
        place = locator.any_in_sentence(sent, skip)
        if place is not None:
            return place
        focus = resolver.focus_country()
        return locator.country_place(focus) if focus else None

    @staticmethod
    def place_in_span(actor: Actor | None, sent: Span, locator: Locator) -> Place | None:
        if actor is None:
            return None
        for mention in locator.mentions:
            token = sent.doc[mention.start]
            if actor.start <= token.idx < actor.end:
                return locator.pick(mention)
        return None

    def date_of(self, raw: CodedEvent, sent: Span, published: dt.date | None) -> tuple[dt.date | None, str, str | None]:
        """The date expression of the event's clause, else the publication date for current events."""
        future = raw.modality in ("intended", "threatened", "requested")
        found = dates_mod.find_dates(sent.text, published, future=future, offset=sent.start_char)
        reporting = clause_verbs(raw)
        best = None
        for mention in found:
            token = next((t for t in sent if t.idx >= mention.start), None)
            if token is None:
                continue
            owner = token
            while owner.pos_ not in ("VERB", "AUX") and owner.head != owner:
                owner = owner.head
            if owner in reporting:
                rank = reporting.index(owner)
                if best is None or rank < best[0]:
                    best = (rank, mention)
        if best is not None:
            mention = best[1]
            return mention.date, mention.precision if mention.date else "unknown", mention.text
        if published is None:
            return None, "unknown", None
        anchor = raw.anchor
        if any(c.lower_ in self.frames.background_adverbs for c in anchor.children):
            return None, "unknown", None
        if any(c.lower_ == "had" and c.dep_ == "aux" for c in anchor.children):
            return None, "unknown", None
        return published, "day", None


_PIPELINES: dict[tuple[str, ...], Pipeline] = {}


def default_pipeline(dictionaries: tuple[str, ...] = ()) -> Pipeline:
    """One shared pipeline per set of user dictionaries."""
    if dictionaries not in _PIPELINES:
        _PIPELINES[dictionaries] = Pipeline.load(dictionaries)
    return _PIPELINES[dictionaries]


def extract(text: str, date: dt.date | str | None = None, dictionaries: Iterable[str] = ()) -> list[Event]:
    """Events of one article: `tacitus.extract(text, date="2023-09-19")`; `dictionaries`: user actor files."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return default_pipeline(tuple(dictionaries)).extract(text, date)


def extract_articles(articles: Iterable[Article], dictionaries: Iterable[str] = ()) -> Iterator[Event]:
    """Events of many articles, streamed in input order."""
    for _, events in default_pipeline(tuple(dictionaries)).extract_articles(articles):
        yield from events


__all__ = ["Actor", "Pipeline", "extract", "extract_articles", "text_id"]
