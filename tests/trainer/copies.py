"""A copy of the project's training data, for tests (and the test product) that write
into it instead of this checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

from ground.envfile import PROJECT_ROOT


def copy_training_data(target: Path) -> Path:
    """config.yml, domain/ and data/ of this checkout, copied under `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "config.yml", target / "config.yml")
    shutil.copytree(PROJECT_ROOT / "domain", target / "domain")
    shutil.copytree(PROJECT_ROOT / "data", target / "data")
    return target
