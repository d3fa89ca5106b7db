"""Week 5's grading cases judged in process: the reference and honest variants (scikit-learn's
splitter and ridge, other idioms) pass; a split that leaks rows, labels shuffled apart from their
rows, an unshuffled split, a diagnose that ignores the baseline and a λ chosen on the training
cost each fail where they should, with the mistake named."""

from __future__ import annotations

import case_verdicts
import numpy as np
import pytest

from autograder.cases import exercises
from course_utils import reference as ref

EXERCISES = exercises("week5")


def verdicts(name: str, func) -> dict[str, tuple[bool, str, str]]:
    return case_verdicts.verdicts("week5", name, func)


def failed(name: str, func) -> dict[str, str]:
    return case_verdicts.failed("week5", name, func)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_reference_passes_every_case(name):
    assert failed(name, getattr(ref, name)) == {}


def split_with_sklearn(X, y, fractions=(0.6, 0.2, 0.2), seed=0):
    m = X.shape[0]
    n_cv, n_test = int(fractions[1] * m), int(fractions[2] * m)
    order = np.random.RandomState(seed).permutation(m)
    test, cv, train = order[:n_test], order[n_test:n_test + n_cv], order[n_test + n_cv:]
    return X[train], y[train], X[cv], y[cv], X[test], y[test]


def choose_with_sklearn(lambdas, X_train, y_train, X_cv, y_cv):
    from sklearn.linear_model import Ridge

    j_cv = []
    for lam in lambdas:
        model = Ridge(alpha=lam, solver="cholesky").fit(X_train, y_train)
        j_cv.append(float(np.mean((model.predict(X_cv) - y_cv) ** 2) / 2))
    return lambdas[int(np.argmin(j_cv))], np.array(j_cv)


def error_by_count(y_hat, y):
    return sum(a != b for a, b in zip(y_hat, y)) / len(y)


def diagnose_nested(j_train, j_cv, baseline, tolerance):
    verdict = []
    if j_train - baseline > tolerance:
        verdict.append("high bias")
    if j_cv - j_train > tolerance:
        verdict.append("high variance")
    return " and ".join(verdict) or "good fit"


@pytest.mark.parametrize("name, func", [
    ("split_data", split_with_sklearn),
    ("choose_lambda", choose_with_sklearn),
    ("classification_error", error_by_count),
    ("diagnose", diagnose_nested),
])
def test_honest_variants_pass(name, func):
    assert failed(name, func) == {}


def test_a_split_that_leaks_test_rows_into_training_fails():
    def leaky(X, y, fractions=(0.6, 0.2, 0.2), seed=0):
        parts = ref.split_data(X, y, fractions, seed)
        m = X.shape[0]
        n_train = m - int(fractions[1] * m) - int(fractions[2] * m)
        # the training set keeps its size but its last rows are test rows
        X_train = np.vstack([parts[0][:n_train - 2], parts[4][:2]])
        y_train = np.concatenate([parts[1][:n_train - 2], parts[5][:2]])
        return X_train, y_train, *parts[2:]

    bad = failed("split_data", leaky)
    assert len(bad) == 4 and all("not be disjoint" in m or "must be disjoint" in m for m in bad.values())


def test_labels_shuffled_apart_and_unshuffled_splits_are_named():
    def apart(X, y, fractions=(0.6, 0.2, 0.2), seed=0):
        Xtr, ytr, Xcv, ycv, Xte, yte = ref.split_data(X, y, fractions, seed)
        return Xtr, np.sort(ytr), Xcv, ycv, Xte, yte

    def in_order(X, y, fractions=(0.6, 0.2, 0.2), seed=0):
        m = X.shape[0]
        n_cv, n_test = int(fractions[1] * m), int(fractions[2] * m)
        n_train = m - n_cv - n_test
        return (X[:n_train], y[:n_train], X[n_train:n_train + n_cv], y[n_train:n_train + n_cv],
                X[n_train + n_cv:], y[n_train + n_cv:])

    first = "50 rows, fractions (0.6, 0.2, 0.2), seed 0"
    assert "does not match X_train" in failed("split_data", apart)[first]
    assert "original order" in failed("split_data", in_order)[first]


def test_round_instead_of_int_sizes_fail_where_they_differ():
    def rounded(X, y, fractions=(0.6, 0.2, 0.2), seed=0):
        m = X.shape[0]
        n_cv, n_test = round(fractions[1] * m), round(fractions[2] * m)
        order = np.random.default_rng(seed).permutation(m)
        cv, test, train = order[:n_cv], order[n_cv:n_cv + n_test], order[n_cv + n_test:]
        return X[train], y[train], X[cv], y[cv], X[test], y[test]

    bad = failed("split_data", rounded)
    assert list(bad) == ["48 rows: int(0.2 × 48) = 9 rows each for cv and test, not 10"]
    assert "X_train has shape (28, 2), expected (30, 2)" in bad[list(bad)[0]]


def test_a_diagnose_that_ignores_the_baseline_fails_the_baseline_cases():
    def no_baseline(j_train, j_cv, baseline, tolerance):
        return ref.diagnose(j_train, j_cv, 0.0, tolerance)

    bad = failed("diagnose", no_baseline)
    assert sorted(bad) == ["a high baseline: J_train 0.25 is a good fit when humans err 0.234375",
                           "exactly at the tolerance is not above it",
                           "good fit: J_train 0.125, J_cv 0.15625, baseline 0.09375",
                           "high variance: J_train 0.125, J_cv 0.3125, baseline 0.109375, "
                           "tolerance 0.0625"]
    assert bad["a high baseline: J_train 0.25 is a good fit when humans err 0.234375"] == (
        "the return value is 'high bias', expected 'good fit'")


def test_choosing_lambda_on_the_training_cost_fails():
    def on_train(lambdas, X_train, y_train, X_cv, y_cv):
        return ref.choose_lambda(lambdas, X_train, y_train, X_train, y_train)

    bad = failed("choose_lambda", on_train)
    assert len(bad) == 3 and all(m.startswith("j_cv has wrong values") or m.startswith("best_lambda")
                                 for m in bad.values())
