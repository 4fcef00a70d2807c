"""A copy of the project's training data for tests that write into it, and the
workbench page in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.trainer.copies import copy_training_data


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_training_data(tmp_path / "project")


@pytest.fixture
def workbench(browser: Browser) -> Iterator[Page]:
    """A fresh browser page; the test fails on any JavaScript error in it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []
