"""course_utils.data: shapes, the syllabus's counts, determinism, no downloads."""

from __future__ import annotations

import numpy as np

from course_utils import data


def test_coffee_data_matches_syllabus():
    X, Y = data.load_coffee_data()
    assert X.shape == (200, 2) and Y.shape == (200, 1)
    assert int(Y.sum()) == 43  # syllabus W1.2 fact
    assert X[:, 0].min() >= 150 and X[:, 0].max() <= 285
    assert X[:, 1].min() >= 11.5 and X[:, 1].max() <= 15.5
    # labels follow the stated rule, checked here independently of coffee_is_good
    t, d = X[:, 0], X[:, 1]
    rule = (175 < t) & (t < 260) & (12 < d) & (d < 15) & (d <= -3 / 85 * t + 21)
    np.testing.assert_array_equal(Y[:, 0] == 1, rule)
    X2, _ = data.load_coffee_data()
    np.testing.assert_array_equal(X, X2)


def test_coffee_weights_shapes():
    (W1, b1), (W2, b2) = data.coffee_trained_weights()
    assert W1.shape == (2, 3) and b1.shape == (3,) and W2.shape == (3, 1) and b2.shape == (1,)
    assert W1.size + b1.size == 9 and W2.size + b2.size == 4  # syllabus parameter counts


def test_digits_binary_split():
    # the week 1 assignment's pair, 3 (label 0) vs 5 (label 1), split with both classes in proportion
    split = data.load_digits_binary()
    assert split.X_train.shape == (292, 64) and split.X_test.shape == (73, 64)
    assert split.y_train.shape == (292, 1) and set(np.unique(split.y_train)) == {0, 1}
    assert int(split.y_train.sum()) == 146 and int(split.y_test.sum()) == 36
    assert 0.0 <= split.X_train.min() and split.X_train.max() <= 1.0
    again = data.load_digits_binary()
    np.testing.assert_array_equal(split.X_test, again.X_test)
    # label 1 images are fives and label 0 images threes, checked against scikit-learn directly
    from sklearn.datasets import load_digits

    digits = load_digits()
    fives, threes = digits.data[digits.target == 5] / 16.0, digits.data[digits.target == 3] / 16.0
    for X, y in ((split.X_train, split.y_train), (split.X_test, split.y_test)):
        for row, label in zip(X, y[:, 0]):
            pool = fives if label == 1 else threes
            assert (pool == row).all(axis=1).any()
    # the first edition's pair is still available: 0 vs 1, 288 + 72 images
    first = data.load_digits_binary(0, 1)
    assert first.X_train.shape == (288, 64) and first.X_test.shape == (72, 64)


def test_digits_multiclass_split():
    split = data.load_digits_multiclass()
    assert split.X_train.shape == (1437, 64) and split.X_test.shape == (360, 64)
    assert split.y_test.shape == (360,) and set(np.unique(split.y_train)) == set(range(10))


def test_blobs():
    X, y = data.load_blobs()
    assert X.shape == (400, 2) and y.shape == (400,)
    for k, centre in enumerate(data.BLOB_CENTERS):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centre, atol=0.35)


def test_planar_data():
    from sklearn.linear_model import LogisticRegression

    X, y = data.load_planar_data()
    assert X.shape == (200, 2) and y.shape == (200,) and y.dtype == float
    assert set(np.unique(y)) == {0.0, 1.0} and y.sum() == 100
    X2, y2 = data.load_planar_data()
    np.testing.assert_array_equal(X, X2)
    held_out, _ = data.load_planar_data(seed=1)
    assert not np.allclose(held_out, X)  # another draw of the same distribution
    # "No straight line separates the two classes": the best line misses more than 10%.
    assert LogisticRegression(C=1e6).fit(X, y).score(X, y) < 0.9
