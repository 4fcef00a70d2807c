"""What a model file's domain holds, against the domain of the checkout.

A model version carries the domain it was trained with. The action server runs the
checkout's code, which may name responses that an older active version's domain does not
have (a new handoff opening, a new help line): Rasa then drops those messages without a
word. `make run` says so at start, with the version to activate (bot/runtime/supervisor.py).
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any, Dict, List, Set

import yaml

MODEL_DOMAIN = "components/domain_provider/domain.yml"


def model_responses(model: Path) -> Set[str]:
    """The names of the responses in a Rasa model file's domain; ValueError when the file
    cannot be read or holds no domain."""
    try:
        with tarfile.open(model, "r:gz") as archive:
            for member in archive:
                if member.name.lstrip("/") == MODEL_DOMAIN:
                    handle = archive.extractfile(member)
                    if handle is None:
                        break
                    return _responses(yaml.safe_load(handle.read()) or {})
    except (OSError, tarfile.TarError, yaml.YAMLError) as error:
        raise ValueError(f"{model.name} cannot be read as a model ({error})") from error
    raise ValueError(f"{model.name} holds no domain ({MODEL_DOMAIN})")


def checkout_responses(domain: Path) -> Set[str]:
    """The names of the responses in the checkout's domain (a file or a folder of files)."""
    files = sorted(domain.rglob("*.yml")) if domain.is_dir() else [domain]
    names: Set[str] = set()
    for path in files:
        try:
            names |= _responses(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        except yaml.YAMLError as error:
            raise ValueError(f"{path.name} is no YAML domain ({error})") from error
    return names


def missing_responses(model: Path, domain: Path) -> List[str]:
    """The checkout's responses that the model's domain lacks, sorted."""
    return sorted(checkout_responses(domain) - model_responses(model))


def _responses(document: Dict[str, Any]) -> Set[str]:
    return set((document.get("responses") or {}).keys())
