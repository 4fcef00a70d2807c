"""A training run: `rasa train` on the training data (TRAINING_DATA_DIR, which holds the
reviewed examples), then the evaluation of the new model (trainer.evaluation) and, when its
scores are missing or were measured on another test set, of the active model too, so the
two can be compared. Both run as child processes at a lower CPU priority than the chat,
with their progress written to the version's row as they go.

The workbench runs it in the background of the gateway; the CLI runs it in the foreground.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Awaitable, Callable, Dict, List, Optional, Sequence

import yaml

from ground.envfile import PROJECT_ROOT
from trainer.evaluation import SCORES_FILE, Scores, is_current, read_scores
from trainer.models import ModelStatus
from trainer.registry import ModelStore, ModelStoreError, file_fingerprint

COMPONENT_DONE = re.compile(r"(?:Finished training|Restored) component '([^']+)'")
TRAINING_SHARE = 0.6  # of the progress bar; the evaluations take the rest
LOG_TAIL_CHARACTERS = 3000
LINE_LIMIT = 1 << 24  # progress bars write long lines (joined by carriage returns)
EVALUATING_AGAIN = "evaluating on the current test set"
EVALUATED = "evaluated on the current test set"
EVALUATION_FAILED = "evaluation failed"


logger = logging.getLogger(__name__)


def _log_failure(task: "asyncio.Task[None]") -> None:
    """A background run records its own failures; this catches one that could not."""
    if not task.cancelled() and task.exception() is not None:
        logger.error("a training run or evaluation failed unrecorded", exc_info=task.exception())


def _child_environment() -> Dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONUNBUFFERED": "1"}


def _components_in(config: Path) -> int:
    """An upper bound on the components `rasa train` reports (pipeline and policies)."""
    content = yaml.safe_load(config.read_text()) or {}
    return max(1, len(content.get("pipeline") or []) + len(content.get("policies") or []))


class TrainingRunner:
    def __init__(self, store: ModelStore, training_data: Path,
                 python: str = sys.executable,
                 evaluator: Optional[Sequence[str]] = None,
                 trainer: Optional[Sequence[str]] = None) -> None:
        """`evaluator` is the command that evaluates a model version (MODEL OUT follow it);
        by default `trainer.evaluation` in `python`. The composition root passes one that
        runs it with the Rasa server's fixes (bot.runtime.version_evaluation). `trainer` is
        the command that trains (`rasa train`'s options follow it); by default `rasa train`
        beside `python`. The composition root passes one that trains the NLU pipeline and
        the policies side by side (bot.runtime.threaded_training)."""
        self._store = store
        self._data = training_data
        self._evaluator = list(evaluator or [python, "-m", "trainer.evaluation"])
        self._trainer = list(trainer or [str(Path(python).parent / "rasa"), "train"])
        self._task: Optional[asyncio.Task] = None

    # --- what the API calls -----------------------------------------------------------
    async def start(self, origin: str, note: Optional[str], started_by: Optional[int]) -> int:
        """Creates the version and trains it in the background (of the running loop)."""
        self._refuse_while_busy()
        version_id = await asyncio.to_thread(self._store.start, origin, note, started_by)
        self._launch(self.run(version_id))
        return version_id

    async def start_evaluation(self, version_id: int) -> None:
        version = await asyncio.to_thread(self._store.view, version_id)
        if version.status in (ModelStatus.FAILED, *ModelStatus.RUNNING):
            raise ModelStoreError(409, f"version {version_id} is {version.status}")
        self._refuse_while_busy()
        # the caller's next look at the version (the API answers 202 at once) must already
        # read "evaluating", not the stage from before the request
        reported = asyncio.Event()
        self._launch(self._evaluate_alone(version_id, reported))
        await reported.wait()

    def _launch(self, work: Awaitable[None]) -> None:
        self._task = asyncio.get_running_loop().create_task(work)  # type: ignore[arg-type]
        self._task.add_done_callback(_log_failure)

    async def _evaluate_alone(self, version_id: int,
                              reported: Optional[asyncio.Event] = None) -> None:
        """A re-evaluation on its own; its stage (and error) on the version tells how it went.
        `reported` is set once the version reads "evaluating" (or that could not be written)."""
        try:
            await asyncio.to_thread(self._store.report, version_id, error=None,
                                    stage=EVALUATING_AGAIN)
        finally:
            if reported is not None:
                reported.set()
        try:
            await self.evaluate(version_id)
        except asyncio.CancelledError:
            await asyncio.to_thread(self._store.report, version_id, stage=EVALUATION_FAILED,
                                    error="stopped: CareDesk shut down")
            raise
        except Exception as error:  # recorded on the version, like a failed training run
            await asyncio.to_thread(self._store.report, version_id, stage=EVALUATION_FAILED,
                                    error=str(error)[-4000:])

    def _refuse_while_busy(self) -> None:
        if self._task is not None and not self._task.done():
            raise ModelStoreError(409, "a training run or an evaluation is going; wait for it")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    # --- the run ------------------------------------------------------------------------
    async def run(self, version_id: int) -> None:
        store = self._store
        try:
            await self._train(version_id)
            fingerprint = await asyncio.to_thread(file_fingerprint, store.model_path(version_id))
            await asyncio.to_thread(store.report, version_id, status=ModelStatus.EVALUATING,
                                    progress=TRAINING_SHARE, stage="evaluating the new model",
                                    fingerprint=fingerprint)
            scores = await self._evaluate_into(version_id)
            active = await asyncio.to_thread(store.active)
            if active is not None and not is_current(active.scores):
                await asyncio.to_thread(store.report, version_id, progress=0.85,
                                        stage=f"evaluating the active model (v{active.id}) "
                                              "for the comparison")
                # a failure here is the active version's (its stage says so), not this one's
                await self._evaluate_alone(active.id)
            await asyncio.to_thread(store.finish, version_id, scores)
        except asyncio.CancelledError:
            await asyncio.to_thread(store.fail, version_id, "stopped: CareDesk shut down")
            raise
        except Exception as error:  # the run's failure is the version's state, not a crash
            await asyncio.to_thread(store.fail, version_id, str(error))

    async def evaluate(self, version_id: int) -> None:
        """(Re-)evaluates a stored version and keeps its scores."""
        scores = await self._evaluate_into(version_id)
        await asyncio.to_thread(self._store.report, version_id, scores=scores, stage=EVALUATED)

    async def _train(self, version_id: int) -> None:
        store = self._store
        expected = _components_in(self._data / "config.yml")
        command = ["nice", "-n", "10", *self._trainer,
                   "--config", str(self._data / "config.yml"),
                   "--domain", str(self._data / "domain"), "--data", str(self._data / "data"),
                   "--out", str(store.directory), "--fixed-model-name", f"v{version_id}"]
        done: List[str] = []

        def on_line(line: str) -> None:
            match = COMPONENT_DONE.search(line)
            if match:
                done.append(match.group(1))
                store.report(version_id, progress=TRAINING_SHARE * min(1.0, len(done) / expected),
                             stage=f"training: {len(done)} components done ({match.group(1)})")
            elif "Started validating domain and training data" in line:
                store.report(version_id, stage="checking the training data", progress=0.02)

        await asyncio.to_thread(store.report, version_id, stage="starting `rasa train`")
        await self._child(command, store.training_log(version_id), on_line, "training")
        if not store.model_path(version_id).exists():
            raise RuntimeError("`rasa train` finished without writing a model")

    async def _evaluate_into(self, version_id: int) -> Scores:
        out = self._store.evaluation_dir(version_id)
        await asyncio.to_thread(shutil.rmtree, out, True)  # no report of an earlier evaluation
        model = self._store.model_path(version_id)
        if not model.is_file():
            # said at once: the child would load Rasa (seconds on a busy machine) to say it
            raise RuntimeError(f"no model file at {model}")
        command = ["nice", "-n", "10", *self._evaluator, str(model), str(out)]
        await self._child(command, out.with_suffix(".log"), lambda _line: None, "evaluation")
        if not (out / SCORES_FILE).exists():
            raise RuntimeError("the evaluation wrote no scores")
        return read_scores(out)

    async def _child(self, command: List[str], log: Path, on_line: Callable[[str], None],
                     what: str) -> None:
        """Runs one child process, its output into `log`, each line seen by `on_line`."""
        log.parent.mkdir(parents=True, exist_ok=True)
        process = await asyncio.create_subprocess_exec(
            *command, cwd=PROJECT_ROOT, env=_child_environment(), limit=LINE_LIMIT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            with log.open("w") as output:
                assert process.stdout is not None
                async for raw in process.stdout:
                    line = raw.decode(errors="replace")
                    output.write(line)
                    await asyncio.to_thread(on_line, line)
            code = await process.wait()
        finally:
            if process.returncode is None:  # cancelled, or this side failed: no orphan
                process.kill()
                await process.wait()
        if code != 0:
            tail = log.read_text(errors="replace")[-LOG_TAIL_CHARACTERS:]
            raise RuntimeError(f"{what} failed (exit code {code}):\n{tail}")
