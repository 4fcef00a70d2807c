"""A yes or no to "Did that answer your question?" after a passage a topic's answer gave
(bot/policies/help_answer_replies.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

from bot.policies.help_answer_replies import HelpAnswerReplyPolicy
from tests.bot.policies.written_predictions import predicted


def _answered_by(action: str, reply: str, intent: str, asked_last: bool = True) -> List[Event]:
    article = BotUttered("This might help…", metadata={"utter_action": "utter_help_article"})
    asked = BotUttered("Did that answer your question?", metadata={"utter_action": "utter_ask_help_article_helped"})
    said = [article, asked] if asked_last else [asked, BotUttered("…", metadata={"utter_action": "utter_warranty_product"})]
    return [ActionExecuted("action_listen"), UserUttered("are there customs charges for the usa?", {"name": "ask_shipping"}),
            ActionExecuted(action), *said, ActionExecuted("action_listen"), UserUttered(reply, {"name": intent})]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(HelpAnswerReplyPolicy, tmp_path, domain, events)


def test_yes_or_no_after_a_passage_a_topic_gave_is_read_as_after_the_help_centre(tmp_path: Path,
                                                                                   rasa_domain: Domain) -> None:
    """A customer run: "Yes, thanks" after the Harbor Club article given with the plans got
    "Sorry, I didn't quite get that" (2 of 2)."""
    for action in ("action_shipping_info", "action_list_plans", "action_warranty_info"):
        yes = _answered_by(action, "/affirm", "affirm")
        assert _predicted(tmp_path, rasa_domain, yes) == "action_help_article_helped", action
        assert _predicted(tmp_path, rasa_domain, yes + [ActionExecuted("action_help_article_helped")]) == "action_listen"
        assert _predicted(tmp_path, rasa_domain, _answered_by(action, "no", "deny")) == "action_clarify", action
    # after action_clarify the rules answer; a question no longer the last said, or another
    # intent, is not this policy's
    assert _predicted(tmp_path, rasa_domain, _answered_by("action_clarify", "/affirm", "affirm")) is None
    assert _predicted(tmp_path, rasa_domain, _answered_by("action_warranty_info", "yes", "affirm", asked_last=False)) is None
    assert _predicted(tmp_path, rasa_domain, _answered_by("action_shipping_info", "and to spain?", "ask_shipping")) is None


def _no_taken_back(reply: str, answer: str = "utter_help_article_not_helped") -> List[Event]:
    turned_down = [ActionExecuted("action_listen"), UserUttered("/deny", {"name": "deny"}),
                   ActionExecuted("action_clarify"),
                   BotUttered("Sorry that didn't answer it.", metadata={"utter_action": answer}),
                   ActionExecuted("action_listen"), UserUttered(reply, {"name": "nlu_fallback"})]
    return _answered_by("action_clarify", "how do I wrap a gift?", "nlu_fallback")[:-2] + turned_down


def test_a_no_to_an_article_taken_back_is_glad_after_all(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "its fine it did answer, i clicked wrong. bye" fell back and was handed
    to a person as a second miss."""
    for answer in ("utter_help_article_not_helped", "utter_help_article_not_helped_rephrase"):
        said = _no_taken_back("its fine it did answer, i clicked wrong. bye", answer)
        assert _predicted(tmp_path, rasa_domain, said) == "action_help_article_helped_after_all"
        assert _predicted(tmp_path, rasa_domain,
                          said + [ActionExecuted("action_help_article_helped_after_all")]) == "action_listen"
    # the no kept, or the words said elsewhere, are not this policy's
    assert _predicted(tmp_path, rasa_domain, _no_taken_back("no it really didn't help")) is None
    assert _predicted(tmp_path, rasa_domain, _no_taken_back("I clicked the wrong button", "utter_clarify")) is None


def test_a_question_pointing_back_at_the_passage_is_answered_from_its_article(tmp_path: Path,
                                                                              rasa_domain: Domain) -> None:
    """A customer run: "do you sell gift cards?" (the gift-cards article), then "how long are
    they valid for?" got the warranty (ask_warranty 0.55); its search finds the gift cards."""
    def asked(text: str, intent: str, confidence: float, slug: str, score: float = 0.35) -> UserUttered:
        return UserUttered(text, {"name": intent, "confidence": confidence},
                           parse_data={"intent": {"name": intent, "confidence": confidence},
                                       "help_article": {"slug": slug, "score": score, "confident": score >= 0.32}})

    def quoted(slug: str) -> BotUttered:
        return BotUttered("This might help…", metadata={"utter_action": "utter_help_article", "help_slug": slug})

    shown = [ActionExecuted("action_listen"), asked("do you sell gift cards?", "nlu_fallback", 0.5, "gift-cards", 0.5),
             ActionExecuted("action_clarify"), quoted("gift-cards"),
             BotUttered("Did that answer your question?", metadata={"utter_action": "utter_ask_help_article_helped"}),
             ActionExecuted("action_listen")]
    leaning = shown + [asked("how long are they valid for?", "ask_warranty", 0.55, "gift-cards")]
    assert _predicted(tmp_path, rasa_domain, leaning) == "action_clarify"
    assert _predicted(tmp_path, rasa_domain, leaning + [ActionExecuted("action_clarify")]) == "action_listen"
    # sure of the topic, not pointing back, another article, or nothing shown just before
    for latest in (asked("how long are they valid for?", "ask_warranty", 0.95, "gift-cards"),
                   asked("how long is the warranty on the kettle", "ask_warranty", 0.55, "gift-cards"),
                   asked("how long are they valid for?", "ask_warranty", 0.55, "warranty-claims")):
        assert _predicted(tmp_path, rasa_domain, shown + [latest]) is None, latest.text
    assert _predicted(tmp_path, rasa_domain, shown[:1] + [asked("how long are they valid for?", "ask_warranty", 0.55,
                                                                "gift-cards")]) is None
    # the article quoted counts, not the one the question before found best: the gift cards
    # quoted beside the packaging article found first
    beside = [shown[0], asked("can i put a gift card in the box", "nlu_fallback", 0.5, "packaging", 0.5),
              shown[2], *shown[3:]]
    assert _predicted(tmp_path, rasa_domain, beside + [leaning[-1]]) == "action_clarify"
    other_quoted = [*shown[:3], quoted("packaging"), *shown[4:]]
    assert _predicted(tmp_path, rasa_domain, other_quoted + [leaning[-1]]) is None


def test_a_reply_read_as_nothing_told_goes_to_the_clarification(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "no, i descale it. it just doesnt turn on anymore, can i get it fixed"
    after the kettle's limescale passage (inform 0.63, no entities) got "Sorry, I didn't
    quite get that"; action_clarify reads it as the fault it tells."""
    text = "no, i descale it. it just doesnt turn on anymore, can i get it fixed"
    replied = _answered_by("action_clarify", text, "inform")
    assert _predicted(tmp_path, rasa_domain, replied) == "action_clarify"
    assert _predicted(tmp_path, rasa_domain, replied + [ActionExecuted("action_clarify")]) == "action_listen"
    told = _answered_by("action_clarify", "HG-100002", "inform")
    told[-1] = UserUttered("HG-100002", {"name": "inform"}, [{"entity": "order_number", "value": "HG-100002"}])
    assert _predicted(tmp_path, rasa_domain, told) is None
    assert _predicted(tmp_path, rasa_domain, _answered_by("action_clarify", text, "inform", asked_last=False)) is None
