"""The project code a custom graph component runs, as part of its Rasa training fingerprint.

Rasa reuses a component's cached training output (under `.rasa/cache`) when the component's
class name, config and inputs are unchanged; it does not look at the component's code. After
a change to, say, the noisy copies or the spelling step, `rasa train` (and so `make` and the
workbench's training runs) would quietly restore what the old code produced. Every custom
component therefore adds the digest of its module's source, and of every project module it
imports directly or indirectly, to its fingerprint.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional, Set

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _module_file(name: str, root: Path) -> Optional[Path]:
    """The source file of a project module (or package), or None for anything else."""
    parts = name.split(".")
    for candidate in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(path: Path) -> Set[str]:
    names: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            # "from bot.nlu import spelling" names a module, not only a package
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def project_sources(module: str, root: Path = PROJECT_ROOT) -> Dict[str, Path]:
    """`module` and every project module it imports, transitively, by name."""
    found: Dict[str, Path] = {}
    pending = [module]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        path = _module_file(name, root)
        if path is None:
            continue
        found[name] = path
        pending.extend(_imported_names(path))
    return found


def source_digest(module: str, root: Path = PROJECT_ROOT) -> str:
    """sha256 over the sources of `module` and of the project modules it reaches."""
    digest = hashlib.sha256()
    for name, path in sorted(project_sources(module, root).items()):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _cached_digest(module: str) -> str:
    return source_digest(module)


class SourceFingerprinted:
    """Mixed into a custom graph component: a change to its code retrains it."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        if _module_file(cls.__module__, PROJECT_ROOT) is None:
            return None
        return _cached_digest(cls.__module__)
