"""Articles in, coded events out: the extractor interface and the rule-based extractor."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.actors.offices import Incumbents, load_incumbents
from kg.actors.resolution import Gazetteer, load_gazetteer
from kg.errors import ConfigurationError
from kg.extraction.coding import Coded, SentenceCoder
from kg.extraction.confidence import ConfidenceModel, event_features, load_confidence_model
from kg.extraction.dates import resolve_date
from kg.extraction.earlier import EarlierActs
from kg.extraction.lexicon import Cues, Lexicon, load_cues, load_lexicon
from kg.extraction.mentions import MentionResolver
from kg.extraction.pipeline import english_words, load_pipeline, split_paragraphs
from kg.models import Article, Event
from kg.settings import Settings

__all__ = ["EXTRACTORS", "ArticleEvents", "Extractor", "RuleExtractor", "make_extractor"]

_VAGUE_DATES = ("week", "month", "year", "recent", "ago")

#: With ``n_process=0`` (auto), batches at least this long are parsed by two processes:
#: forking workers costs about a second, which pays only on a batch (measured in
#: benchmarks/throughput.py: 1.25x on seeds/, see the README).
AUTO_PARALLEL_MIN_ARTICLES = 16
AUTO_PARALLEL_MAX_PROCESSES = 2


@dataclass(frozen=True, slots=True)
class ArticleEvents:
    """The events of one article, with the number of words parsed (for throughput)."""

    article: Article
    events: list[Event]
    words: int


class Extractor(Protocol):
    """Anything that turns articles into events; chosen by name in ``EXTRACTORS``."""

    def extract(self, articles: Iterable[Article]) -> Iterator[ArticleEvents]: ...


class RuleExtractor:
    """spaCy parse + gazetteer entity ruler + dependency rules + the trigger lexicon."""

    def __init__(
        self,
        nlp: Language,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        cues: Cues,
        base_iri: str,
        batch_size: int = 8,
        n_process: int = 0,
        confidence_model: ConfidenceModel | None = None,
        min_confidence: float = 0.0,
        incumbents: Incumbents | None = None,
    ) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.cues = cues
        self.base_iri = base_iri
        self.batch_size = batch_size
        self.n_process = n_process
        self.confidence_model = confidence_model
        self.min_confidence = min_confidence
        self.incumbents = incumbents  # who held a top office when ("the president")
        self.words = english_words(nlp)

    @classmethod
    def from_settings(cls, settings: Settings) -> RuleExtractor:
        gazetteer = load_gazetteer(settings.gazetteers)
        nlp = load_pipeline(settings.spacy_model, gazetteer)
        return cls(
            nlp,
            gazetteer,
            load_lexicon(),
            load_cues(),
            settings.base_iri,
            settings.batch_size,
            settings.n_process,
            load_confidence_model(),
            settings.min_confidence,
            load_incumbents(),
        )

    def extract(self, articles: Iterable[Article]) -> Iterator[ArticleEvents]:
        """Events of each article, in input order; paragraphs are parsed in batches.

        Paragraphs are tagged with their article's position in the input, never with
        the article object itself: with ``n_process > 1`` spaCy hands contexts back as
        copies, so object identity would split one article into several pieces."""
        n_process = self.n_process or self._auto_processes(articles)
        waiting: dict[int, Article] = {}
        pending: list[tuple[int, Doc]] = []
        current: int | None = None
        for doc, (position, offset) in self.nlp.pipe(
            self._paragraphs(articles, waiting),
            as_tuples=True,
            batch_size=self.batch_size,
            n_process=n_process,
        ):
            if current is not None and position != current:
                yield self._article_events(waiting.pop(current), pending)
                pending = []
            current = position
            if doc is not None:
                pending.append((offset, doc))
        if current is not None:
            yield self._article_events(waiting.pop(current), pending)

    @staticmethod
    def _auto_processes(articles: Iterable[Article]) -> int:
        """Two processes for a known batch of many articles, else one (streams stay lazy)."""
        if isinstance(articles, Sized) and len(articles) >= AUTO_PARALLEL_MIN_ARTICLES:
            return max(1, min(AUTO_PARALLEL_MAX_PROCESSES, os.cpu_count() or 1))
        return 1

    def extract_one(self, article: Article) -> list[Event]:
        return next(iter(self.extract([article]))).events

    @staticmethod
    def _paragraphs(
        articles: Iterable[Article], waiting: dict[int, Article]
    ) -> Iterator[tuple[str, tuple[int, int]]]:
        """(paragraph, (article position, character offset)); each article read is kept
        in ``waiting`` until its events are yielded, so memory follows the batch size."""
        for position, article in enumerate(articles):
            waiting[position] = article
            paragraphs = list(split_paragraphs(article.text))
            if not paragraphs:
                yield "", (position, 0)
            for offset, text in paragraphs:
                yield text, (position, offset)

    def _article_events(self, article: Article, docs: list[tuple[int, Doc]]) -> ArticleEvents:
        mentions = MentionResolver(
            self.gazetteer, self.cues, self.base_iri, self.words, self.incumbents, article.date
        )
        coder = SentenceCoder(self.lexicon, self.cues, mentions)
        earlier = EarlierActs(self.cues)  # "criticized the decision" named before
        events: list[Event] = []
        words = 0
        for offset, doc in docs:
            words += sum(1 for t in doc if not t.is_punct and not t.is_space)
            mentions.start_document(doc, offset)
            for sentence in doc.sents:
                coded_events = list(coder.code(sentence))
                coded_events = [earlier.owner(coded) for coded in coded_events]
                for coded in coded_events:
                    earlier.note(coded)
                earlier.next_sentence()
                for coded in coded_events:
                    event = self._event(article, offset, sentence, coded, mentions)
                    if event.confidence >= self.min_confidence:
                        events.append(event)
        return ArticleEvents(article, events, words)

    def _event(
        self, article: Article, offset: int, sentence: Span, coded: Coded, mentions: MentionResolver
    ) -> Event:
        date, inferred = self._date(coded.trigger, article.date, mentions)
        trigger = coded.trigger
        return Event(
            article=article.id,
            sentence=sentence.text.strip(),
            sentence_start=offset + sentence.start_char,
            sentence_end=offset + sentence.end_char,
            source=coded.source.actor,
            target=coded.target.actor if coded.target else None,
            action=coded.match.lemma,
            code=coded.code,
            trigger_start=offset + trigger.idx,
            trigger_end=offset + trigger.idx + len(trigger.text),
            date=date,
            date_inferred=inferred,
            location=self._location(trigger, mentions),
            confidence=self._confidence(coded),
            source_text=coded.source.text,
            target_text=coded.target.text if coded.target else None,
            extras={
                "kind": coded.kind,
                "context": list(coded.match.context),
                "features": self._features(coded),
                "rules_confidence": round(coded.confidence, 3),
            },
        )

    @staticmethod
    def _features(coded: Coded) -> list[str]:
        target = coded.target.how if coded.target else None
        return event_features(coded.kind, coded.source.how, target, coded.code)

    def _confidence(self, coded: Coded) -> float:
        """The calibrated probability that the event is right (the rules' score when no
        calibration is loaded)."""
        score = coded.confidence
        if self.confidence_model is not None:
            score = self.confidence_model.score(self._features(coded), coded.confidence)
        return round(max(0.01, min(1.0, score)), 3)

    def _date(
        self, trigger: Token, published: dt.date | None, mentions: MentionResolver
    ) -> tuple[dt.date | None, bool]:
        """The date stated in the trigger's clause, else the publication date (inferred).
        A date on the verb the trigger's clause complements dates the report, not the act:
        in "the military killed Soleimani, the Pentagon said late on Thursday" Thursday is
        when it was said, in "admitted on Saturday that they had shot down" when admitted."""
        anchors = [trigger] if trigger.dep_ in ("ccomp", "parataxis") else [trigger, trigger.head]
        for anchor in anchors:
            for token in anchor.subtree:
                ent = mentions.entity(token)
                if ent is None or ent.label_ != "DATE" or not _governed_by(token, anchor, 3):
                    continue
                day = resolve_date(ent.text, published)
                if day is not None:
                    vague = any(word in ent.text.lower() for word in _VAGUE_DATES)
                    return day, vague
        return published, True

    def _location(self, trigger: Token, mentions: MentionResolver) -> str | None:
        for anchor in (trigger, *[c for c in trigger.children if c.dep_ == "dobj"]):
            for prep in anchor.children:
                if prep.dep_ != "prep" or prep.lower_ not in self.cues.location_prepositions:
                    continue
                for pobj in prep.children:
                    ent = mentions.entity(pobj)
                    if ent is not None and ent.label_ in ("GPE", "LOC", "FAC"):
                        return _strip_article(ent.text)
                    for token in pobj.subtree:
                        ent = mentions.entity(token)
                        if ent is not None and ent.label_ in ("GPE", "LOC", "FAC"):
                            return (
                                _strip_article(ent.text)
                                + ("" if token.head.i != pobj.i else " " + pobj.text).rstrip()
                            )
        return None


def _governed_by(token: Token, anchor: Token, depth: int) -> bool:
    node = token
    for _ in range(depth):
        if node.head.i == anchor.i:
            return True
        if node.head.i == node.i or node.head.pos_ == "VERB":
            return False
        node = node.head
    return False


def _strip_article(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


#: Extractors by name; add a new one here (for example a dictionary- or LLM-based coder).
EXTRACTORS: dict[str, Callable[[Settings], Extractor]] = {"rules": RuleExtractor.from_settings}


def make_extractor(name: str, settings: Settings) -> Extractor:
    try:
        factory = EXTRACTORS[name]
    except KeyError:
        known = ", ".join(sorted(EXTRACTORS))
        raise ConfigurationError(f"unknown extractor {name!r}; choose one of: {known}") from None
    return factory(settings)
