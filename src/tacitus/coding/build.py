"""Events built from a trigger and its arguments: one per source-target pair, with implicit targets and commitments."""

from __future__ import annotations

from spacy.tokens import Token

from ..knowledge.lexicon import Frames
from .arguments import ArgumentFinder
from .coded import CodedEvent, Trigger
from .frames import FrameReader
from .mentions import ActorReader
from .syntax import (
    CIVILIAN_SECTORS,
    lemma,
)


class EventBuilder:
    """Turns a matched trigger and its arguments into `CodedEvent`s."""

    def __init__(self, frames: Frames, actors: ActorReader, args: ArgumentFinder, reader: FrameReader) -> None:
        self.frames = frames
        self.actors = actors
        self.args = args
        self.reader = reader

    def base_event(self, trigger: Trigger, verb: Token, sources, targets, rule: str) -> list[CodedEvent]:
        events = []
        pattern = trigger.pattern
        implicit = False
        if not targets and sources:
            targets = self.args.fallback_targets(trigger, verb, sources)
            implicit = bool(targets)
        for _, source in sources or [(None, None)]:
            for _, target in targets or [(None, None)]:
                if source is not None and target is not None and (source.start, source.end) == (target.start, target.end):
                    continue
                event_type, cameo = pattern.event_type, pattern.cameo
                confidence = pattern.confidence * self.reader.clause_weight(verb)
                source, target, filled = self.args.fill_domestic(source, target, pattern.event_type)
                if filled:
                    confidence *= 0.8
                elif source is not None and source.country is None and source.code is None:
                    source = self.args.sole_country(source, verb, target)
                    confidence *= 0.7
                if pattern.civilian and source is not None and (source.sector in CIVILIAN_SECTORS):
                    event_type, cameo = pattern.civilian
                if target is None and (trigger.token != verb or self.reader.clause_weight(verb) < 1):
                    confidence *= 0.6  # a side remark with no one on the receiving end
                events.append(CodedEvent(
                    source, target, event_type, pattern.mode, cameo, trigger.tokens, verb,
                    confidence=confidence * (0.8 if implicit else 1.0), rule=rule + (":implicit-target" if implicit else ""),
                ))
        return events

    def code_commitment(self, verb: Token, clause: Token) -> list[CodedEvent]:
        """An explicit commitment whose action has no pattern of its own: AGREE with no intended type."""
        sources, _ = self.args.sources_of(verb)
        targets = self.args.targets_of(clause, set())
        events = []
        for _, source in sources:
            for _, target in targets or [(None, None)]:
                event = CodedEvent(source, target, "AGREE", None, "030", (verb, clause), verb, modality="intended",
                                   confidence=0.5 * self.reader.clause_weight(verb), rule=f"frame:commitment:{lemma(verb)}")
                self.reader.apply_context(event, verb, framed=True)
                events.append(event)
        return events

    def code_obligation(self, verb: Token, consumed: set[int], trigger: Trigger | None = None) -> list[CodedEvent]:
        """ "X said Y must do Z": X requests Z of Y (REQUEST, intended type Z's)."""
        if not (self.reader.aux_words(verb) & self.frames.obligation_modals):
            return []
        speaker, how, reporter = self.reader.attribution(verb)
        if speaker is None or reporter is None:
            return []
        targets = [pair for h in self.args.subject_of(verb)[0] for pair in self.actors.actors_of(h)]
        intended = trigger.pattern.event_type if trigger else None
        cameo = self.frames.request_cameo.get(intended or "", "020")
        events = []
        for _, target in targets or [(None, None)]:
            if target is not None and (target.start, target.end) == (speaker.start, speaker.end):
                continue
            _, target, _ = self.args.fill_domestic(speaker, target, "REQUEST")
            events.append(CodedEvent(
                speaker, target, "REQUEST", None, cameo, (verb,) if trigger is None else trigger.tokens, verb,
                confidence=0.6 * self.reader.clause_weight(reporter), rule=f"frame:obligation:{lemma(reporter)}",
                modality="requested", intended_type=intended, attributed_to=speaker,
            ))
        return events
