"""The model store: every trained model version, its file, its scores and which one is
active. Files live in MODEL_STORE_DIR (`models/versions/` by default) as `v<id>.tar.gz`,
with the training log and the evaluation reports beside them; rows in `model_versions`.

At start-up (`bootstrap`) the model that `make run` built from the checkout is registered,
and served when nothing else is active yet; afterwards the active version is what the Rasa
server loads, so a restart keeps what the trainer activated.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ground.clock import utcnow
from trainer.evaluation import Scores
from trainer.model_events import ModelChanged
from trainer.models import ModelStatus, ModelVersion


class ModelStoreError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def file_fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class VersionView:
    """What the API and the CLI show of a version."""

    id: int
    status: str
    origin: str
    note: Optional[str]
    started_by: Optional[str]
    started_at: datetime
    finished_at: Optional[datetime]
    progress: float
    stage: str
    error: Optional[str]
    scores: Optional[Scores]
    activated_by: Optional[str]
    activated_at: Optional[datetime]
    override_reason: Optional[str]

    def to_json(self, with_intents: bool = False) -> Dict[str, Any]:
        scores = None
        if self.scores is not None:
            scores = self.scores.to_json()
            if not with_intents:
                scores.pop("intents")
        return {
            "id": self.id, "status": self.status, "origin": self.origin, "note": self.note,
            "started_by": self.started_by, "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at), "progress": round(self.progress, 3),
            "stage": self.stage, "error": self.error, "scores": scores,
            "activated_by": self.activated_by, "activated_at": _iso(self.activated_at),
            "override_reason": self.override_reason,
        }


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return None if moment is None else moment.isoformat() + "Z"


class ModelStore:
    def __init__(self, sessions: sessionmaker, directory: Path,
                 clock: Callable[[], datetime] = utcnow,
                 on_change: Optional[ModelChanged] = None) -> None:
        """`on_change` hears every change once it is committed (trainer.model_events)."""
        self._sessions = sessions
        self.directory = directory
        self._clock = clock
        self._on_change = on_change

    def _changed(self, version_id: int, change: str) -> None:
        if self._on_change is not None:
            self._on_change(version_id, change)

    # --- files -------------------------------------------------------------------------
    def model_path(self, version_id: int) -> Path:
        return self.directory / f"v{version_id}.tar.gz"

    def evaluation_dir(self, version_id: int) -> Path:
        return self.directory / f"v{version_id}-evaluation"

    def training_log(self, version_id: int) -> Path:
        return self.directory / f"v{version_id}-training.log"

    # --- reading -----------------------------------------------------------------------
    def view(self, version_id: int) -> VersionView:
        with self._sessions() as session:
            row = session.get(ModelVersion, version_id)
            if row is None:
                raise ModelStoreError(404, f"no model version {version_id}")
            return _view(session, row)

    def versions(self) -> List[VersionView]:
        with self._sessions() as session:
            rows = session.scalars(select(ModelVersion).order_by(ModelVersion.id.desc())).all()
            return [_view(session, row) for row in rows]

    def active(self) -> Optional[VersionView]:
        with self._sessions() as session:
            row = session.scalars(select(ModelVersion).where(
                ModelVersion.status == ModelStatus.ACTIVE)).first()
            return None if row is None else _view(session, row)

    def running(self) -> Optional[VersionView]:
        with self._sessions() as session:
            row = session.scalars(select(ModelVersion).where(
                ModelVersion.status.in_(ModelStatus.RUNNING))).first()
            return None if row is None else _view(session, row)

    def rollback_target(self) -> Optional[VersionView]:
        """The version that was active before the current one."""
        with self._sessions() as session:
            row = session.scalars(
                select(ModelVersion)
                .where(ModelVersion.status == ModelStatus.RETIRED)
                .order_by(ModelVersion.activated_at.desc(), ModelVersion.id.desc())).first()
            return None if row is None else _view(session, row)

    # --- writing -----------------------------------------------------------------------
    def start(self, origin: str, note: Optional[str], started_by: Optional[int]) -> int:
        """A new version in training; refused while another training run is going."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._sessions.begin() as session:
            if session.scalars(select(ModelVersion.id).where(
                    ModelVersion.status.in_(ModelStatus.RUNNING))).first() is not None:
                raise ModelStoreError(409, "a training run is already going; wait for it")
            row = ModelVersion(status=ModelStatus.TRAINING, origin=origin, note=note,
                               started_by=started_by, started_at=self._clock(), progress=0.0,
                               stage="waiting to start")
            session.add(row)
            session.flush()
            version_id = row.id
        self._changed(version_id, "started")
        return version_id

    def report(self, version_id: int, **changes: Any) -> None:
        """Progress, stage, status, scores, error … of one version."""
        if isinstance(changes.get("scores"), Scores):
            changes["scores"] = changes["scores"].to_json()
        with self._sessions.begin() as session:
            session.execute(update(ModelVersion).where(ModelVersion.id == version_id)
                            .values(**changes))
        self._changed(version_id, "failed" if changes.get("status") == ModelStatus.FAILED
                      else "progress")

    def finish(self, version_id: int, scores: Scores) -> None:
        with self._sessions.begin() as session:
            row = session.get(ModelVersion, version_id)
            row.scores = scores.to_json()
            row.progress, row.stage = 1.0, "trained and evaluated"
            row.finished_at = row.finished_at or self._clock()
            if row.status in ModelStatus.RUNNING:
                row.status = ModelStatus.READY
            row.fingerprint = row.fingerprint or file_fingerprint(self.model_path(version_id))
        self._changed(version_id, "trained")

    def fail(self, version_id: int, error: str) -> None:
        self.report(version_id, status=ModelStatus.FAILED, error=error[-4000:],
                    finished_at=self._clock(), stage="failed")

    def make_active(self, version_id: int, activated_by: Optional[int],
                    override_reason: Optional[str]) -> None:
        """Records the switch (after the Rasa server loaded the model)."""
        with self._sessions.begin() as session:
            session.execute(update(ModelVersion)
                            .where(ModelVersion.status == ModelStatus.ACTIVE)
                            .values(status=ModelStatus.RETIRED))
            row = session.get(ModelVersion, version_id)
            row.status = ModelStatus.ACTIVE
            row.activated_by, row.activated_at = activated_by, self._clock()
            row.override_reason = override_reason
        self._changed(version_id, "activated")

    def bootstrap(self, build: Path) -> Tuple[Path, int]:
        """At start-up: forgets runs a restart interrupted and registers `build`; returns
        the model file the Rasa server should load and the build's version id."""
        self.forget_interrupted("CareDesk stopped during the run")
        build_id = self.register_build(build)
        active = self.active()
        if not self.model_path(active.id).exists():  # type: ignore[union-attr]
            # the store lost the file: serve the build rather than nothing
            self.fail(active.id, "the model file is missing from the store")  # type: ignore[union-attr]
            self.make_active(build_id, None, None)
            return self.model_path(build_id), build_id
        return self.model_path(active.id), build_id  # type: ignore[union-attr]

    def forget_interrupted(self, why: str) -> int:
        """Versions still training or evaluating whose run is gone (runs belong to the
        gateway process) become failed, so that a new run may start; returns how many."""
        with self._sessions.begin() as session:
            return session.execute(update(ModelVersion)
                                   .where(ModelVersion.status.in_(ModelStatus.RUNNING))
                                   .values(status=ModelStatus.FAILED, stage="failed",
                                           error=f"interrupted: {why}",
                                           finished_at=self._clock())).rowcount

    def register_build(self, build: Path) -> int:
        """Keeps `build` (the model `make` trained from the checkout) as a version if it is
        new, and makes it active when nothing is active yet."""
        self.directory.mkdir(parents=True, exist_ok=True)
        fingerprint = file_fingerprint(build)
        with self._sessions.begin() as session:
            known = session.scalars(select(ModelVersion).where(
                ModelVersion.fingerprint == fingerprint)).first()
            if known is None:
                known = ModelVersion(status=ModelStatus.READY, origin="build",
                                     note="trained by `make` from the checkout",
                                     fingerprint=fingerprint, started_at=self._clock(),
                                     finished_at=self._clock(), progress=1.0,
                                     stage="built; not evaluated yet")
                session.add(known)
                session.flush()
            stored = self.model_path(known.id)
            # a file of that name from another database's history is not this build
            if not stored.exists() or file_fingerprint(stored) != fingerprint:
                shutil.copyfile(build, stored)
            has_active = session.scalars(select(ModelVersion.id).where(
                ModelVersion.status == ModelStatus.ACTIVE)).first() is not None
            if not has_active:
                known.status = ModelStatus.ACTIVE
                known.activated_at = self._clock()
            return known.id


def _view(session: Session, row: ModelVersion) -> VersionView:
    from handoff.models import StaffUser

    def name(user_id: Optional[int]) -> Optional[str]:
        if user_id is None:
            return None
        user = session.get(StaffUser, user_id)
        return None if user is None else user.username

    return VersionView(
        id=row.id, status=row.status, origin=row.origin, note=row.note,
        started_by=name(row.started_by), started_at=row.started_at,
        finished_at=row.finished_at, progress=row.progress, stage=row.stage, error=row.error,
        scores=None if row.scores is None else Scores.from_json(row.scores),
        activated_by=name(row.activated_by), activated_at=row.activated_at,
        override_reason=row.override_reason)
