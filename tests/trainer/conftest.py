"""A copy of the project's training data for tests that write into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.trainer.copies import copy_training_data


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_training_data(tmp_path / "project")
