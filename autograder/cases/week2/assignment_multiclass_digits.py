"""Grading cases of the week 2 assignment (``notebooks/week2/07_assignment_multiclass_digits.ipynb``).

Visible cases repeat the learners' instant checks (:mod:`course_utils.checks.week2`); hidden cases
come from a fixed seed and their expected outputs from :func:`course_utils.reference.softmax`.
They cover what the checks do not: a single logit, ten classes (the assignment's size), large
random batches, logits of ±1e4, rows that differ in scale by orders of magnitude, tiny logits
(all near 0, probabilities near uniform) and a batch of one.
"""

from __future__ import annotations

import numpy as np

from autograder.cases import SEEDS, Case, Exercise
from course_utils import reference as ref

#: Seed of the hidden cases (:data:`autograder.cases.SEEDS`, one table for every week).
SEED = SEEDS["week2"]

#: What ``describe_model`` must report for ``build_model()`` (checked in this key order).
MODEL_EXPECTED = {
    "type": "Sequential",
    "input_shape": [64],
    "layers": [
        {"class": "Dense", "units": 25, "activation": "relu"},
        {"class": "Dense", "units": 15, "activation": "relu"},
        {"class": "Dense", "units": 10, "activation": "linear"},
    ],
    "total_params": 64 * 25 + 25 + 25 * 15 + 15 + 15 * 10 + 10,
}


def _softmax_case(name: str, z, *, visible: bool = False) -> Case:
    z = np.asarray(z, dtype=float)
    # Probabilities of ~1e-300 and exactly 0 are both right: an absolute tolerance judges them equal.
    return Case("softmax", name, (z,), ref.softmax(z), visible=visible, rtol=1e-6, atol=1e-12)


def softmax_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    visible = [
        _softmax_case("fact: z = [1, 2, 3, 4]", [1.0, 2.0, 3.0, 4.0], visible=True),
        _softmax_case("huge logits [1000, 1001]", [1000.0, 1001.0], visible=True),
        _softmax_case("very negative logits [-1000, -1001]", [-1000.0, -1001.0], visible=True),
        _softmax_case("batch: rows [1, 2, 3, 4] and [1, 1, 1, 1]",
                      [[1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]], visible=True),
        _softmax_case("batch: rows of different scale [[1000, 1001, 1002], [0, 1, 2]]",
                      [[1000.0, 1001.0, 1002.0], [0.0, 1.0, 2.0]], visible=True),
    ]
    scales = np.array([[1e-3], [1.0], [30.0], [300.0], [3000.0]])
    hidden = [
        _softmax_case("a single logit", [3.7]),
        _softmax_case("ten classes, 1-D", np.round(rng.normal(0, 3, 10), 2)),
        _softmax_case("ten classes, batch of 8", np.round(rng.normal(0, 3, (8, 10)), 2)),
        _softmax_case("logits of ±1e4 in one vector", [1e4, -1e4, 0.0, 9999.0]),
        _softmax_case("tiny logits (about 1e-8): nearly uniform", rng.normal(0, 1e-8, 6)),
        _softmax_case("rows whose scales differ from 1e-3 to 3e3", np.round(
            scales * rng.normal(0, 1, (5, 7)), 4)),
        _softmax_case("every row shifted by a different large constant",
                      np.round(rng.normal(0, 2, (4, 5)), 2) + np.array([[-800.0], [0.0], [750.0], [5e3]])),
        _softmax_case("batch of one, 10 classes", np.round(rng.normal(0, 3, (1, 10)), 2)),
        _softmax_case("equal logits in a batch", np.full((3, 4), 2.5)),
    ]
    return visible + hidden


def build_model_cases() -> list[Case]:
    return [
        Case("build_model", "architecture: Input(64) → Dense 25 relu → 15 relu → 10 linear", (),
             MODEL_EXPECTED, kind="model", visible=True),
        # Week 2, lesson 4: the linear output is trained through the loss, from logits.
        Case("build_model", "compiled with SparseCategoricalCrossentropy(from_logits=True)", (),
             {"loss": "SparseCategoricalCrossentropy", "from_logits": True}, kind="model"),
    ]


EXERCISES: dict[str, Exercise] = {
    "softmax": Exercise(
        "softmax", softmax_cases,
        description="numerically stable softmax of z: (n,) or Z: (m, n), row by row",
    ),
    "build_model": Exercise(
        "build_model", build_model_cases, numpy_only=False,
        description="Keras Sequential: Input(64) → Dense 25 relu → Dense 15 relu → Dense 10 linear",
    ),
}
