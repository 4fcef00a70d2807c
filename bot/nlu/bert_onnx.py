"""A BERT encoder run in onnxruntime: its weights as a graph of the fused BERT operators.

all-MiniLM-L6-v2 ships as safetensors saved from PyTorch. Run in TensorFlow (through
transformers) one short message took 9-10 ms on this project's 2-core machines; the same
weights in onnxruntime's fused operators (EmbedLayerNormalization, Attention,
SkipLayerNormalization, BiasGelu) take about 3 ms and give the same vectors (cosine 1.000000
on Banking77's test split, padded batches included). The graph is built in memory when the
encoder loads, from the files `scripts/fetch_embedding_model.py` installed, so there is no
converted file to keep in step with them.

The operators assume what the encoder always gives them: token ids padded on the right
(the attention mask is turned into one length per text) and positions 0, 1, 2, ...

A graph may also carry a tuned copy of the top layers (`TunedTop`, trained by
`bot.nlu.encoder_tuning`) beside the frozen ones: both read the same lower layers, which
run once, so the tuned branch costs a message only its own layers.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, List, Mapping, Optional, Sequence, Tuple

from bot.nlu.encoder_files import encoder_shape, model_weights

if TYPE_CHECKING:
    import numpy as np

MICROSOFT = "com.microsoft"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
# threads of one encoding; unset or 0 means onnxruntime's choice (one per core). The Rasa
# server sets 1 (bot.runtime.rasa_server), the evaluations leave it unset.
THREADS_ENV = "CAREDESK_ENCODER_THREADS"
# where onnxruntime's quantizer logs from (on the root logger)
_QUANTIZER_PATH = "onnxruntime/quantization/"
# the output of the tuned branch, after the requested layers' outputs
TUNED_OUTPUT = "tuned_hidden_state"
# numpy, onnx and onnxruntime are imported where they are used: bot.runtime.rasa_server reads
# THREADS_ENV before it sets the thread settings that numpy's OpenBLAS reads once, on import


@dataclass(frozen=True)
class TunedTop:
    """The encoder's top layers after tuning: they read hidden state `start` (0 is the
    embeddings) and replace layers `start`..last in a branch of their own. `weights` holds
    every weight of those layers under the model file's names without the "bert." prefix
    ("encoder.layer.4.attention.self.query.weight", ...), in its (out, in) layout."""

    start: int
    weights: Mapping[str, "np.ndarray"]


def encoder_graph(model_dir: Path, layers: Sequence[int], tuned: Optional[TunedTop] = None,
                  quantized: bool = False) -> bytes:
    """The serialised graph whose outputs are the hidden states of `layers`, in order, then,
    with `tuned`, the last hidden state of the tuned branch; `quantized`: with the weights
    of its matrix products in 8 bits (`quantized_graph`)."""
    if quantized and tuned is None:
        weights = (model_dir / "model.safetensors").stat()
        return _quantized_frozen_graph(str(model_dir.resolve()), tuple(layers),
                                       (weights.st_mtime_ns, weights.st_size))
    graph = build_bert_graph(model_dir, layers, tuned)
    return quantized_graph(graph) if quantized else graph


@functools.lru_cache(maxsize=1)
def _quantized_frozen_graph(model_dir: str, layers: Tuple[int, ...],
                            weights_stamp: Tuple[int, int]) -> bytes:
    """The 8-bit graph without a tuned top, made once per process for the same files and
    layers: a training run needs it twice (the featurizer stores it in the model, the help
    centre embeds its passages with it) and quantizing takes about 4.4 s. `weights_stamp`
    (the weights file's modification time and size) makes a replaced model a new entry."""
    return quantized_graph(build_bert_graph(Path(model_dir), layers))


def open_session(graph: bytes) -> Any:
    """An onnxruntime session running a graph made by `encoder_graph`."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # idle threads sleep instead of spinning: the gateway, the action server and the
    # database share the machine's two cores with this process
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.intra_op_num_threads = int(os.environ.get(THREADS_ENV) or 0)
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


def hidden_state_name(layer: int, layer_count: int) -> str:
    """The graph output for a layer indexed as transformers' `hidden_states` are: 0 is the
    embeddings, `layer_count` (or -1) the last layer."""
    if not -(layer_count + 1) <= layer <= layer_count:
        raise ValueError(f"the encoder has no layer {layer}: it has {layer_count} and the "
                         "embeddings (0), also counted from the end (-1 is the last)")
    return f"hidden_state_{layer % (layer_count + 1)}"


def build_bert_graph(model_dir: Path, layers: Sequence[int],
                     tuned: Optional[TunedTop] = None) -> bytes:
    """The serialised ONNX model; its outputs are the hidden states of `layers`, in order,
    then, with `tuned`, the tuned branch's last hidden state (`TUNED_OUTPUT`)."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    shape = encoder_shape(model_dir)
    heads, layer_count, epsilon = shape.heads, shape.layer_count, shape.epsilon
    weights = model_weights(model_dir)
    if tuned is not None and not 0 <= tuned.start < layer_count:
        raise ValueError(f"a tuned top must start at a layer below {layer_count}, "
                         f"not {tuned.start}")

    initializers: List[onnx.TensorProto] = []
    nodes: List[onnx.NodeProto] = []

    def tensor(name: str, key: str, transpose: bool = False,
               source: Mapping[str, np.ndarray] = weights) -> str:
        array = source[key]
        initializers.append(numpy_helper.from_array(
            np.ascontiguousarray((array.T if transpose else array).astype(np.float32)), name))
        return name

    def stacked(name: str, arrays: Sequence[np.ndarray]) -> str:
        initializers.append(numpy_helper.from_array(
            np.ascontiguousarray(np.concatenate(arrays, axis=-1).astype(np.float32)), name))
        return name

    def projected(source: str, residual: str, key: str, output: str,
                  weight: Callable[..., str]) -> str:
        """BERT's dense layer with its bias, the residual added and layer-normalised."""
        nodes.append(helper.make_node(
            "MatMul", [source, weight(output + "_dense_weight", key + "dense.weight",
                                      transpose=True)],
            [output + "_dense"]))
        nodes.append(helper.make_node(
            "SkipLayerNormalization",
            [output + "_dense", residual,
             weight(output + "_norm_weight", key + "LayerNorm.weight"),
             weight(output + "_norm_bias", key + "LayerNorm.bias"),
             weight(output + "_dense_bias", key + "dense.bias")],
            [output], domain=MICROSOFT, epsilon=epsilon))
        return output

    nodes.append(helper.make_node(
        "EmbedLayerNormalization",
        ["input_ids", "token_type_ids",
         tensor("word_embeddings", "embeddings.word_embeddings.weight"),
         tensor("position_embeddings", "embeddings.position_embeddings.weight"),
         tensor("token_type_embeddings", "embeddings.token_type_embeddings.weight"),
         tensor("embeddings_norm_weight", "embeddings.LayerNorm.weight"),
         tensor("embeddings_norm_bias", "embeddings.LayerNorm.bias"),
         "attention_mask"],
        [hidden_state_name(0, layer_count), "mask_index"], domain=MICROSOFT, epsilon=epsilon))

    def layer(index: int, source: str, output: str, name: str,
              layer_weights: Mapping[str, np.ndarray]) -> None:
        """Encoder layer `index` reading hidden state `source`, writing `output`."""
        key = f"encoder.layer.{index}."

        def weight(name_: str, key_: str, transpose: bool = False) -> str:
            return tensor(name_, key_, transpose, layer_weights)

        # PyTorch's Linear keeps its weight as (out, in): the graph multiplies by (in, out)
        attention = key + "attention.self."
        nodes.append(helper.make_node(
            "Attention",
            [source,
             stacked(name + "qkv_weight", [layer_weights[attention + part + ".weight"].T
                                            for part in ("query", "key", "value")]),
             stacked(name + "qkv_bias", [layer_weights[attention + part + ".bias"]
                                          for part in ("query", "key", "value")]),
             "mask_index"],
            [name + "attention"], domain=MICROSOFT, num_heads=heads))
        attended = projected(name + "attention", source, key + "attention.output.",
                             name + "attended", weight)
        nodes.append(helper.make_node(
            "MatMul",
            [attended, weight(name + "intermediate_weight", key + "intermediate.dense.weight",
                              transpose=True)],
            [name + "intermediate"]))
        nodes.append(helper.make_node(
            "BiasGelu",
            [name + "intermediate",
             weight(name + "intermediate_bias", key + "intermediate.dense.bias")],
            [name + "activated"], domain=MICROSOFT))
        projected(name + "activated", attended, key + "output.", output, weight)

    for index in range(layer_count):
        layer(index, hidden_state_name(index, layer_count),
              hidden_state_name(index + 1, layer_count), f"layer_{index}_", weights)
    outputs = [hidden_state_name(layer_index, layer_count) for layer_index in layers]
    if tuned is not None:
        source = hidden_state_name(tuned.start, layer_count)
        for index in range(tuned.start, layer_count):
            output = TUNED_OUTPUT if index == layer_count - 1 else f"tuned_hidden_{index + 1}"
            layer(index, source, output, f"tuned_layer_{index}_", tuned.weights)
            source = output
        outputs.append(TUNED_OUTPUT)

    hidden = shape.hidden_size
    graph = helper.make_graph(
        nodes, "bert_encoder",
        [helper.make_tensor_value_info(name, TensorProto.INT32, ["batch", "sequence"])
         for name in INPUT_NAMES],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", "sequence", hidden])
         for name in outputs],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid(MICROSOFT, 1)])
    model.ir_version = 8
    return model.SerializeToString()


def quantized_graph(graph: bytes) -> bytes:
    """`graph` with the weights of its matrix products (attention included) in signed 8
    bits, a scale per output column, the activations quantized by the range of each call's
    batch (onnxruntime's dynamic quantization: `SentenceEncoder` runs it one text at a time).

    A message's encoding takes about 60% of the float graph's time; the vectors move a
    little (cosine 0.993 on average with the float ones on Banking77's queries; 0.969 with one
    scale per matrix), so a model must be trained and run with the same choice.
    Deterministic: the same graph gives the same bytes.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quiet = _WithoutAdvice()
    logging.getLogger().addFilter(quiet)
    try:
        with tempfile.TemporaryDirectory(prefix="caredesk-quantize-") as folder:
            source, target = Path(folder) / "float.onnx", Path(folder) / "int8.onnx"
            source.write_bytes(graph)
            # the fused operators' outputs carry no type for onnx's shape inference to find
            quantize_dynamic(source, target, weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
            return target.read_bytes()
    finally:
        logging.getLogger().removeFilter(quiet)


class _WithoutAdvice(logging.Filter):
    """Drops the quantizer's notes, logged on the root logger from onnxruntime's
    quantization package: at every call, advice to pre-process the model (its shape
    inference does not know the fused operators this graph uses) and, per tensor, the
    default type it took instead. Errors, and every other module's records, pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return (record.levelno >= logging.ERROR
                or _QUANTIZER_PATH not in Path(record.pathname).as_posix())


def quantizer_versions() -> str:
    """The versions a quantized graph depends on, for the training cache's fingerprint: an
    upgrade of either may quantize the same weights differently."""
    import onnx
    import onnxruntime

    return f"onnxruntime {onnxruntime.__version__}, onnx {onnx.__version__}"
