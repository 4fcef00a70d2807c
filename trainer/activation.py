"""Activating a model version: the gate (trainer.gate) decides, an admin may override a
refusal with a reason, the running Rasa server loads the model (trainer.hot_swap), and only
then the store records the switch. Rollback returns to the version active before."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Optional

from handoff.accounts import StaffMember
from handoff.models import Role
from trainer.evaluation import is_current
from trainer.gate import GateVerdict, judge
from trainer.hot_swap import RasaModelServer, RasaUnreachable
from trainer.models import ModelStatus
from trainer.registry import ModelStore, ModelStoreError, VersionView

MIN_REASON_CHARACTERS = 10


@dataclass(frozen=True)
class Activated:
    version: VersionView
    gate: Optional[GateVerdict]
    served: bool  # False when the Rasa server was not running: the next start serves it


def gate_for(store: ModelStore, candidate: VersionView) -> Optional[GateVerdict]:
    """The gate's verdict on `candidate` against the active model, or None when either has
    no current scores yet (then nothing can be compared)."""
    active = store.active()
    if not is_current(candidate.scores):
        return None
    if active is None:
        return judge(candidate.scores, None)  # type: ignore[arg-type]
    if not is_current(active.scores):
        return None
    return judge(candidate.scores, active.scores)  # type: ignore[arg-type]


class Activation:
    def __init__(self, store: ModelStore, rasa: RasaModelServer) -> None:
        self._store = store
        self._rasa = rasa
        self._lock = asyncio.Lock()

    async def activate(self, version_id: int, member: Optional[StaffMember],
                       override_reason: Optional[str] = None,
                       rasa_may_be_down: bool = False) -> Activated:
        """`member` None is the operator at the command line (an admin by definition)."""
        async with self._lock:
            candidate = await asyncio.to_thread(self._store.view, version_id)
            if candidate.status not in (ModelStatus.READY, ModelStatus.RETIRED):
                raise ModelStoreError(409, f"version {version_id} is {candidate.status}; only a "
                                           "trained, evaluated version can be activated")
            verdict = await asyncio.to_thread(gate_for, self._store, candidate)
            if verdict is None:
                raise ModelStoreError(409, "evaluate this version and the active one on the "
                                           "current test set first")
            reason = (override_reason or "").strip() or None
            if not verdict.passed:
                if reason is None:
                    raise ModelStoreError(409, "the gate refuses this model: "
                                          + "; ".join(verdict.reasons))
                if member is not None and member.role != Role.ADMIN:
                    raise ModelStoreError(403, "only an admin may activate a model the gate "
                                               "refuses")
                if len(reason) < MIN_REASON_CHARACTERS:
                    raise ModelStoreError(422, "say why the gate is overridden (at least "
                                               f"{MIN_REASON_CHARACTERS} characters)")
            served = await self._serve(version_id, rasa_may_be_down)
            await asyncio.to_thread(self._store.make_active, version_id,
                                    None if member is None else member.id,
                                    reason if not verdict.passed else None)
            return Activated(await asyncio.to_thread(self._store.view, version_id), verdict,
                             served)

    async def rollback(self, member: Optional[StaffMember],
                       rasa_may_be_down: bool = False) -> Activated:
        """Back to the version that was active before (it passed its own activation)."""
        async with self._lock:
            target = await asyncio.to_thread(self._store.rollback_target)
            if target is None:
                raise ModelStoreError(409, "no earlier active version to roll back to")
            if target.override_reason and (member is None or member.role != Role.ADMIN):
                raise ModelStoreError(403, f"v{target.id} was activated over the gate's refusal; "
                                           "only an admin may bring it back")
            served = await self._serve(target.id, rasa_may_be_down)
            await asyncio.to_thread(self._store.make_active, target.id,
                                    None if member is None else member.id,
                                    target.override_reason)
            return Activated(await asyncio.to_thread(self._store.view, target.id), None, served)

    async def _serve(self, version_id: int, rasa_may_be_down: bool) -> bool:
        try:
            await self._rasa.load(self._store.model_path(version_id))
        except RasaUnreachable:
            if rasa_may_be_down:
                return False
            raise
        return True
