"""The help centre's search index: every passage's sentence embedding and a BM25 index of
its words, and the one score that combines them.

The semantic part is the cosine between the message's sentence embedding (the one the
SentenceEmbeddingFeaturizer already computed) and two vectors per passage, its text and its
title with the section heading, whichever is closer: a short question often matches the
heading better than a paragraph. The lexical part is Okapi BM25 over lower-cased words
(stop words dropped, a plural "s" cut), divided by the most the query's words could score,
so that it runs from 0 to 1 like the cosine. Both are kept as plain arrays and JSON (no
pickle) in the trained model.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from company.help_articles import Passage, words

K1 = 1.2
B = 0.75
@dataclass(frozen=True)
class Match:
    """The best passage for a message and how well it matches (score from 0 to 1)."""

    passage: Passage
    score: float
    semantic: float
    lexical: float

    def to_json(self, confident: bool) -> Dict[str, Any]:
        found: Dict[str, Any] = {
            "slug": self.passage.slug, "title": self.passage.title,
            "section": self.passage.heading, "score": round(self.score, 4),
            "semantic": round(self.semantic, 4), "lexical": round(self.lexical, 4),
            "confident": confident,
        }
        if confident:
            found["passage"] = self.passage.text
        return found


class Bm25:
    """Okapi BM25 over a few hundred short documents: postings in plain dicts."""

    def __init__(self, postings: Dict[str, List[List[int]]], lengths: Sequence[int]) -> None:
        self.postings = postings  # word -> [[document, count], ...]
        self.lengths = list(lengths)
        count = len(self.lengths)
        self.average = (sum(self.lengths) / count) if count else 1.0
        self.idf = {word: math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5))
                    for word, docs in postings.items()}
        self.unknown_idf = math.log(1 + (count + 0.5) / 0.5)  # a word no document has

    @classmethod
    def build(cls, documents: Sequence[str]) -> "Bm25":
        postings: Dict[str, List[List[int]]] = {}
        lengths = []
        for index, document in enumerate(documents):
            counts = Counter(words(document))
            lengths.append(sum(counts.values()))
            for word, count in counts.items():
                postings.setdefault(word, []).append([index, count])
        return cls(postings, lengths)

    def normalised(self, query: str) -> np.ndarray:
        """Each document's score divided by the most the query could score (0 to 1)."""
        scores = np.zeros(len(self.lengths), dtype=np.float32)
        terms = Counter(words(query))
        if not terms:
            return scores
        ceiling = 0.0
        for word, times in terms.items():
            idf = self.idf.get(word, self.unknown_idf)
            ceiling += times * idf * (K1 + 1)
            for document, count in self.postings.get(word, []):
                norm = K1 * (1 - B + B * self.lengths[document] / self.average)
                scores[document] += times * idf * count * (K1 + 1) / (count + norm)
        return scores / ceiling


class HelpIndex:
    """Passages with their vectors and BM25 index; `best` gives the best match."""

    def __init__(self, passages: Sequence[Passage], vectors: np.ndarray, bm25: Bm25,
                 semantic_weight: float) -> None:
        """`vectors`: 2 rows per passage (text, then title and heading), L2-normalised."""
        self.passages = list(passages)
        self.vectors = vectors.astype(np.float32)
        self.bm25 = bm25
        self.semantic_weight = semantic_weight

    @staticmethod
    def passage_texts(passage: Passage) -> List[str]:
        """What is embedded for a passage: its text, and its title with the heading."""
        return [f"{passage.heading}. {passage.text}", f"{passage.title}: {passage.heading}"]

    @staticmethod
    def lexical_document(passage: Passage) -> str:
        return f"{passage.title}\n{passage.heading}\n{passage.text}"

    @classmethod
    def build(cls, passages: Sequence[Passage], vectors: np.ndarray,
              semantic_weight: float) -> "HelpIndex":
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return cls(passages, vectors / np.maximum(norms, 1e-9),
                   Bm25.build([cls.lexical_document(p) for p in passages]), semantic_weight)

    def scores(self, vector: Optional[np.ndarray], text: str) -> Dict[str, np.ndarray]:
        """Per passage: the semantic, lexical and combined scores."""
        count = len(self.passages)
        semantic = np.zeros(count, dtype=np.float32)
        if vector is not None:
            vector = np.asarray(vector, dtype=np.float32).reshape(-1)
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                both = self.vectors @ (vector / norm)  # one matrix-vector product
                semantic = np.maximum(both[0::2], both[1::2])
        lexical = self.bm25.normalised(text)
        weight = self.semantic_weight
        return {"semantic": semantic, "lexical": lexical,
                "combined": weight * semantic + (1 - weight) * lexical}

    def best(self, vector: Optional[np.ndarray], text: str) -> Optional[Match]:
        ranked = self.best_per_article(vector, text, 1)
        return ranked[0] if ranked else None

    def best_per_article(self, vector: Optional[np.ndarray], text: str, count: int) -> List[Match]:
        """The best passage of each of the `count` articles that match best, best first: a
        question leaning on the article just shown ("can i use two on one order" after the
        gift cards) may match another article a little better on its words alone."""
        if not self.passages:
            return []
        scores = self.scores(vector, text)
        found: List[Match] = []
        for index in np.argsort(-scores["combined"], kind="stable"):
            passage = self.passages[int(index)]
            if any(match.passage.slug == passage.slug for match in found):
                continue
            found.append(Match(passage, float(scores["combined"][index]),
                               float(scores["semantic"][index]), float(scores["lexical"][index])))
            if len(found) == count:
                break
        return found

    # --- stored in the trained model as arrays and JSON --------------------------------
    def to_json(self) -> Dict[str, Any]:
        return {
            "passages": [{"slug": p.slug, "title": p.title, "heading": p.heading, "text": p.text}
                         for p in self.passages],
            "postings": self.bm25.postings,
            "lengths": self.bm25.lengths,
            "semantic_weight": self.semantic_weight,
        }

    @classmethod
    def from_stored(cls, stored: Dict[str, Any], vectors: np.ndarray) -> "HelpIndex":
        passages = [Passage(p["slug"], p["title"], p["heading"], p["text"])
                    for p in stored["passages"]]
        return cls(passages, vectors, Bm25(stored["postings"], stored["lengths"]),
                   float(stored["semantic_weight"]))
