"""The confusion matrix the workbench shows is drawn for any evaluation's predictions."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
from PIL import Image

from trainer.evaluation import _plot_confusion_matrix


def predictions(pairs: List[tuple]) -> List[Dict[str, str]]:
    return [{"intent": intent, "predicted": predicted} for intent, predicted in pairs]


@pytest.mark.parametrize("pairs", [
    [("greet", "greet"), ("greet", "goodbye"), ("goodbye", "goodbye")] * 5,
    [("greet", "greet"), ("goodbye", "goodbye")],   # every count 1
    [("greet", "greet")],                            # a single intent
])
def test_the_confusion_matrix_is_a_picture(tmp_path: Path, pairs: List[tuple]) -> None:
    path = tmp_path / "matrix.png"
    _plot_confusion_matrix(predictions(pairs), path)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert min(image.size) > 500  # 20 x 20 inches, as Rasa draws it
