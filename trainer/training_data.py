"""Writes reviewed examples into the project's training data, keeping it valid.

Reviewed examples live in their own file, `data/nlu/reviewed.yml`, grouped by intent and
sorted, so a diff shows exactly what trainers added. An example whose text is already in
the training data is not written again; one already labelled with another intent is
refused (two labels for the same words would teach the model nothing but confusion). A new
intent gets a domain entry (`domain/reviewed.yml`) and a rule that hands it to a person
(`data/rules/reviewed.yml`) until someone writes the bot's answer for it, so
`rasa data validate` stays clean.

The CLI and the workbench (and several gateway processes) may decide at the same moment:
the whole read-modify-write of the reviewed files happens under an exclusive lock on
`.reviewed-examples.lock` in the training data folder (fcntl.flock, which excludes other
processes and, each holder opening the file itself, other threads too), and each file is
written to a temporary file of its own in the same folder, then renamed over the old one,
so no write is lost and a reader (`rasa train`) never sees half a file.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set

import yaml

REVIEWED_NLU = Path("data/nlu/reviewed.yml")
REVIEWED_DOMAIN = Path("domain/reviewed.yml")
REVIEWED_RULES = Path("data/rules/reviewed.yml")
LOCK_FILE = Path(".reviewed-examples.lock")
INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)")
NEW_FILE_MODE = 0o644  # a reviewed file written for the first time: like any other data file


class TrainingDataError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Written:
    intent: str
    example: str
    added: bool  # False: the same words were already an example of this intent
    new_intent: bool


def plain(example: str) -> str:
    """An example's words without entity markup, compared case- and space-insensitively."""
    return " ".join(_ANNOTATION.sub(r"\1", example).lower().split())


def examples(block: Optional[str]) -> List[str]:
    return [line.strip()[2:].strip() for line in (block or "").splitlines()
            if line.strip().startswith("- ")]


class TrainingData:
    """The project's training data under `root` (the project itself, or a copy in tests)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def known_intents(self) -> Set[str]:
        return self._domain_names("intents")

    def known_entities(self) -> Set[str]:
        return self._domain_names("entities")

    def _domain_names(self, key: str) -> Set[str]:
        """The intents or entities declared in any domain file."""
        names: Set[str] = set()
        for path in sorted((self.root / "domain").glob("*.yml")):
            for item in (yaml.safe_load(path.read_text()) or {}).get(key) or []:
                names.add(item if isinstance(item, str) else next(iter(item)))
        return names

    def labelled(self) -> Dict[str, str]:
        """Every example's plain words in data/nlu, and its intent."""
        found: Dict[str, str] = {}
        for path in sorted((self.root / "data" / "nlu").glob("*.yml")):
            for item in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
                if "intent" in item:
                    for example in examples(item.get("examples")):
                        found.setdefault(plain(example), item["intent"])
        return found

    def reviewed(self) -> Dict[str, List[str]]:
        path = self.root / REVIEWED_NLU
        if not path.exists():
            return {}
        items = (yaml.safe_load(path.read_text()) or {}).get("nlu") or []
        return {item["intent"]: examples(item.get("examples")) for item in items if "intent" in item}

    def add(self, intent: str, example: str, create_intent: bool = False) -> Written:
        if not INTENT_NAME.match(intent or ""):
            raise TrainingDataError(422, "an intent name is 2-60 characters: a-z, digits and _, "
                                         "starting with a letter")
        if not plain(example):
            raise TrainingDataError(422, "the example is empty")
        with self._exclusive():
            known = self.known_intents()
            new_intent = intent not in known
            if new_intent and not create_intent:
                raise TrainingDataError(422, f"there is no intent {intent!r}; create it explicitly")
            if not new_intent and create_intent:
                raise TrainingDataError(409, f"the intent {intent!r} exists already")
            already = self.labelled().get(plain(example))
            if already is not None and already != intent:
                raise TrainingDataError(409, f"these words are already an example of {already!r}")
            if already == intent:
                return Written(intent, example, added=False, new_intent=False)
            reviewed = self.reviewed()
            reviewed.setdefault(intent, []).append(example)
            self._write_nlu(reviewed)
            if new_intent:
                self._add_new_intent(intent)
            return Written(intent, example, added=True, new_intent=new_intent)

    def _write_nlu(self, reviewed: Dict[str, List[str]]) -> None:
        lines = ['version: "3.1"', "",
                 "# Customer messages reviewed by trainers in the workbench (/trainer), personal",
                 "# data masked. Written by trainer/training_data.py; edit with care.",
                 "nlu:"]
        for intent in sorted(reviewed):
            lines += [f"- intent: {intent}", "  examples: |"]
            lines += [f"    - {example}" for example in sorted(set(reviewed[intent]), key=str.lower)]
            lines.append("")
        self._replace(REVIEWED_NLU, "\n".join(lines).rstrip() + "\n")

    def _add_new_intent(self, intent: str) -> None:
        domain_path = self.root / REVIEWED_DOMAIN
        domain = yaml.safe_load(domain_path.read_text()) if domain_path.exists() else None
        intents = sorted(set((domain or {}).get("intents") or []) | {intent})
        self._replace(REVIEWED_DOMAIN, "\n".join(
            ['version: "3.1"', "",
             "# Intents trainers created in the workbench. Until someone writes the bot's",
             "# answer, data/rules/reviewed.yml hands them to a person.",
             "intents:", *[f"  - {name}" for name in intents]]) + "\n")
        rules = ['version: "3.1"', "", "rules:"]
        for name in intents:
            rules += [f"  - rule: {name} (created by a trainer) goes to a person until it has an answer",
                      "    steps:", f"      - intent: {name}", "      - action: action_handoff", ""]
        self._replace(REVIEWED_RULES, "\n".join(rules).rstrip() + "\n")

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Held while the reviewed files are read, checked and written: one writer at a
        time across processes. The lock file stays; only its lock matters."""
        with open(self.root / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _replace(self, relative: Path, text: str) -> None:
        """Writes the whole file at once (a reader never sees half of it): a temporary file
        of this write's own in the same folder, renamed over the old file."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
