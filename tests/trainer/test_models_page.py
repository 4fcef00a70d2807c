"""The models section of the trainer workbench in a real browser, against the running
product: a trainer trains a model, follows the run, compares the new version with the
active one, activates it through the gate and rolls back, and the Rasa server really
serves each. Slow: a real `rasa train` and two evaluations."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.product import ADMIN_PASSWORD, RunningProcess, StaffClient

RUN_TIMEOUT_MS = 15 * 60 * 1000
SWITCH_TIMEOUT_MS = 5 * 60 * 1000  # the Rasa server loads the model before the switch
FIGURE = re.compile(r"^(0\.\d{3}|1\.000)$")


def log_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def run_log(product: RunningProcess, version: int) -> str:
    store = Path(product.env["MODEL_STORE_DIR"])
    logs = [store / f"v{version}-training.log", store / f"v{version}-evaluation.log"]
    return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())


def test_a_trainer_trains_compares_activates_and_rolls_back(workbench: Page,
                                                           product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    name = f"tina-{uuid.uuid4().hex[:6]}"
    trainer = admin.add(name, "trainer")
    workbench.goto(product.gateway_url + "/trainer")
    log_in(workbench, name, f"{name}-password-0123")

    models = workbench.locator("#models")
    active_row = models.locator("#versions tbody tr.active")
    expect(active_row).to_have_count(1, timeout=10_000)
    previous = int(active_row.get_attribute("data-id") or 0)
    assert product.served_model() == f"v{previous}.tar.gz"

    def status_of(version: int) -> Locator:
        return models.locator(f"#versions tr[data-id='{version}'] .status")

    train = models.get_by_role("button", name="Train a new model")
    expect(train).to_be_enabled(timeout=RUN_TIMEOUT_MS)  # in case another run is going
    note = f"<b>retrained</b> by the browser test {uuid.uuid4().hex[:4]}"
    models.get_by_label("Note").fill(note)
    train.click()
    expect(train).to_be_disabled()
    expect(models.locator("#run progress")).to_be_visible()
    expect(models.locator("#run-stage")).to_have_text(re.compile(r"^v\d+: \S.*\(\d+%\)$"))
    row = models.locator("#versions tbody tr", has_text=note)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(7)).to_have_text(note)  # the markup is shown, not applied
    new = int(row.get_attribute("data-id") or 0)
    assert new > previous
    expect(models.locator("#run-stage")).to_contain_text(f"v{new}: ")
    workbench.wait_for_function("() => document.querySelector('#run-progress').value > 0"
                                " || document.querySelector('#run').hidden", timeout=RUN_TIMEOUT_MS)

    status = status_of(new)
    expect(status).to_have_text(re.compile(r"^(ready|failed)$"), timeout=RUN_TIMEOUT_MS)
    assert status.inner_text() == "ready", run_log(product, new)
    expect(models.locator("#run")).to_be_hidden()
    expect(train).to_be_enabled()
    expect(models.locator("#models-status")).to_have_text(
        f"v{new} is trained and evaluated: compare it with the active model.")
    expect(row.locator("td").nth(4)).to_have_text(FIGURE)  # its macro-F1

    row.get_by_role("button", name="Compare").click()
    panel = workbench.locator("#comparison")
    expect(panel.locator("#comparison-title")).to_have_text(
        f"v{new} compared with the active v{previous}")
    macro_f1 = panel.locator("#scores tr", has_text="Macro-F1").locator("td")
    expect(macro_f1).to_have_text([FIGURE, FIGURE])  # the new version's and the active one's
    intents = panel.locator("#intents tbody tr")
    expect(intents.first.locator("td")).to_have_text([re.compile(r"^\d\.\d{3}"), FIGURE])
    assert intents.count() > 5
    images = panel.locator("#matrices img")
    expect(images).to_have_count(2, timeout=30_000)
    expect(images.nth(0)).to_have_attribute("alt", f"Confusion matrix of v{new}")
    expect(images.nth(1)).to_have_attribute("alt", f"Confusion matrix of v{previous}")
    workbench.wait_for_function("() => [...document.querySelectorAll('#matrices img')]"
                                ".every((image) => image.complete && image.naturalWidth > 0)")
    loaded = images.evaluate_all("(all) => all.map((image) => image.naturalWidth > 0)")
    assert loaded == [True, True]

    verdict = panel.locator("#gate-verdict")
    activate = panel.get_by_role("button", name=f"Activate v{new}")
    gate = trainer.http.get(f"/api/v1/trainer/models/{new}").json()["gate"]
    if gate["passed"]:
        # the training data is what the active model learnt from: nothing gets worse
        expect(verdict).to_have_text("The gate lets this model through.")
        expect(panel.get_by_role("button", name="Activate anyway")).to_be_hidden()
        activate.click()
    else:
        # other tests of this session changed the training data since the active model was
        # trained: the refusal is shown, a trainer cannot override it, an admin can
        expect(verdict).to_have_text("The gate refuses this model:")
        expect(panel.locator("#gate-reasons li")).to_have_text(gate["reasons"])
        expect(activate).to_be_disabled()
        expect(panel.get_by_role("button", name="Activate anyway")).to_be_hidden()
        workbench.get_by_role("button", name="Log out").click()
        log_in(workbench, "admin", ADMIN_PASSWORD)
        row.get_by_role("button", name="Compare").click()
        reason = panel.get_by_label("Reason for overriding the gate")
        reason.fill("the browser test needs this model")
        panel.get_by_role("button", name="Activate anyway").click()
    expect(panel.locator("#comparison-status")).to_have_text(f"v{new} is now active.",
                                                             timeout=SWITCH_TIMEOUT_MS)
    expect(status_of(new)).to_have_text("active")
    expect(status_of(previous)).to_have_text("retired")
    expect(models.locator("#versions tbody tr.active")).to_have_count(1)
    expect(panel.locator("#comparison-title")).to_have_text(f"v{new}, the active model")
    expect(activate).to_be_disabled()
    assert product.served_model() == f"v{new}.tar.gz"
    assert trainer.http.get("/api/v1/trainer/models").json()["active"] == new

    models.get_by_role("button", name=f"Roll back to v{previous}").click()
    expect(models.locator("#models-status")).to_have_text(
        f"Rolled back: v{previous} is now active.", timeout=SWITCH_TIMEOUT_MS)
    expect(status_of(previous)).to_have_text("active")
    expect(status_of(new)).to_have_text("retired")
    expect(panel.locator("#comparison-title")).to_have_text(
        f"v{new} compared with the active v{previous}")
    assert product.served_model() == f"v{previous}.tar.gz"
    assert trainer.http.get("/api/v1/trainer/models").json()["active"] == previous

    # on a narrow screen nothing sticks out of the page: the wide tables scroll by themselves
    workbench.set_viewport_size({"width": 400, "height": 800})
    assert workbench.evaluate("document.documentElement.scrollWidth") <= 400
