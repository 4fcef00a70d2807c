"""Each table has one owner: only the package that declares a model writes its rows.

A write is creating a row (calling the model class) or an `insert`, `update` or `delete` on it.
Other packages read, or ask the owner (e.g. handoff moves a conversation through
conversations/state.py). Two exceptions, both whole-product tools rather than features: the
composition layer's seeds (`bot/demo_history.py` writes a demo history across features) and
Alembic's migrations, which own the schema. Tests are not scanned.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ground", "company", "conversations", "handoff", "needs", "feedback", "reports",
            "trainer", "actions", "bot")
SEEDS = {"bot/demo_history.py"}
WRITES = {"insert", "update", "delete"}


def model_owners(root: Path) -> Dict[str, str]:
    """Model class name -> the package whose models.py declares it."""
    owners = {}
    for path in sorted(root.glob("*/models.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Name) and base.id == "Base" for base in node.bases):
                owners[node.name] = path.parent.name
    return owners


def foreign_writes(root: Path, packages: tuple = PACKAGES, seeds: set = SEEDS) -> List[str]:
    """'file:line: package writes Model (owner)' for every write to another package's table."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative in seeds:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported: Dict[str, str] = {}  # local name -> owner, for models imported here
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
                    owner = node.module.split(".")[0]
                    for alias in node.names:
                        imported[alias.asname or alias.name] = owner
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Name) and func.id in imported:
                    model = func.id
                elif (isinstance(func, ast.Name) and func.id in WRITES and node.args
                      and isinstance(node.args[0], ast.Name) and node.args[0].id in imported):
                    model = node.args[0].id
                else:
                    continue
                owner = imported[model]
                if owner != package:
                    found.append(f"{relative}:{node.lineno}: {package} writes {model} ({owner})")
    return found


def test_only_the_owner_writes_a_table() -> None:
    found = foreign_writes(PROJECT_ROOT)
    assert not found, "tables written by a package that does not own them:\n" + "\n".join(found)


def test_every_model_belongs_to_a_package() -> None:
    owners = model_owners(PROJECT_ROOT)
    assert {"Conversation", "Ticket", "AftercareMessage", "Requirement", "Customer"} <= set(owners)


@pytest.mark.parametrize("code, reported", [
    ("from low.models import Row\n\ndef f(s):\n    s.add(Row(id=1))\n", True),
    ("from sqlalchemy import update\nfrom low.models import Row\n\ndef f(s):\n"
     "    s.execute(update(Row).values(x=1))\n", True),
    ("from sqlalchemy import select\nfrom low.models import Row\n\ndef f(s):\n"
     "    return s.execute(select(Row)).all()\n", False),
])
def test_the_check_reports_a_foreign_write(tmp_path: Path, code: str, reported: bool) -> None:
    for package in ("low", "high"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "low" / "models.py").write_text("class Row(Base):\n    pass\n")
    (tmp_path / "high" / "writer.py").write_text(code)
    assert model_owners(tmp_path) == {"Row": "low"}
    found = foreign_writes(tmp_path, ("low", "high"), set())
    assert bool(found) is reported
