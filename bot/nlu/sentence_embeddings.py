"""Sentence embeddings from all-MiniLM-L6-v2, run in onnxruntime (no PyTorch, no download).

Rasa's own LanguageModelFeaturizer takes the [CLS] vector of BERT models, but this model
was trained to be read by mean pooling over its tokens, which is what this featurizer does
(optionally over several of its last layers, each L2-normalised and concatenated). The
model files are installed by `scripts/fetch_embedding_model.py` into the virtual
environment; the trained Rasa model records which files it was trained with. The encoder
runs them as a graph of onnxruntime's fused BERT operators (`bot.nlu.bert_onnx`): a third
of TensorFlow's time per message, with the same vectors. With `quantized`, its matrix
products use 8-bit weights (about 60% of the float graph's time a message, vectors at a
cosine of 0.99 from the float ones); the model stores that graph and runs it as trained.

With `tuned_layers`, training also tunes a copy of the encoder's top layers on the intents
(`bot.nlu.encoder_tuning`). The frozen features stay the classifier's input; the tuned
branch, run in the same onnxruntime pass over the shared lower layers, gives each message
its own intent probabilities, which the intent classifier averages with its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple, Type

import numpy as np
from scipy.special import softmax

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.bert_onnx import (
    INPUT_NAMES, TunedTop, encoder_graph, open_session, quantizer_versions)
from bot.nlu.encoder_files import encoder_shape, model_weights, resolve_model_dir
from bot.nlu.encoder_tuning import (
    ENCODER_PROBABILITIES, TuningSettings, layer_keys, tune_top_layers)
from bot.nlu.entity_values import canonical_text
from bot.nlu.register_augmenter import AUGMENTED
from bot.nlu.source_fingerprint import SourceFingerprinted

logger = logging.getLogger(__name__)

_TUNED_FILE = "tuned_top.npz"
_GRAPH_FILE = "encoder.onnx"


class SentenceEncoder:
    """Mean-pooled sentence vectors from a BERT-style encoder, batch or one by one; with a
    tuned top, the tuned branch's vectors too."""

    def __init__(self, model_dir: Path, max_length: int, layers: Sequence[int],
                 tuned: Optional[TunedTop] = None, quantized: bool = False,
                 graph: Optional[bytes] = None) -> None:
        """`graph`: the one `encoder_graph` makes of the other arguments, if already made
        (a trained model stores its quantized graph)."""
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        self._tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        if self._tokenizer.padding_side != "right":
            raise ValueError(f"the encoder needs right padding; {model_dir}'s tokenizer pads "
                             f"on the {self._tokenizer.padding_side}")
        self._model_dir = model_dir
        self._max_length = max_length
        self._layers = list(layers)
        self._tuned = tuned
        self._quantized = quantized
        self._session = open_session(
            graph if graph is not None else encoder_graph(model_dir, self._layers, tuned,
                                                          quantized))
        self._hidden_size = int(self._session.get_outputs()[0].shape[-1])

    @property
    def dimension(self) -> int:
        return self._hidden_size * len(self._layers)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """One row per text; texts of similar length are batched together for speed (one
        at a time when quantized, whatever `batch_size` says: see `_batches`)."""
        return self.encode_with_tuned(texts, batch_size)[0]

    def encode_with_tuned(self, texts: Sequence[str], batch_size: int = 64
                          ) -> Tuple[np.ndarray, Optional[np.ndarray]]:
        """`encode`'s rows, and the tuned branch's unit vectors (None without a tuned top)."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        tuned = (np.zeros((len(texts), self._hidden_size), dtype=np.float32)
                 if self._tuned is not None else None)
        for chunk, inputs, outputs in self._batches(self._session, texts, batch_size):
            mask = inputs["attention_mask"].astype(np.float32)[:, :, None]
            pooled = [_mean_pooled(hidden, mask) for hidden in outputs]
            result[chunk] = np.concatenate(pooled[:len(self._layers)], axis=1)
            if tuned is not None:
                tuned[chunk] = pooled[-1]
        return result, tuned

    def hidden_states(self, texts: Sequence[str], layer: int,
                      batch_size: int = 64) -> List[np.ndarray]:
        """Per text, hidden state `layer` (0 is the embeddings) over its tokens, unpadded:
        what a tuned top reads."""
        session = open_session(encoder_graph(self._model_dir, [layer],
                                             quantized=self._quantized))
        states: List[np.ndarray] = [np.zeros((0, self._hidden_size), np.float32)] * len(texts)
        for chunk, inputs, (hidden,) in self._batches(session, texts, batch_size):
            for row, index in enumerate(chunk):
                states[index] = hidden[row, :int(inputs["attention_mask"][row].sum())].copy()
        return states

    def _batches(self, session: Any, texts: Sequence[str], batch_size: int):
        """(text indices, model inputs, session outputs) per batch of similar lengths."""
        if self._quantized:
            # the quantized graph scales its activations by the range of the whole batch, so
            # a text's vector would depend on its neighbours and padding (cosine 0.991 with
            # its vector alone): one at a time, as a message is parsed
            batch_size = 1
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            encoded = self._tokenizer(
                [texts[index] or " " for index in chunk], padding=True, truncation=True,
                max_length=self._max_length, return_tensors="np",
            )
            inputs = {name: encoded[name].astype(np.int32) for name in INPUT_NAMES}
            yield chunk, inputs, session.run(None, inputs)


def _mean_pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over the unmasked tokens, L2-normalised."""
    mean = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
    return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)


@dataclass(frozen=True)
class IntentHead:
    """The tuned branch's intent head: its cosines times `scale` are the logits."""

    classes: Tuple[str, ...]
    weights: np.ndarray
    scale: float

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return softmax(self.scale * (vectors @ self.weights), axis=1)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class SentenceEmbeddingFeaturizer(SourceFingerprinted, DenseFeaturizer, GraphComponent):
    """Adds a mean-pooled sentence embedding as the dense sentence feature of each text;
    with `tuned_layers`, also the tuned branch's intent probabilities of each message."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = TuningSettings()
        return {
            **DenseFeaturizer.get_default_config(),
            "model_dir": None,
            "max_length": 64,
            "layers": [-1],
            "batch_size": 64,
            # the encoder's matrix products in 8 bits (bot.nlu.bert_onnx.quantized_graph)
            "quantized": False,
            # how many of the encoder's top layers a tuned copy replaces (0: none)
            "tuned_layers": 0,
            "tuning_epochs": defaults.epochs,
            "tuning_learning_rate": defaults.learning_rate,
            "tuning_seed": defaults.seed,
            # tune on the training-time noisy copies too (they multiply its time)
            "tune_on_copies": False,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["transformers", "onnxruntime", "onnx"]

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, execution_context: ExecutionContext,
                 tuned: Optional[Tuple[TunedTop, "IntentHead"]] = None,
                 graph: Optional[bytes] = None) -> None:
        """`graph`: the trained model's stored encoder graph, for `tuned` and the layers."""
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._model_dir = resolve_model_dir(self._config["model_dir"])
        self._tuned = tuned
        self._head = tuned[1] if tuned else None
        self._graph = graph
        self._built: Optional[SentenceEncoder] = None
        self._built_frozen: Optional[SentenceEncoder] = None

    @property
    def _encoder(self) -> SentenceEncoder:
        """Built on first use: the training graph's instance of a component that tunes
        nothing never needs one."""
        if self._built is None:
            self._built = SentenceEncoder(
                self._model_dir, int(self._config["max_length"]), self._config["layers"],
                self._tuned[0] if self._tuned else None, bool(self._config["quantized"]),
                self._graph,
            )
            self._graph = None  # the session holds it
        return self._built

    @property
    def _frozen_encoder(self) -> SentenceEncoder:
        """The encoder without the tuned branch, for the training examples' features (they
        need no intent probabilities; onnxruntime computes every output of a graph)."""
        if self._tuned is None:
            return self._encoder
        if self._built_frozen is None:
            self._built_frozen = SentenceEncoder(
                self._model_dir, int(self._config["max_length"]), self._config["layers"],
                quantized=bool(self._config["quantized"]))
        return self._built_frozen

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """A quantized graph stored in the model also depends on the quantizer's versions:
        after an upgrade, Rasa's training cache must not hand back the old one."""
        source = super().fingerprint_addon(config)
        return f"{source}; {quantizer_versions()}" if config.get("quantized") else source

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEmbeddingFeaturizer":
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SentenceEmbeddingFeaturizer":
        tuned = None
        settings = {**cls.get_default_config(), **config}
        if int(settings["tuned_layers"]) > 0:
            try:
                with model_storage.read_from(resource) as directory:
                    with np.load(directory / _TUNED_FILE, allow_pickle=False) as stored:
                        tuned = _tuned_from_arrays(
                            {key: stored[key] for key in stored.files},
                            encoder_shape(resolve_model_dir(settings["model_dir"])).layer_count)
            except (ValueError, FileNotFoundError) as error:
                logger.warning("tuned_layers is %s, but the model has no usable tuned encoder "
                               "top (%s): the classifier answers alone",
                               settings["tuned_layers"], error)
        graph = None
        if settings["quantized"]:
            try:
                with model_storage.read_from(resource) as directory:
                    graph = (directory / _GRAPH_FILE).read_bytes()
            except (ValueError, FileNotFoundError):
                logger.info("the model stores no quantized encoder graph: it is made again")
        component = cls(config, model_storage, resource, execution_context, tuned, graph)
        # onnxruntime prepares its kernels on the first call: here, while the model loads,
        # not in the first customer's turn
        component._encoder.encode(["hello"])
        return component

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not config.get("layers"):
            raise ValueError("SentenceEmbeddingFeaturizer needs at least one layer to pool")
        if int(config.get("tuned_layers") or 0) < 0:
            raise ValueError("SentenceEmbeddingFeaturizer's tuned_layers cannot be negative")

    def train(self, training_data: TrainingData) -> Resource:
        """With `tuned_layers`, tunes the top layers on the intents of the written examples
        (and the noisy copies with `tune_on_copies`) and stores them in the model; with
        `quantized`, stores the 8-bit graph (tuned branch included) that parses run, so that
        a loading model neither builds nor quantizes it (about 5 s) and runs the very weights
        it was trained with. (With a tuned top, the training examples' features still come
        from a frozen graph quantized again: the same weights, without the branch. The top
        is tuned in float and runs in 8 bits.)"""
        tuned = self._tuned_top(training_data) if int(self._config["tuned_layers"]) > 0 else None
        if tuned is None and not self._config["quantized"]:
            return self._resource
        with self._model_storage.write_to(self._resource) as directory:
            top = None
            if tuned is not None:
                np.savez(directory / _TUNED_FILE, **tuned)
                top = _tuned_from_arrays(tuned, encoder_shape(self._model_dir).layer_count)[0]
            if self._config["quantized"]:
                (directory / _GRAPH_FILE).write_bytes(encoder_graph(
                    self._model_dir, self._config["layers"], top, quantized=True))
        return self._resource

    def _tuned_top(self, training_data: TrainingData) -> Optional[Dict[str, np.ndarray]]:
        """The tuned top layers and intent head as stored (`_TUNED_FILE`); None when the
        examples have fewer than two intents."""
        count = int(self._config["tuned_layers"])
        shape = encoder_shape(self._model_dir)
        if count > shape.layer_count:
            raise ValueError(f"tuned_layers is {count}, but the encoder has "
                             f"{shape.layer_count} layers")
        examples = self._tuning_examples(training_data)
        classes = sorted({m.get(INTENT) for m in examples})
        if len(classes) < 2:
            logger.warning("the encoder's top is tuned on two intents or more; not tuned")
            return None
        start = shape.layer_count - count
        index = {name: position for position, name in enumerate(classes)}
        states = self._frozen_encoder.hidden_states([canonical_text(m) for m in examples], start)
        settings = TuningSettings(epochs=int(self._config["tuning_epochs"]),
                                  learning_rate=float(self._config["tuning_learning_rate"]),
                                  seed=int(self._config["tuning_seed"]))
        weights, head = tune_top_layers(
            states, np.array([index[m.get(INTENT)] for m in examples]), len(classes),
            model_weights(self._model_dir), start, shape, settings,
        )
        return {"start": np.array(start), "classes": np.array(classes), "head": head,
                "scale": np.array(settings.scale), **weights}

    def _tuning_examples(self, training_data: TrainingData) -> List[Message]:
        """The labelled examples; the noisy copies only with `tune_on_copies`."""
        return [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)
                and (self._config["tune_on_copies"] or not m.get(AUGMENTED))]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT)],
                        with_intents=False)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize([m for m in messages if m.get(TEXT)], with_intents=True)
        return messages

    def _featurize(self, messages: List[Message], with_intents: bool) -> None:
        encoder = self._encoder if with_intents else self._frozen_encoder
        vectors, tuned = encoder.encode_with_tuned(
            [canonical_text(m) for m in messages], batch_size=int(self._config["batch_size"])
        )
        for message, vector in zip(messages, vectors):
            self.add_features_to_message(
                sequence=None, sentence=vector[None, :], attribute=TEXT, message=message
            )
        if with_intents and tuned is not None and self._head is not None:
            for message, row in zip(messages, self._head.probabilities(tuned)):
                message.set(ENCODER_PROBABILITIES,
                            {name: float(p) for name, p in zip(self._head.classes, row)})


def _tuned_from_arrays(arrays: Dict[str, np.ndarray],
                       layer_count: int) -> Tuple[TunedTop, IntentHead]:
    """The tuned top and its head as `train` stored them, for an encoder of `layer_count`
    layers."""
    start = int(arrays["start"])
    weights = {key: value for key, value in arrays.items()
               if key.startswith("encoder.layer.")}
    missing = [key for index in range(start, layer_count) for key in layer_keys(index)
               if key not in weights]
    if missing or not 0 <= start < layer_count:
        raise ValueError(f"the stored tuned top does not fit the encoder's {layer_count} "
                         f"layers (from layer {start}; missing {missing[:2]})")
    return (TunedTop(start=start, weights=weights),
            IntentHead(classes=tuple(str(name) for name in arrays["classes"]),
                       weights=arrays["head"].astype(np.float32),
                       scale=float(arrays["scale"])))
