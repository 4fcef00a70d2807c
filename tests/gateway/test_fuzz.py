"""Property-based fuzzing of the gateway's whole HTTP API: every operation that
bot/gateway/openapi.yml lists, driven by schemathesis (in a virtual environment of its own,
.venv-fuzz, which `make test` builds from requirements-fuzz.lock) against a lone gateway
with its own SQLite databases and no Rasa (RASA_PORT 9: a customer message is handed over
with "assistant unavailable"), with every rate limit raised so that the limits do not
answer in the operations' place.

Each response is checked: no server error (5xx); a status code the spec documents for the
operation, with its content type, headers and body schema; the spec as strict as the
validation (schema-valid requests are not refused as invalid, schema-violating ones are);
405 with Allow for a method the spec does not list; 401/403 for a secured operation called
without credentials; 4xx without a required header.

The passes run one after the other, each with SEED, EXAMPLES examples per operation and
one worker, so a run repeats itself (the operations come from the spec, not from a list
here: a new operation is fuzzed as soon as it is documented):

1. anonymous: every operation, without a token;
2. customer: the operations a customer token opens, with a valid one, on its conversation;
3. telegram: the Telegram webhook with the right secret (Telegram's Bot API is unreachable);
4. staff: the operations a staff token opens, with an admin's token;
5. trainer: the trainer workbench's operations, with a trainer's token;
and, apart, the operations that would spoil the others' tokens or start real work:

- POST /api/v1/conversations with a bearer ends that conversation's access: fuzzed with a
  throwaway customer token of its own (and without a token in the anonymous pass).
- POST /api/v1/auth/logout ends the session it is sent with: fuzzed with a staff token of
  its own.
- PATCH /api/v1/staff/{user_id} may change the admin's own password, which ends every
  session of the admin: fuzzed last, with an admin token of its own.
- POST /api/v1/trainer/models starts a real `rasa train` (minutes of CPU) for any request
  it accepts: with a valid token it is fuzzed in a pass of its own while the training data
  folder has no config.yml, so that an accepted request starts a run that fails at once,
  before any child process; the test checks that every run it started failed that way and
  that no model was written. Without a valid token it is fuzzed like every other operation.
- GET /healthz answers 503 (documented) because Rasa and the action server are absent on
  purpose: 503 is allowed there, and nowhere else.

Semantic refusals that a JSON schema cannot state (e.g. a report's `from` after its `to`)
are listed in SEMANTIC_REFUSALS with their reasons: the responses stay checked against the
spec, only the "schema-valid request refused" check accepts those statuses there.

A failure shows schemathesis's own report (with a curl line to reproduce each finding).
About a minute (some 4,300 requests) on a two-core machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

import handoff.models  # noqa: F401  (model versions refer to staff users)
from ground.database import create_database_engine
from tests.product import (
    PROJECT_ROOT,
    CustomerClient,
    RunningProcess,
    StaffClient,
    product_environment,
    start_gateway,
)
from trainer.registry import ModelStore

SCHEMATHESIS = PROJECT_ROOT / ".venv-fuzz" / "bin" / "schemathesis"
SPEC = PROJECT_ROOT / "bot" / "gateway" / "openapi.yml"
EXAMPLES = 15
SEED = 20261130
PASS_TIMEOUT = 300  # seconds; a pass takes well under a minute
CHECKS = [
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance",
    "positive_data_acceptance", "negative_data_rejection",
    "unsupported_method", "ignored_auth", "missing_required_header",
]
UNLIMITED = "100000"
TELEGRAM_SECRET = "fuzz-telegram-secret"

LOGOUT = "POST /api/v1/auth/logout"
NEW_CONVERSATION = "POST /api/v1/conversations"
STAFF_CHANGE = "PATCH /api/v1/staff/{user_id}"
TRAINING = "POST /api/v1/trainer/models"
HEALTH = "GET /healthz"
TELEGRAM = "POST /telegram/webhook"
# fuzzed in passes of their own (module docstring)
APART = {LOGOUT, NEW_CONVERSATION, STAFF_CHANGE, TRAINING}

# statuses a schema-valid request may get besides schemathesis's defaults (2xx, 3xx, 401,
# 403, 404, 409, 429), and why no schema can rule those requests out
SEMANTIC_REFUSALS: Dict[str, tuple] = {
    "GET /api/v1/reports": (["400"], "`from` after `to`, or a range over 366 days"),
    "GET /api/v1/reports.csv": (["400"], "`from` after `to`, or a range over 366 days"),
    "POST /api/v1/conversations/{conversation_id}/messages": (
        ["422"], "a payload must be one of the buttons the bot offered in this conversation"),
    "POST /api/v1/tickets/{ticket_id}/transfer": (
        ["422"], "exactly one of tier and to_user, a skill with tier 2 and only there, and "
                 "to_user an active agent, expert or account manager other than the owner"),
    TELEGRAM: (["422"], "an update is Telegram's own format, which python-telegram-bot checks "
                          "field by field; the spec names only what the gateway reads itself"),
    "POST /api/v1/staff/{user_id}/customers": (
        ["422"], "the customer must exist and the staff member be an account manager"),
    STAFF_CHANGE: (["422"], "an admin cannot deactivate their own account"),
    "POST /api/v1/returns/{rma}/received": (
        ["400"], "`at` must be a day of the calendar (not 2026-02-30) and not in the future"),
    "POST /api/v1/returns/{rma}/refunded": (
        ["400"], "`at` must be a day of the calendar (not 2026-02-30) and not in the future"),
}


# --- the spec's operations ---------------------------------------------------------------
def _spec() -> Dict[str, Any]:
    return yaml.safe_load(SPEC.read_text())


def operations(spec: Dict[str, Any]) -> Dict[str, set]:
    """Every operation ("METHOD /path") and the security schemes that open it."""
    found = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            schemes = {name for requirement in operation.get("security", [])
                       for name in requirement}
            found[f"{method.upper()} {path}"] = schemes
    return found


def websockets(spec: Dict[str, Any]) -> List[str]:
    """The WebSocket operations: those answering 101 Switching Protocols."""
    return sorted(f"{method.upper()} {path}" for path, item in spec["paths"].items()
                  for method, operation in item.items()
                  if method != "parameters" and "101" in operation.get("responses", {}))


def opened_by(scheme: str, path_prefix: str = "") -> List[str]:
    return sorted(name for name, schemes in operations(_spec()).items()
                  if scheme in schemes and name not in APART
                  and name.split(" ", 1)[1].startswith(path_prefix))


# --- schemathesis --------------------------------------------------------------------------
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string for anything printable
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(value)


def _toml(config: Dict[str, Any]) -> str:
    lines: List[str] = []
    for table, content in config.items():
        if table == "operations":
            continue
        lines.append(f"[{table}]")
        lines.extend(f"{json.dumps(key)} = {_toml_value(value)}" for key, value in content.items())
    for operation in config.get("operations", []):
        lines.append("[[operations]]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in operation.items())
    return "\n".join(lines) + "\n"


def fuzz(name: str, url: str, folder: Path, include: Sequence[str],
         tokens: Optional[Dict[str, str]] = None,
         parameters: Optional[Dict[str, Any]] = None) -> None:
    """One schemathesis run over the `include`d operations; fails with its report."""
    assert include, f"{name}: no operation to fuzz"
    config: Dict[str, Any] = {"generation": {"database": "none"}, "checks": {"enabled": False}}
    for check in CHECKS:  # in the file, not on the command line, so operations can differ
        config[f"checks.{check}"] = {"enabled": True}
    for scheme, token in (tokens or {}).items():
        config[f"auth.openapi.{scheme}"] = {"bearer": token}
    if parameters:
        config["parameters"] = parameters
    config["operations"] = [
        {"include-name": HEALTH,
         "checks.not_a_server_error.expected-statuses": ["2xx", "3xx", "4xx", "503"]},
        *({"include-name": operation,
           "checks.positive_data_acceptance.expected-statuses":
               ["2xx", "3xx", "401", "403", "404", "409", "429", *statuses]}
          for operation, (statuses, _why) in SEMANTIC_REFUSALS.items()),
        # schemathesis speaks HTTP only: every request it sends to a WebSocket is refused
        # (426) before its parameters are read, so only the answers are checked there
        *({"include-name": operation, "checks.positive_data_acceptance.enabled": False,
           "checks.negative_data_rejection.enabled": False}
          for operation in websockets(_spec())),
    ]
    config_file = folder / f"{name}.toml"
    config_file.write_text(_toml(config))
    command = [str(SCHEMATHESIS), "--config-file", str(config_file), "--no-color", "run",
               f"{url}/openapi.json", "--max-examples", str(EXAMPLES), "--seed", str(SEED),
               "--workers", "1", "--request-timeout", "60",
               "--warnings", "off"]
    for operation in include:
        command += ["--include-name", operation]
    started = time.monotonic()
    run = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                         timeout=PASS_TIMEOUT,
                         env={"PATH": os.environ.get("PATH", ""), "HOME": str(folder),
                              "NO_COLOR": "1", "LANG": "C.UTF-8"})
    (folder / f"{name}.report").write_text(run.stdout + run.stderr)
    cases = re.search(r"(\d+) generated", run.stdout)
    print(f"fuzz pass {name}: {len(include)} operations, {cases.group(1) if cases else '?'} "
          f"test cases, {time.monotonic() - started:.1f} s")
    assert run.returncode == 0, f"fuzz pass {name!r} found problems:\n{_report(run)}"


def _report(run: subprocess.CompletedProcess) -> str:
    """schemathesis's report from its failures on (the start is only the set-up)."""
    out = run.stdout + run.stderr
    start = out.find("=== FAILURES")
    if start < 0:
        start = out.find("=== ERRORS")
    report = out[start:] if start >= 0 else out
    return report if len(report) < 40_000 else report[:30_000] + "\n[...]\n" + report[-8_000:]


# --- the gateway under test ---------------------------------------------------------------
@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    if not SCHEMATHESIS.exists():
        pytest.fail(f"{SCHEMATHESIS} is missing: `make test` builds it "
                    "(or `make .venv-fuzz/.installed`)")
    folder = tmp_path_factory.mktemp("fuzz")
    # decisions write reviewed examples into the training data: a copy, never the checkout's
    training = folder / "training"
    for part in ("domain", "data"):
        shutil.copytree(PROJECT_ROOT / part, training / part)
    shutil.copy(PROJECT_ROOT / "config.yml", training / "config.yml")
    env = product_environment(
        folder, RASA_PORT="9", ACTION_PORT="9",
        MESSAGE_RATE_PER_MINUTE=UNLIMITED, MESSAGE_RATE_PER_ADDRESS_PER_MINUTE=UNLIMITED,
        CONVERSATION_RATE_PER_MINUTE=UNLIMITED, LOGIN_RATE_PER_MINUTE=UNLIMITED,
        STAFF_REQUESTS_PER_MINUTE=UNLIMITED, TRAINER_REVEALS_PER_MINUTE=UNLIMITED,
        TELEGRAM_BOT_TOKEN="123456:fuzz", TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET,
        TRAINING_DATA_DIR=str(training), MODEL_STORE_DIR=str(folder / "versions"),
        AFTERCARE_POLL_SECONDS="3600")
    process = start_gateway(folder, env)
    yield process
    process.stop()


def _sessions(process: RunningProcess) -> sessionmaker:
    return sessionmaker(bind=create_database_engine(process.env["DATABASE_URL"]),
                        class_=Session, future=True, expire_on_commit=False)


def _versions(store: ModelStore) -> List[tuple]:
    """(id, status) of every model version."""
    return [(v.id, v.status) for v in store.versions()]


def test_every_operation_survives_fuzzing_and_answers_as_documented(
    gateway: RunningProcess, tmp_path: Path,
) -> None:
    url = gateway.gateway_url
    # state worth fuzzing against, and every token, before any fuzzing (the login fuzzing
    # slows logins down for the names it tries, admin included)
    customer = CustomerClient(url)
    assert customer.send(text="my parcel never arrived").status_code == 200  # handed over: ticket 1
    throwaway = CustomerClient(url)
    admin = StaffClient.admin(url)
    trainer = admin.add("fuzz-trainer", "trainer")
    manager = admin.add("fuzz-manager", "account_manager")
    leaving = StaffClient.admin(url)
    changing = StaffClient.admin(url)
    store = ModelStore(_sessions(gateway), Path(gateway.env["MODEL_STORE_DIR"]))
    failed = store.start("workbench", "seeded by the fuzz test; never trained", admin.user["id"])
    store.fail(failed, "seeded by the fuzz test: never trained")
    seeded_versions = _versions(store)
    every = sorted(operations(_spec()))

    fuzz("anonymous", url, tmp_path, every)
    fuzz("customer", url, tmp_path, opened_by("customerToken"),
         tokens={"customerToken": customer.token},
         parameters={"path.conversation_id": customer.id, "query.token": customer.token})
    fuzz("new-conversation-with-bearer", url, tmp_path, [NEW_CONVERSATION],
         tokens={"customerToken": throwaway.token})
    fuzz("telegram", url, tmp_path, [TELEGRAM],
         parameters={"header.X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    fuzz("staff", url, tmp_path, opened_by("staffToken"),
         tokens={"staffToken": admin.token},
         parameters={"path.conversation_id": customer.id, "query.token": admin.token,
                     "path.user_id": manager.user["id"]})
    fuzz("trainer", url, tmp_path, opened_by("staffToken", "/api/v1/trainer/"),
         tokens={"staffToken": trainer.token},
         parameters={"path.conversation_id": customer.id})
    config = Path(gateway.env["TRAINING_DATA_DIR"]) / "config.yml"
    config.rename(config.with_suffix(".aside"))
    try:
        fuzz("training", url, tmp_path, [TRAINING], tokens={"staffToken": trainer.token})
    finally:
        config.with_suffix(".aside").rename(config)
    deadline = time.monotonic() + 30  # a run the pass started may be ending right now
    while store.running() is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    started = [v for v in store.versions() if (v.id, v.status) not in seeded_versions]
    assert all(v.status == "failed" and "config.yml" in (v.error or "") for v in started), \
        [(v.id, v.status, v.stage, v.error) for v in started]
    assert not list(Path(gateway.env["MODEL_STORE_DIR"]).iterdir()), "a run got further"
    fuzz("logout", url, tmp_path, [LOGOUT], tokens={"staffToken": leaving.token})
    fuzz("staff-changes", url, tmp_path, [STAFF_CHANGE], tokens={"staffToken": changing.token})


def test_every_operation_is_in_a_pass() -> None:
    """The passes above reach every operation of the spec: the anonymous pass all of them,
    and each secured one with a valid token too (in its scheme's pass or in a pass apart)."""
    found = operations(_spec())
    with_token = set(opened_by("customerToken")) | set(opened_by("staffToken")) | APART
    secured = {name for name, schemes in found.items() if schemes}
    assert secured <= with_token, f"never fuzzed with a valid token: {secured - with_token}"
    assert APART <= set(found), f"handled apart but not in the spec: {APART - set(found)}"
    assert set(SEMANTIC_REFUSALS) <= set(found)
