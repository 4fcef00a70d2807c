"""The classifier's own fit is scikit-learn's multinomial logistic regression: the same
probabilities on the same features, whether they come as a dense block, a sparse block or
both."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from bot.nlu.softmax_regression import fit_softmax_regression

CLASSES = 4


def probabilities(features: sp.csr_matrix, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    logits = np.asarray(features @ coef.T) + intercept
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


@pytest.fixture
def problem() -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
    """Overlapping classes (so the optimum is not at infinity): a dense block with a class
    signal and a sparse block of counts."""
    rng = np.random.default_rng(5)
    labels = rng.integers(CLASSES, size=300)
    dense = rng.normal(size=(300, 6))
    dense[np.arange(300), labels] += 1.0
    counts = sp.random(300, 40, density=0.1, random_state=6, format="csr") * 3
    counts = counts + sp.csr_matrix((np.ones(300), (np.arange(300), labels * 5)), shape=(300, 40))
    return dense, sp.csr_matrix(counts), labels


@pytest.mark.parametrize("blocks", ["both", "dense", "sparse"])
def test_the_fit_gives_scikit_learns_probabilities(problem, blocks: str) -> None:
    dense, sparse, labels = problem
    dense = dense if blocks in ("both", "dense") else None
    sparse = sparse if blocks in ("both", "sparse") else None
    joined = sp.hstack([sp.csr_matrix(b) for b in (dense, sparse) if b is not None], format="csr")

    ours = fit_softmax_regression(dense, sparse, labels, CLASSES, C=2.0)
    reference = LogisticRegression(C=2.0, max_iter=1000).fit(joined, labels)

    assert ours.converged
    assert ours.coef.shape == (CLASSES, joined.shape[1])
    difference = np.abs(probabilities(joined, ours.coef, ours.intercept)
                        - reference.predict_proba(joined)).max()
    assert difference < 1e-4


def test_a_stronger_penalty_gives_smaller_weights(problem) -> None:
    dense, sparse, labels = problem
    loose = fit_softmax_regression(dense, sparse, labels, CLASSES, C=10.0)
    tight = fit_softmax_regression(dense, sparse, labels, CLASSES, C=0.01)
    assert np.linalg.norm(tight.coef) < np.linalg.norm(loose.coef) / 5


def test_a_class_without_examples_gets_the_lowest_probability(problem) -> None:
    """Labels index a fixed list of classes; one absent from the data is never preferred."""
    dense, sparse, labels = problem
    model = fit_softmax_regression(dense, sparse, labels, CLASSES + 1, C=2.0)
    joined = sp.hstack([sp.csr_matrix(dense), sparse], format="csr")
    assert (probabilities(joined, model.coef, model.intercept).argmin(axis=1) == CLASSES).all()


def test_mismatched_or_missing_blocks_are_refused(problem) -> None:
    dense, sparse, labels = problem
    with pytest.raises(ValueError, match="some features"):
        fit_softmax_regression(None, None, labels, CLASSES, C=1.0)
    with pytest.raises(ValueError, match="one row per label"):
        fit_softmax_regression(dense[:10], sparse, labels, CLASSES, C=1.0)
    with pytest.raises(ValueError, match="two classes"):
        fit_softmax_regression(dense, sparse, np.zeros(300, dtype=int), 1, C=1.0)
