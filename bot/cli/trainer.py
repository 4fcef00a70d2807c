"""The trainer's work from the command line: `python -m bot.cli.trainer --help`, or
`make trainer ARGS="..."` (`make review` lists the inbox, `make train` trains and evaluates).

It works on the same database, training data and model store as the running product; an
activation or rollback hot-swaps the model in the running Rasa server, or, when CareDesk is
not running, is what its next start serves.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import List, Optional

from sqlalchemy.orm import sessionmaker

from bot.runtime import threaded_training, version_evaluation
from bot.runtime.supervisor import MODEL_PATH
from bot.schema import upgrade
from ground.settings import Settings
from ground.database import session_factory
from handoff.accounts import StaffAccounts, StaffMember
from reports.tracker import tracker_engine
from trainer.activation import Activated, Activation, gate_for
from trainer.api import TRAINERS
from trainer.hot_swap import RasaModelServer, RasaRefused, RasaUnreachable
from trainer.inbox import FILTERS, Inbox
from trainer.masking import Span
from trainer.models import ModelStatus, Verdict
from trainer.registry import ModelStore, ModelStoreError, VersionView
from trainer.reviews import Reviews
from trainer.training_data import TrainingData, TrainingDataError
from trainer.training_run import TrainingRunner



class CommandError(Exception):
    pass


def _span(raw: str) -> Span:
    start, end, entity = (raw.split(":") + ["", ""])[:3]
    if not (start.isdigit() and end.isdigit() and entity):
        raise argparse.ArgumentTypeError("write START:END:ENTITY, e.g. 17:23:product")
    return Span(int(start), int(end), entity)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caredesk-trainer", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    inbox = commands.add_parser("inbox", help="customer messages waiting for review (order numbers, "
                                              "e-mails, postcodes and phones shown as placeholders)")
    inbox.add_argument("--filter", choices=FILTERS, help="only one kind of message")
    inbox.add_argument("--limit", type=int, default=20)
    decide = commands.add_parser("decide", help="confirm, correct or discard one inbox message")
    decide.add_argument("message", type=int, help="the message's id (first column of `inbox`)")
    decide.add_argument("verdict", choices=Verdict.ALL)
    decide.add_argument("--intent", help="the right intent (for correct)")
    decide.add_argument("--new-intent", action="store_true", help="create --intent as a new intent")
    decide.add_argument("--entity", action="append", default=[], type=_span,
                        metavar="START:END:ENTITY",
                        help="mark characters START to END of the message, as `inbox` shows it, "
                             "as ENTITY (repeatable)")
    decide.add_argument("--as", dest="reviewer", required=True,
                        help="your staff user name (a trainer or an admin)")
    train = commands.add_parser("train", help="train a model on the training data, then evaluate it")
    train.add_argument("--note", help="why this run (shown in the version history)")
    commands.add_parser("versions", help="every model version with its scores")
    show = commands.add_parser("show", help="a version beside the active one, and the gate's verdict")
    show.add_argument("version", type=int)
    evaluate = commands.add_parser("evaluate", help="(re-)evaluate a version on the current test set")
    evaluate.add_argument("version", type=int)
    activate = commands.add_parser("activate", help="activate a version (the gate decides)")
    activate.add_argument("version", type=int)
    activate.add_argument("--override", metavar="REASON",
                          help="activate although the gate refuses, and say why (admins)")
    rollback = commands.add_parser("rollback", help="back to the version that was active before")
    for command in (activate, rollback):
        command.add_argument("--as", dest="operator", metavar="USERNAME",
                             help="your staff user name (recorded; an override needs an admin)")
    return parser


def _member(sessions: sessionmaker, username: str) -> StaffMember:
    member = StaffAccounts(sessions).by_username(username)
    if member is None or not member.active or member.role not in TRAINERS:
        raise CommandError(f"{username} is not an active trainer or admin")
    return member


def _printable(text: str) -> str:
    """Customer text without control characters (which could steer the terminal)."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _line(version: VersionView) -> str:
    scores = version.scores
    measured = (f"macro-F1 {scores.macro_f1:.3f}  accuracy {scores.accuracy:.3f}  stories "
                f"{len(scores.stories_passed)}/{len(scores.stories_passed) + len(scores.stories_failed)}"
                if scores else "not evaluated")
    return (f"v{version.id:<4} {version.status:<10} {version.origin:<9} "
            f"{version.started_at:%Y-%m-%d %H:%M}  {measured}"
            + (f"  overridden: {version.override_reason}" if version.override_reason else "")
            + (f"  ({version.error.splitlines()[0]})" if version.error else ""))


def _print_comparison(store: ModelStore, version: VersionView) -> None:
    active = store.active()
    print(_line(version))
    if active is not None and active.id != version.id:
        print(_line(active) + "   <- active")
    if version.scores and active is not None and active.scores:
        print(f"\n{'intent':<28}{'F1 v' + str(version.id):>10}{'F1 v' + str(active.id):>10}")
        names = sorted(set(version.scores.intents) | set(active.scores.intents))
        for name in names:
            mine, theirs = version.scores.intents.get(name), active.scores.intents.get(name)
            print(f"{name:<28}{mine.f1 if mine else float('nan'):>10.3f}"
                  f"{theirs.f1 if theirs else float('nan'):>10.3f}")
    verdict = gate_for(store, version)
    if verdict is None:
        print("\nGate: evaluate both versions on the current test set first")
    else:
        print(f"\nGate: {'passes' if verdict.passed else 'refuses'}"
              + "".join(f"\n  - {reason}" for reason in verdict.reasons))


async def _train(store: ModelStore, runner: TrainingRunner, note: Optional[str]) -> int:
    version_id = store.start("cli", note, None)
    print(f"Training v{version_id} (log: {store.training_log(version_id)})", flush=True)
    task = asyncio.create_task(runner.run(version_id))
    shown = ""
    while not task.done():
        await asyncio.sleep(1)
        version = store.view(version_id)
        if version.stage != shown:
            shown = version.stage
            print(f"  {version.progress:4.0%}  {shown}", flush=True)
    await task
    version = store.view(version_id)
    if version.status == ModelStatus.FAILED:
        print(f"Training failed:\n{version.error}", file=sys.stderr)
        return 1
    _print_comparison(store, version)
    return 0


def _activated(result: Activated) -> None:
    where = ("the running Rasa server now answers with it" if result.served
             else "CareDesk is not running; its next start serves it")
    print(f"v{result.version.id} is active: {where}.")


def run(args: argparse.Namespace, settings: Settings) -> int:
    sessions = session_factory(settings.database_url)
    store = ModelStore(sessions, settings.model_store_dir)
    if args.command not in ("inbox", "decide") and MODEL_PATH.exists():
        store.register_build(MODEL_PATH)
    runner = TrainingRunner(store, settings.training_data_dir,
                            evaluator=version_evaluation.command(),
                            trainer=threaded_training.command())
    activation = Activation(store, RasaModelServer(settings.rasa_server_urls, settings.rasa_token))
    if args.command == "inbox":
        inbox = Inbox(tracker_engine(settings.tracker_db_url), sessions,
                      settings.trainer_low_confidence, settings.training_data_dir)
        items = inbox.items(args.filter, False, args.limit)
        for item in items:
            print(f"{item.id:>7}  {item.intent or '-':<22} {item.confidence:4.2f}  "
                  f"{','.join(item.reasons):<22} {_printable(item.text)}"
                  + (f"  [help article: {item.help_article['slug']} "
                     f"{item.help_article['score']:.2f}]" if item.help_article else ""))
        print(f"{len(items)} message(s) to review")
        return 0
    if args.command == "decide":
        member = _member(sessions, args.reviewer)
        inbox = Inbox(tracker_engine(settings.tracker_db_url), sessions,
                      settings.trainer_low_confidence, settings.training_data_dir)
        reviews = Reviews(sessions, inbox, TrainingData(settings.training_data_dir))
        decided = reviews.decide(args.message, member, args.verdict, args.intent, args.new_intent,
                                 args.entity)
        print(f"{decided['verdict']}: {decided['example'] or 'discarded'}"
              + (f" -> {decided['intent']}" if decided["intent"] else ""))
        return 0
    if args.command == "train":
        return asyncio.run(_train(store, runner, args.note))
    if args.command == "versions":
        for version in store.versions():
            print(_line(version))
        return 0
    if args.command == "show":
        _print_comparison(store, store.view(args.version))
        return 0
    if args.command == "evaluate":
        version = store.view(args.version)
        if version.status in (ModelStatus.FAILED, *ModelStatus.RUNNING):
            raise CommandError(f"version {args.version} is {version.status}")
        asyncio.run(runner.evaluate(args.version))
        _print_comparison(store, store.view(args.version))
        return 0
    operator = _member(sessions, args.operator) if args.operator else None
    if args.command == "activate":
        if args.override and operator is None:
            raise CommandError("an override needs your name: --as ADMIN")
        _activated(asyncio.run(activation.activate(args.version, operator, args.override,
                                                   rasa_may_be_down=True)))
        return 0
    _activated(asyncio.run(activation.rollback(operator, rasa_may_be_down=True)))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    upgrade(settings.database_url)
    try:
        return run(args, settings)
    except (CommandError, RasaUnreachable, RasaRefused, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
    except (ModelStoreError, TrainingDataError) as error:
        print(f"error: {error.message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
