"""The sentence encoder's files: where they are, its shape (config.json), its weights
(model.safetensors). Kept apart from the encoder itself so that the steps that only read the
files (the spelling step reads its vocabulary) do not depend on how it runs.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Optional

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MODEL_DIR = Path(sys.prefix) / "share" / "caredesk" / "all-MiniLM-L6-v2"
MODEL_DIR_ENV = "CAREDESK_EMBEDDING_MODEL_DIR"


def resolve_model_dir(configured: Optional[str]) -> Path:
    """The model folder: the component setting, else the environment, else the venv's."""
    path = Path(configured or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR)
    if not (path / "config.json").exists():
        raise FileNotFoundError(
            f"sentence-embedding model not found in {path}; run `make install` "
            f"(scripts/fetch_embedding_model.py) or set {MODEL_DIR_ENV}"
        )
    return path


@dataclass(frozen=True)
class EncoderShape:
    """What the graph and the tuning need to know of the encoder (its config.json)."""

    heads: int
    layer_count: int
    epsilon: float
    hidden_size: int


def encoder_shape(model_dir: Path) -> EncoderShape:
    """The encoder's heads, layers, layer-norm epsilon and width; refuses an encoder these
    operators cannot run."""
    config = json.loads((model_dir / "config.json").read_text())
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise ValueError(f"{model_dir} is not a BERT encoder with GELU activations")
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError(f"{model_dir} does not use absolute position embeddings")
    return EncoderShape(heads=int(config["num_attention_heads"]),
                        layer_count=int(config["num_hidden_layers"]),
                        epsilon=float(config["layer_norm_eps"]),
                        hidden_size=int(config["hidden_size"]))


def model_weights(model_dir: Path) -> Dict[str, "np.ndarray"]:
    """The model file's weights under their names without the "bert." prefix."""
    from safetensors.numpy import load_file

    stored = load_file(str(model_dir / "model.safetensors"))
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in stored else ""
    return {key[len(prefix):]: value for key, value in stored.items() if key.startswith(prefix)}
