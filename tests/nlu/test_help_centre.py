"""Retrieval quality of the help centre in the trained model: on the labelled questions of
tests/nlu/help_questions.py, the right article comes first for nearly all of them and is
confident enough to answer with, and no unrelated question gets a confident answer.

Measured with the model of 2026-11-30 (semantic_weight 0.6, threshold 0.25): top-1 30/31,
30 of 31 confident, the highest unrelated score 0.16. The threshold was then raised to 0.3
(config.yml), which still answers 30 of 31 and offers an article to 8% of Banking77's
out-of-scope questions instead of 26% (make eval-external prints the share); and to 0.32 on
2026-12-04, which answers the same labelled questions and halves the share of Banking77's
out-of-scope training queries given an article (README, "Help centre")."""

import numpy as np

from bot.nlu.help_index import Bm25, HelpIndex, words
from company.help_articles import Passage, load_articles
from tests.nlu.help_questions import ANSWERED, UNANSWERED

TOP1_BAR = 0.9
CONFIDENT_BAR = 0.85


def test_the_right_article_comes_first_and_is_confident(parse):
    results = [(question, slug, parse(question).get("help_article")) for question, slug in ANSWERED]
    assert all(found is not None for _, _, found in results)
    top1 = [question for question, slug, found in results if found["slug"] == slug]
    answered = [question for question, slug, found in results
                if found["slug"] == slug and found["confident"]]
    misses = [(q, found["slug"], found["score"]) for q, slug, found in results if q not in top1]
    assert len(top1) / len(ANSWERED) >= TOP1_BAR, misses
    assert len(answered) / len(ANSWERED) >= CONFIDENT_BAR
    # a confident match carries the passage the assistant quotes, from the article itself
    passages = {p.text for article in load_articles() for p in article.passages}
    assert all(found["passage"] in passages for _, _, found in results if found["confident"])


def test_unrelated_questions_get_no_confident_article(parse):
    for question in UNANSWERED:
        found = parse(question)["help_article"]
        assert found["confident"] is False and "passage" not in found, (question, found)
        assert found["score"] < 0.25


def test_every_article_has_a_title_and_passages():
    articles = load_articles()
    assert len(articles) >= 12
    for article in articles:
        assert article.title and len(article.passages) >= 2, article.slug
        assert all(p.text and p.heading for p in article.passages)


def test_bm25_prefers_the_document_with_the_rare_word_and_stays_between_0_and_1():
    index = Bm25.build(["kettle descaling with vinegar", "delivery to the islands",
                        "delivery costs and delivery times"])
    scores = index.normalised("how do I descale my kettle")
    assert scores.argmax() == 0 and 0 < scores[0] <= 1 and scores[1] == scores[2] == 0
    assert index.normalised("the and of").sum() == 0  # stop words only
    assert words("Parcels, Boxes and PO boxes!") == ["parcel", "boxe", "po", "boxe"]


def test_the_combined_score_weighs_meaning_and_words():
    passages = [Passage("a", "A", "One", "kettle limescale"), Passage("b", "B", "Two", "gift cards")]
    # two vectors per passage (text, heading): the message is close to b's meaning only
    vectors = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32)
    index = HelpIndex.build(passages, vectors, semantic_weight=0.6)
    best = index.best(np.array([0.0, 1.0]), "kettle")
    assert best.passage.slug == "b" and abs(best.score - 0.6) < 1e-6
    best = index.best(np.array([0.7, 0.7]), "kettle limescale")
    assert best.passage.slug == "a" and best.lexical > 0.4


def test_the_best_passage_of_each_article_comes_best_first():
    """The runners-up in other articles, one passage each: a question leaning on the article
    just shown is answered from it when it comes close (actions/help_centre.py)."""
    passages = [Passage("a", "A", "One", "kettle"), Passage("a", "A", "Two", "kettle descaling"),
                Passage("b", "B", "Three", "gift cards"), Passage("c", "C", "Four", "packaging")]
    vectors = np.array([[1, 0], [1, 0], [0.9, 0.1], [0.9, 0.1], [0, 1], [0, 1], [0.5, 0.5], [0.5, 0.5]],
                       dtype=np.float32)
    index = HelpIndex.build(passages, vectors, semantic_weight=0.6)
    ranked = index.best_per_article(np.array([1.0, 0.0]), "kettle", 3)
    assert [(m.passage.slug, m.passage.heading) for m in ranked] == [("a", "One"), ("c", "Four"), ("b", "Three")]
    assert ranked[0].score > ranked[1].score > ranked[2].score
    assert [m.passage.slug for m in index.best_per_article(np.array([1.0, 0.0]), "kettle", 2)] == ["a", "c"]
    assert index.best(np.array([1.0, 0.0]), "kettle") == ranked[0]


def test_a_question_leaning_on_the_article_just_shown_finds_it_among_the_others(parse):
    """'how do I claim that' after the price-drop passage: the warranty claims come first on
    the word "claim", the price drop's passage (which says how it is claimed) among the others."""
    found = parse("how do I claim that")["help_article"]
    others = {other["slug"]: other for other in found["other_articles"]}
    assert found["slug"] != "discounts-and-price-drops" and len(others) == 4
    assert others["discounts-and-price-drops"]["section"] == "The price dropped after I bought it"
    assert all(other["score"] <= found["score"] for other in others.values())


def test_a_gift_card_wanted_as_a_present_finds_how_to_buy_one(parse):
    """A customer run: "do you do gift vouchers? want to get one for my sister's birthday" got
    how a gift card is used at checkout."""
    found = parse("have you got vouchers? i'd like one for my dad's birthday")["help_article"]
    assert (found["slug"], found["section"]) == ("gift-cards", "Buying a gift card")
