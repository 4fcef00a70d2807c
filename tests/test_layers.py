"""The packages form layers that only point down (docs/architecture.md, "Layers").

A module may import its own package, any package in a lower layer, and nothing else: not a
package above it, and not a neighbour in its own layer (neighbours stay independent, so either
can change without the other). Every import counts, including ones inside functions and under
TYPE_CHECKING, because each one is a dependency a newcomer has to know about.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# lowest first; each entry is one layer
LAYERS: Sequence[Sequence[str]] = (
    ("ground",),                    # settings, database, clock, event bus, web kit
    ("company", "conversations"),   # the demo company's data; conversations and messages
    ("handoff",),                   # tickets, routing, the agent desk
    ("needs", "feedback"),          # 5W1H requirements; feedback and 3-7-30 aftercare messages
    ("reports",),                   # readers: the service report
    ("trainer",),                   # readers and model lifecycle: the trainer workbench
    ("actions",),                   # the custom actions the Rasa action server runs
    ("bot",),                       # composition root, Rasa plug-ins, evaluation, the schema
    ("migrations",),                # Alembic's environment reads the table registry (bot/schema.py)
)


def rank_of(layers: Sequence[Sequence[str]]) -> Dict[str, int]:
    return {package: rank for rank, layer in enumerate(layers) for package in layer}


def imported_modules(source: str) -> Iterator[Tuple[int, str]]:
    """(line, module) for every absolute import in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def violations(root: Path, layers: Sequence[Sequence[str]]) -> List[str]:
    """Every import under `root` that points up or sideways, as 'file:line: a -> b'."""
    ranks = rank_of(layers)
    found = []
    for package, rank in ranks.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, module in imported_modules(path.read_text(encoding="utf-8")):
                target = module.split(".")[0]
                if target == package or target not in ranks:
                    continue
                if ranks[target] >= rank:
                    found.append(f"{path.relative_to(root)}:{line}: {package} -> {module}")
    return found


def test_every_import_points_down_the_layers() -> None:
    found = violations(PROJECT_ROOT, LAYERS)
    assert not found, "imports against the layers:\n" + "\n".join(found)


def test_every_top_level_package_has_a_layer() -> None:
    packages = {p.parent.name for p in PROJECT_ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages <= set(rank_of(LAYERS)), f"not in a layer: {sorted(packages - set(rank_of(LAYERS)))}"


@pytest.mark.parametrize("importer, imported, allowed", [
    ("high", "low", True),
    ("low", "high", False),        # up
    ("left", "right", False),      # sideways, same layer
])
def test_the_check_reports_imports_up_and_sideways(tmp_path: Path, importer: str, imported: str,
                                                   allowed: bool) -> None:
    layers = (("low",), ("left", "right"), ("high",))
    for package in ("low", "left", "right", "high"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / importer / "module.py").write_text(
        f"import json\n\ndef later():\n    from {imported}.thing import x\n")
    found = violations(tmp_path, layers)
    assert found == ([] if allowed else [f"{importer}/module.py:4: {importer} -> {imported}.thing"])
