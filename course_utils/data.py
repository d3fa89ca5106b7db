"""The course's data sets, all generated or shipped with a package: nothing is downloaded.

- coffee roasting (week 1, lessons 2–3): generated from a seeded RNG (syllabus W1.2);
- handwritten digits (week 1 assignment: 3 vs 5; week 2 assignment: 0–9; week 3 assignment: 3 vs 8;
  week 4 assignment 2: 1 vs 8):
  scikit-learn's bundled 8×8 digits (UCI ML hand-written digits, 1,797 images), split with a fixed
  seed;
- four clusters in the plane (week 2, lesson 5): ``sklearn.datasets.make_blobs`` with a fixed seed;
- two interleaved half-moons (week 3, graded assignment 2 "planar data", and its grading cases):
  ``sklearn.datasets.make_moons`` with a fixed seed;
- petals, two classes wound round each other (week 3, lesson 5): generated from a seeded RNG;
- digits 0–4 as a source task and 5–9 as a target task (week 5, lesson 5, transfer learning):
  scikit-learn's bundled 8×8 digits, split with a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Syllabus W1.2: temperature range (°C), duration range (minutes) of the coffee data.
COFFEE_TEMPERATURE_RANGE = (150.0, 285.0)
COFFEE_DURATION_RANGE = (11.5, 15.5)

#: Centres of the week-2 four-cluster data (syllabus W2.5).
BLOB_CENTERS = np.array([[-5.0, 2.0], [-2.0, -2.0], [1.0, 2.0], [5.0, -2.0]])


def coffee_is_good(temperature, duration):
    """The rule that labels a roast good (syllabus W1.2), element-wise on arrays of °C and minutes.

    Good iff ``175 < T < 260`` and ``12 < D < 15`` and ``D <= -3/85 * T + 21`` (too hot for too long
    burns the beans).
    """
    t = np.asarray(temperature, dtype=float)
    d = np.asarray(duration, dtype=float)
    return (t > 175) & (t < 260) & (d > 12) & (d < 15) & (d <= -3.0 / 85.0 * t + 21.0)


def load_coffee_data(seed: int = 2):
    """Coffee-roasting data, week 1 lessons 2–3.

    Returns ``X: (200, 2)`` — column 0 temperature in °C (150–285), column 1 duration in minutes
    (11.5–15.5) — and ``Y: (200, 1)`` with 1.0 for a good roast. With the default seed there are 43
    good roasts.
    """
    rng = np.random.default_rng(seed)
    X = rng.random(400).reshape(-1, 2)
    t_lo, t_hi = COFFEE_TEMPERATURE_RANGE
    d_lo, d_hi = COFFEE_DURATION_RANGE
    X[:, 0] = X[:, 0] * (t_hi - t_lo) + t_lo
    X[:, 1] = X[:, 1] * (d_hi - d_lo) + d_lo
    Y = coffee_is_good(X[:, 0], X[:, 1]).astype(float).reshape(-1, 1)
    return X, Y


def coffee_trained_weights():
    """A trained weight set for the coffee network on *normalised* inputs (syllabus W1.3).

    Returns ``[(W1, b1), (W2, b2)]`` with ``W1: (2, 3)``, ``b1: (3,)``, ``W2: (3, 1)``, ``b2: (1,)``.
    """
    W1 = np.array([[-8.93, 0.29, 12.9], [-0.1, -7.32, 10.81]])
    b1 = np.array([-9.82, -9.28, 0.96])
    W2 = np.array([[-31.18], [-27.59], [-32.56]])
    b2 = np.array([15.41])
    return [(W1, b1), (W2, b2)]


@dataclass(frozen=True)
class Split:
    """A fixed train/test split. ``X_*: (m, 64)`` pixel intensities scaled to [0, 1]."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray

    @property
    def image_shape(self) -> tuple[int, int]:
        """Each row of ``X`` reshapes to an 8×8 image."""
        return (8, 8)


def _digits(classes, test_size: float, seed: int, column_labels: bool,
            positive: int | None = None) -> Split:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    keep = np.isin(digits.target, classes)
    X = digits.data[keep] / 16.0  # raw intensities are 0..16
    y = digits.target[keep].astype(np.int64)
    if positive is not None:  # two classes: label 1 for ``positive``, 0 for the other
        y = (y == positive).astype(np.int64)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    if column_labels:
        y_train, y_test = y_train.reshape(-1, 1), y_test.reshape(-1, 1)
    return Split(X_train, X_test, y_train, y_test)


def load_digits_binary(first: int = 3, second: int = 5, test_size: float = 0.2,
                       seed: int = 0) -> Split:
    """Two digits, ``first`` (label 0) and ``second`` (label 1), for the week 1 assignment (binary
    classification). The default pair, 3 vs 5, is one the week-1 network does not solve perfectly
    (0 vs 1, the first edition's pair, is 100 % right on the test set, so its error gallery was
    empty); weeks 3 and 4 use 3 vs 8 and 1 vs 8.

    ``X_*: (m, 64)`` in [0, 1]; ``y_*: (m, 1)`` integer labels 0/1 (column, as Keras' binary
    cross-entropy expects). For 3 and 5: 183 threes and 182 fives, 365 images: 292 for training,
    73 for testing, both classes in proportion.
    """
    return _digits([first, second], test_size, seed, column_labels=True, positive=second)


def load_digits_multiclass(test_size: float = 0.2, seed: int = 0) -> Split:
    """All ten digits, for the week 2 assignment. ``X_*: (m, 64)`` in [0, 1]; ``y_*: (m,)`` 0–9.

    1,797 images: 1,437 for training, 360 for testing.
    """
    return _digits(list(range(10)), test_size, seed, column_labels=False)


def load_digits_all() -> tuple[np.ndarray, np.ndarray]:
    """All of scikit-learn's 8×8 digits, unsplit, in the bundled order (for week 5's assignment,
    where learners split them themselves). ``X: (1797, 64)`` in [0, 1]; ``y: (1797,)`` 0–9."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data / 16.0, digits.target.astype(np.int64)


def digits_pair(first: int = 3, second: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8×8 digits ``first`` (label 0) and ``second`` (label 1), in the bundled order.

    Returns ``X: (m, 64)`` pixel intensities in [0, 1] and ``y: (m,)`` float labels 0.0/1.0. For 3
    and 8 (the default): 183 threes and 174 eights, m = 357. The week 3 assignment's data (its
    notebook through :func:`load_digits_3_vs_8`, its grading cases directly).
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    keep = np.isin(digits.target, [first, second])
    return digits.data[keep] / 16.0, (digits.target[keep] == second).astype(float)


def load_digits_3_vs_8(test_size: float = 0.3, seed: int = 0) -> Split:
    """Digits 3 (label 0) and 8 (label 1), for the week 3 assignment (logistic regression).

    ``X_*: (m, 64)`` in [0, 1]; ``y_*: (m,)`` float labels 0.0/1.0 (1-D: one label per example, as
    the assignment's functions take them). 357 images, split with both classes in proportion: 249
    for training, 108 for testing.
    """
    return load_digits_pair(3, 8, test_size, seed)


def load_digits_pair(first: int, second: int, test_size: float = 0.3, seed: int = 0) -> Split:
    """The digits ``first`` (label 0) and ``second`` (label 1) of :func:`digits_pair`, split with
    both classes in proportion: ``test_size`` of the images (rounded up) for testing.

    ``X_*: (m, 64)`` in [0, 1]; ``y_*: (m,)`` float labels 0.0/1.0. For 1 and 8 (week 4's second
    graded assignment, a deep network on digits): 182 ones and 174 eights, 249 for training and
    107 for testing.
    """
    from sklearn.model_selection import train_test_split

    X, y = digits_pair(first, second)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    return Split(X_train, X_test, y_train, y_test)


@dataclass(frozen=True)
class TransferTask:
    """Two tasks on the same kind of input (8×8 digit images, ``X_*: (m, 64)`` in [0, 1]).

    ``source``: the task learned first, with plenty of labels; ``target``: the new task, whose
    ``X_train``/``y_train`` are a *pool* to draw small labelled sets from and whose ``X_test``/
    ``y_test`` are the held-out set every strategy is measured on. Labels are ``(m,)`` integers
    0–4 in both tasks: in the target task, label ``k`` is the digit ``5 + k``.
    """

    source: Split
    target: Split


def load_digits_transfer(seed: int = 0) -> TransferTask:
    """Week 5, lesson 5: digits 0–4 (source) and digits 5–9 (target), split with both classes in
    proportion.

    Source: 901 images, 720 for training and 181 held out. Target: 896 images, a pool of 496 to
    draw labelled examples from (96 to 101 of each digit) and 400 held out (78 to 81 of each).
    """
    source = _digits([0, 1, 2, 3, 4], test_size=0.2, seed=seed, column_labels=False)
    target = _digits([5, 6, 7, 8, 9], test_size=400, seed=seed, column_labels=False)
    return TransferTask(source, Split(target.X_train, target.X_test, target.y_train - 5,
                                      target.y_test - 5))


def load_blobs(n_samples: int = 400, std: float = 1.0, seed: int = 30):
    """Four clusters in the plane, week 2 lesson 5.

    Returns ``X: (n_samples, 2)`` and integer class labels ``y: (n_samples,)`` in 0–3, cluster ``k``
    centred on ``BLOB_CENTERS[k]`` with standard deviation ``std``.
    """
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=n_samples, centers=BLOB_CENTERS, cluster_std=std, random_state=seed)
    return X, y.astype(np.int64)


def load_planar_data(m: int = 200, noise: float = 0.15, seed: int = 0):
    """Two interleaved half-moons in the plane, week 3's graded assignment 2 (planar data).

    Returns ``X: (m, 2)`` (one point per row) and ``y: (m,)`` of 0.0/1.0 (float labels, as the
    assignment's cost and gradients use them). No straight line separates the two classes.
    ``noise`` is the standard deviation of the Gaussian noise added to each coordinate; another
    ``seed`` draws another sample of the same distribution (a held-out set). The grading cases
    (``autograder/cases/week3.py``) train on the default sample.
    """
    from sklearn.datasets import make_moons

    X, y = make_moons(m, noise=noise, random_state=seed)
    return X, y.astype(float)


def load_petals(m: int = 400, noise: float = 0.2, radius: float = 4.0, seed: int = 1):
    """A "flower" of two classes that no straight line separates, week 3 lesson 5 (shallow network).

    Made like the Deep Learning course's planar data set: class ``j`` (0 or 1) takes ``m // 2``
    angles ``t`` evenly spread over ``[3.12 j, 3.12 (j + 1)]`` and the polar radius
    ``r = radius · sin(4 t)``, both with Gaussian noise of standard deviation ``noise``; the point is
    ``(r sin t, r cos t)``. A negative ``r`` lands on the opposite side, so each class ends up in
    four of the eight petals, alternating with the other class's.

    Returns ``X: (m, 2)`` (coordinates, units of ``radius``, within about ``±radius``) and integer
    labels ``y: (m,)``, 0 for the first ``m // 2`` rows and 1 for the rest.
    """
    if m < 2 or m % 2:
        raise ValueError(f"load_petals: m is {m}; it needs an even number of points, at least 2.")
    rng = np.random.default_rng(seed)
    per_class = m // 2
    X = np.zeros((m, 2))
    y = np.repeat(np.arange(2), per_class)
    for j in range(2):
        t = np.linspace(3.12 * j, 3.12 * (j + 1), per_class) + rng.normal(0.0, noise, per_class)
        r = radius * np.sin(4.0 * t) + rng.normal(0.0, noise, per_class)
        X[y == j] = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y.astype(np.int64)
