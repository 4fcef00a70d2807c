"""Rasa's CountVectorsFeaturizer, computing only the features this pipeline reads.

Rasa's featurizer gives every message two matrices per attribute: a sequence one (a row per
token, for DIET and end-to-end policies) and a sentence one (the counts of the whole text),
with two scikit-learn `transform` calls per message and attribute, and intent-label features
for training examples. CareDesk's classifier (bot.nlu.intent_classifier) reads the sentence
features of the text only, and the policies read no NLU features (no end-to-end stories),
so the rest was computed and thrown away: about 10,000 small calls per featurizer in a
training run (20 s of the product's training), two per message at parse time.

`SentenceCountVectorsFeaturizer` trains, persists and loads exactly as Rasa's does (the same
config, the same vocabulary), and sets only the sentence features, of all messages in one
`transform` call. They are equal to Rasa's own (tests/bot/nlu/test_sentence_counts.py).
"""

from __future__ import annotations

from typing import List

import scipy.sparse as sp
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.source_fingerprint import SourceFingerprinted


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class SentenceCountVectorsFeaturizer(SourceFingerprinted, CountVectorsFeaturizer):
    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the sentence features of each message's text (see the module's docstring)."""
        if self.vectorizers is None or self._get_attribute_vocabulary(TEXT) is None:
            return super().process(messages)  # Rasa's own error or nothing, as before
        tokens = [self._get_processed_message_tokens_by_attribute(m, TEXT) for m in messages]
        featurized = [(message, " ".join(words)) for message, words in zip(messages, tokens)
                      if words]
        if not featurized:
            return messages
        counts: sp.csr_matrix = self.vectorizers[TEXT].transform([text for _, text in featurized])
        counts.sort_indices()
        for row, (message, _) in enumerate(featurized):
            message.add_features(Features(counts[row].tocoo(), FEATURE_TYPE_SENTENCE, TEXT,
                                           self._identifier))
        return messages

