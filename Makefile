# CareDesk — every task a developer runs. `make run` and `make test` do all the set-up.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
STAMP   := $(VENV)/.installed
# the API fuzzer (schemathesis) lives in a venv of its own: it needs Python >= 3.11 and its
# pins clash with Rasa's
FUZZ_VENV  := .venv-fuzz
FUZZ_PY    := $(FUZZ_VENV)/bin/python
FUZZ_STAMP := $(FUZZ_VENV)/.installed
MODEL   := models/caredesk.tar.gz
RESULTS := results
# where the benchmark datasets live (a checkout of the shared folder beside the project)
SHARED  ?= ../shared

# no usage telemetry or error reports leave the machine
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

TRAINING_INPUTS := config.yml $(shell find domain data bot/nlu bot/policies -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null) \
	company/help_articles.py $(wildcard company/help_articles/*.md)

.PHONY: lean-test-model help system-test system-run system-scaled install run run-scaled test eval eval-project eval-banking77 eval-external eval-calibrate bench migrate telegram-poll staff returns shell seed lock lock-fuzz clean review train trainer

help:
	@echo "make run    - set up everything and start CareDesk on localhost (Ctrl-C stops it)"
	@echo "make run-scaled - the same scaled out on one machine: PostgreSQL, Redis, SCALE (2) gateways,"
	@echo "               Rasa servers and action servers behind nginx (README: Scaling out)"
	@echo "make test   - set up everything and run every check (data validation, pytest, story tests)"
	@echo "make eval   - measure NLU quality (project data held-out split, Banking77 benchmark, and the"
	@echo "               product model on phrasing nobody here wrote: writes docs/nlu-figures.md)"
	@echo "make eval-calibrate - fallback settings against answers and wrong answers (Banking77 train split)"
	@echo "make bench  - what one machine carries: 50 and 200 conversations, with and without a"
	@echo "               customer's pause; writes docs/bench-figures.md and docs/bench-chart.svg"
	@echo "               (ARGS=--quick: a small load in a few minutes, written under results/bench/)"
	@echo "make migrate - apply database migrations (make run does it by itself)"
	@echo "make telegram-poll - feed Telegram updates to a local gateway by long polling (no public address needed)"
	@echo "make shell  - talk to the bot in the terminal (rasa shell, needs 'make run' running)"
	@echo "make seed   - (re)create the demo company data and the report's demo history"
	@echo "make staff  - manage staff accounts (ARGS=\"add NAME --role agent\", \"list\", ...)"
	@echo "make returns - the returns desk: a parcel received, a refund paid (ARGS=\"received RMA-123456\")"
	@echo "make review - customer messages waiting for a trainer's review (the workbench's inbox)"
	@echo "make train  - train a model version on the training data and evaluate it (activate: make trainer)"
	@echo "make trainer ARGS=--help - the trainer's commands: inbox, decide, train, versions, show,"
	@echo "               evaluate, activate, rollback"
	@echo "make lock   - re-pin requirements.lock after editing requirements.in"
	@echo "make lock-fuzz - re-pin requirements-fuzz.lock (the API fuzzer's venv) after editing requirements-fuzz.in"

# the system packages (browser, PostgreSQL, timezone database, a Python for the fuzzer's
# venv) are checked before anything else: a missing one stops the build in seconds with the
# command that installs it (as root on Debian, scripts/check-system installs it itself)
system-test:
	@scripts/check-system test

system-run:
	@scripts/check-system run

system-scaled:
	@scripts/check-system scaled

$(PY):
	@python=$$(scripts/find-python310) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(STAMP): $(PY) requirements.lock scripts/fetch_embedding_model.py scripts/pip-install-locked
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==23.3.2"
	scripts/pip-install-locked $(PY) requirements.lock
	$(PY) -m pip check
	$(PY) scripts/fetch_embedding_model.py
	@touch $@

install: $(STAMP)

$(FUZZ_PY):
	@python=$$(scripts/find-python311) && echo "Creating $(FUZZ_VENV) with $$python" && "$$python" -m venv $(FUZZ_VENV)

$(FUZZ_STAMP): $(FUZZ_PY) requirements-fuzz.lock scripts/pip-install-locked
	$(FUZZ_PY) -m pip install --quiet --disable-pip-version-check "pip==23.3.2"
	scripts/pip-install-locked $(FUZZ_PY) requirements-fuzz.lock
	$(FUZZ_PY) -m pip check
	@touch $@

.env: .env.example | $(STAMP)
	$(PY) -m ground.envfile

# Rasa trains only when the config, the domain, the training data or the NLU components changed;
# `rasa train` with the NLU pipeline and the policies trained side by side (bot.runtime.threaded_training)
$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	@mkdir -p models
	$(PY) -m bot.runtime.threaded_training train --config config.yml --domain domain --data data --out models --fixed-model-name caredesk
	@touch $@

run: system-run $(STAMP) .env $(MODEL)
	$(PY) -m bot.runtime

# SCALE=3 make run-scaled (or SCALE in .env): how many of each server; files in var/scaled/
run-scaled: system-scaled $(STAMP) .env $(MODEL)
	$(PY) -m bot.runtime.scaled

seed: $(STAMP) .env
	$(PY) -m bot.cli.seed --reset
	$(PY) -m bot.demo_history

shell: $(STAMP) .env
	$(PY) -m bot.runtime.shell

# pytest runs in three sessions side by side, each with its own temp folder, so that the
# two cores stay busy while a session waits: the trainer's real `rasa train` runs and
# evaluations (niced children of their own products) in one; in another the tests that need
# nothing of the main session's product: a slow or dead assistant behind their own gateways,
# two gateways sharing the work, retries after a delay, the staying-up tests (each process of
# their own product killed and waited for), the scaled profile, the TED loading test (its own
# loads of the model) and the fuzzing of the gateway's API (its own gateway, its own venv);
# the rest in the main session. `rasa data validate` and the story tests run beside
# them (the story tests through the Rasa server's command line: the model predicts as the
# product serves it, and loads in half the CPU time of plain `rasa test core`). Logs and
# JUnit reports go under results/; the last line adds up the pytest sessions, and any part
# failing fails the target with the end of its log.
SIDE_TESTS := tests/trainer/test_model_lifecycle.py tests/trainer/test_models_page.py
APART_TESTS := tests/gateway/test_assistant_slow.py tests/gateway/test_assistant_down.py \
	tests/needs/test_webhook_two_gateways.py tests/feedback/test_aftercare_two_gateways.py \
	tests/gateway/test_two_gateways.py tests/bot/test_staying_up.py tests/bot/test_ted_loading.py \
	tests/bot/test_scaled.py tests/gateway/test_fuzz.py

# the trainer tests' lean build (tests/trainer/lean_training.py, cached by the fingerprint of
# its inputs under var/test-models/), trained before the pytest sessions start, after the
# product's model, so that no session waits on it with the other two competing for the cores
lean-test-model: $(STAMP)
	$(PY) -m tests.trainer.lean_training

test: system-test $(STAMP) $(FUZZ_STAMP) $(MODEL) lean-test-model
	@rm -f $(RESULTS)/pytest-*.xml && mkdir -p $(RESULTS) var
	@echo "beside this pytest run: $(SIDE_TESTS) ($(RESULTS)/pytest-side.log)," \
		"$(APART_TESTS) ($(RESULTS)/pytest-apart.log)," \
		"rasa data validate ($(RESULTS)/validate.log), the story tests ($(RESULTS)/stories.log)"
	@$(RASA) data validate --config config.yml --domain domain --data data --fail-on-warnings \
		> $(RESULTS)/validate.log 2>&1 & validate=$$!; \
	$(PY) -m bot.runtime.rasa_server test core --model $(MODEL) --stories tests/stories --out $(RESULTS)/stories \
		--fail-on-prediction-errors > $(RESULTS)/stories.log 2>&1 & stories=$$!; \
	$(PY) -m pytest $(SIDE_TESTS) --basetemp=var/pytest-side \
		--junitxml=$(RESULTS)/pytest-side.xml > $(RESULTS)/pytest-side.log 2>&1 & side=$$!; \
	$(PY) -m pytest $(APART_TESTS) --basetemp=var/pytest-apart \
		--junitxml=$(RESULTS)/pytest-apart.xml > $(RESULTS)/pytest-apart.log 2>&1 & apart=$$!; \
	status=0; \
	$(PY) -m pytest $(addprefix --ignore=,$(SIDE_TESTS) $(APART_TESTS)) --junitxml=$(RESULTS)/pytest-main.xml \
		|| status=$$?; \
	for job in "validate:$$validate" "stories:$$stories" "pytest-side:$$side" "pytest-apart:$$apart"; do \
		if ! wait "$${job#*:}"; then \
			status=1; echo "FAILED: $${job%%:*} (end of $(RESULTS)/$${job%%:*}.log):"; \
			tail -n 60 "$(RESULTS)/$${job%%:*}.log"; \
		fi; \
	done; \
	echo "beside it: $$(tail -n 1 $(RESULTS)/pytest-side.log)"; \
	echo "and: $$(tail -n 1 $(RESULTS)/pytest-apart.log)"; \
	$(PY) scripts/junit_totals.py $(RESULTS)/pytest-main.xml $(RESULTS)/pytest-side.xml \
		$(RESULTS)/pytest-apart.xml || status=1; \
	exit $$status

telegram-poll: $(STAMP) .env
	$(PY) -m bot.channels.telegram_poll

migrate: $(STAMP) .env
	$(PY) -m bot.schema

# staff accounts, e.g. make staff ARGS="add sam --role agent --name 'Sam Reed'"
staff: $(STAMP) .env
	$(PY) -m bot.cli.staff $(ARGS)

# the returns desk, e.g. make returns ARGS="received RMA-123456" (or "refunded RMA-123456")
returns: $(STAMP) .env
	$(PY) -m bot.cli.returns $(ARGS)

# the trainer's work, e.g. make trainer ARGS="activate 3" (see make trainer ARGS=--help)
trainer: $(STAMP) .env
	$(PY) -m bot.cli.trainer $(ARGS)

review: $(STAMP) .env
	$(PY) -m bot.cli.trainer inbox $(ARGS)

train: $(STAMP) .env
	$(PY) -m bot.cli.trainer train $(ARGS)

# CPU per turn inside Rasa by stage (bot.benchmarks.turn_profile), then the load runs (50 and
# 200 concurrent conversations, with and without a customer's pause): latency, turns per
# second, CPU per turn by process and tickets opened by load, written to
# docs/bench-figures.md, docs/bench-chart.svg and results/bench/figures.json
bench: $(STAMP) $(MODEL)
	$(PY) -m bot.benchmarks.turn_profile
	$(PY) -m bot.benchmarks.replies $(ARGS)

eval: eval-project eval-banking77 eval-external

# the product's model on phrasing nobody here wrote (Banking77 overlap and out-of-scope, the
# noise set); writes docs/nlu-figures.md
eval-external: $(STAMP) $(MODEL)
	SHARED=$(SHARED) $(PY) -m bot.evaluation.external --model $(MODEL) --out $(RESULTS)/external

# how fallback settings trade answers against wrong answers, on Banking77's training split
eval-calibrate: $(STAMP) $(MODEL)
	SHARED=$(SHARED) $(PY) -m bot.evaluation.external --model $(MODEL) --calibrate

eval-project: $(STAMP)
	$(PY) -m bot.evaluation.project --out $(RESULTS)/project

eval-banking77: $(STAMP)
	$(PY) -m bot.evaluation.banking77 --dataset $(SHARED)/datasets/banking77 --out $(RESULTS)/banking77

lock: $(PY)
	$(PY) -m pip install --quiet "pip==23.3.2"
	$(PY) -m pip install --quiet -r requirements.in
	$(PY) -m pip check
	$(PY) -m pip freeze --exclude-editable | grep -v '^pkg_resources' > requirements.lock
	@echo "requirements.lock re-pinned"

lock-fuzz: $(FUZZ_PY)
	$(FUZZ_PY) -m pip install --quiet --disable-pip-version-check "pip==23.3.2"
	$(FUZZ_PY) -m pip install --quiet --disable-pip-version-check -r requirements-fuzz.in
	$(FUZZ_PY) -m pip check
	$(FUZZ_PY) -m pip freeze --exclude-editable | grep -v '^pkg_resources' > requirements-fuzz.lock
	@echo "requirements-fuzz.lock re-pinned"

clean:
	rm -rf $(VENV) $(FUZZ_VENV) models/*.tar.gz $(RESULTS) .pytest_cache var/test-models
