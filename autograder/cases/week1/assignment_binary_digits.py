"""Grading cases of the week 1 assignment (``notebooks/week1/05_assignment_binary_digits.ipynb``).

Visible cases repeat the learners' instant checks (:mod:`course_utils.checks.week1`); hidden
cases are drawn from a fixed seed, so every run builds exactly the same inputs, and their expected
outputs are computed by :mod:`course_utils.reference`. Hidden cases cover what the checks do not:
a batch of one example, a single unit, non-square ``W``, negative inputs, activations that
reveal ordering mistakes (``triple``: g(z) = 3z, ``square``: g(z) = z²) and networks of several
layers of different widths.
"""

from __future__ import annotations

import numpy as np

from autograder.cases import SEEDS, Case, Exercise, resolve
from autograder.contract.activations import Act
from course_utils import reference as ref

#: Seed of the hidden cases (:data:`autograder.cases.SEEDS`, one table for every week).
SEED = SEEDS["week1"]

_LIN, _SIG, _TRIPLE, _SQUARE, _RELU = (
    Act("linear"), Act("sigmoid"), Act("triple"), Act("square"), Act("relu"),
)

#: What ``describe_model`` must report for ``build_model()`` (checked in this key order).
MODEL_EXPECTED = {
    "type": "Sequential",
    "input_shape": [64],
    "layers": [
        {"class": "Dense", "units": 25, "activation": "sigmoid"},
        {"class": "Dense", "units": 15, "activation": "sigmoid"},
        {"class": "Dense", "units": 1, "activation": "sigmoid"},
    ],
    "total_params": 64 * 25 + 25 + 25 * 15 + 15 + 15 * 1 + 1,
}


def _case(exercise: str, name: str, args: tuple, func, *, visible=False, batch_rows=None) -> Case:
    """A case whose ``expected`` is the reference ``func`` applied to ``args``."""
    return Case(
        exercise=exercise,
        name=name,
        args=args,
        expected=func(*resolve(args)),
        visible=visible,
        batch_rows=batch_rows,
    )


def _rand(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    # Two decimals keep the hidden inputs readable in a grader's report.
    return np.round(rng.normal(0.0, scale, size=shape), 2)


def _network(rng: np.random.Generator, widths: list[int], acts: list[Act]) -> list[tuple]:
    return [
        (_rand(rng, n_in, n_out, scale=0.5), _rand(rng, n_out, scale=0.5), act)
        for n_in, n_out, act in zip(widths[:-1], widths[1:], acts)
    ]


# --- the syllabus's facts (W1.6), shared by the visible cases --------------------------------------
_X4 = np.array([1.0, 2.0, 3.0, 4.0])
_W_ROWS_12 = np.tile([1.0, 2.0], (4, 1))
_B35 = np.array([3.0, 5.0])
_X_SMALL = 0.1 * np.array([1.0, 2.0])
_W_SMALL = 0.1 * np.arange(1, 7).reshape(2, 3)
_B_SMALL = 0.1 * np.array([1.0, 2.0, 3.0])
_X_BATCH = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
_W_BATCH = np.arange(1.0, 13.0).reshape(4, 3)
_B_BATCH = np.array([3.0, 5.0, 6.0])


def build_model_cases() -> list[Case]:
    return [
        Case("build_model", "architecture: Input(64) → Dense 25 → 15 → 1, sigmoid", (),
             MODEL_EXPECTED, kind="model", visible=True),
    ]


def dense_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    c = "dense"
    cases = [
        _case(c, "fact: b = 0", (_X4, _W_ROWS_12, np.zeros(2), _LIN), ref.dense, visible=True),
        _case(c, "fact: b = [3, 5]", (_X4, _W_ROWS_12, _B35, _LIN), ref.dense, visible=True),
        _case(c, "fact: g(z) = 3z", (_X4, _W_ROWS_12, _B35, _TRIPLE), ref.dense, visible=True),
        _case(c, "fact: small sigmoid", (_X_SMALL, _W_SMALL, _B_SMALL, _SIG), ref.dense,
              visible=True),
    ]
    cases += [
        _case(c, "one unit", (_rand(rng, 5), _rand(rng, 5, 1), _rand(rng, 1), _SIG), ref.dense),
        _case(c, "non-square W (5 inputs, 3 units), g(z) = 3z",
              (_rand(rng, 5), _rand(rng, 5, 3), _rand(rng, 3), _TRIPLE), ref.dense),
        _case(c, "negative inputs, g(z) = z²",
              (-np.abs(_rand(rng, 4)) - 0.1, _rand(rng, 4, 2), _rand(rng, 2), _SQUARE), ref.dense),
        _case(c, "square W, g(z) = 3z", (_rand(rng, 3), _rand(rng, 3, 3), _rand(rng, 3), _TRIPLE),
              ref.dense),
        _case(c, "one input, many units, relu",
              (_rand(rng, 1), _rand(rng, 1, 6), _rand(rng, 6), _RELU), ref.dense),
        _case(c, "64 pixel inputs, 25 sigmoid units",
              (rng.random(64).round(3), _rand(rng, 64, 25, scale=0.2), _rand(rng, 25), _SIG),
              ref.dense),
    ]
    return cases


def sequential_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 1)
    c = "sequential"
    small_net = [
        (_W_SMALL, _B_SMALL, _SIG),
        (np.array([[1.0, -1.0], [2.0, 0.5], [-1.0, 1.0]]), np.array([0.5, -0.5]), _SIG),
        (np.array([[2.0], [-3.0]]), np.array([0.1]), _SIG),
    ]
    cases = [
        _case(c, "fact: one layer, g(z) = 3z", (_X4, [(_W_ROWS_12, _B35, _TRIPLE)]),
              ref.sequential, visible=True),
        _case(c, "two layers, g(z) = 3z then z²",
              (_X4, [(_W_ROWS_12, _B35, _TRIPLE), (np.array([[1.0], [-1.0]]), np.array([5.0]), _SQUARE)]),
              ref.sequential, visible=True),
        _case(c, "three sigmoid layers 2 → 3 → 2 → 1", (_X_SMALL, small_net), ref.sequential,
              visible=True),
    ]
    cases += [
        _case(c, "layers 4 → 6 → 3 → 2, square then triple then sigmoid",
              (_rand(rng, 4), _network(rng, [4, 6, 3, 2], [_SQUARE, _TRIPLE, _SIG])), ref.sequential),
        _case(c, "layers 3 → 1 → 4, triple then linear",
              (_rand(rng, 3), _network(rng, [3, 1, 4], [_TRIPLE, _LIN])), ref.sequential),
        _case(c, "negative inputs, layers 5 → 2 → 3 → 1, relu, square, sigmoid",
              (-np.abs(_rand(rng, 5)) - 0.1, _network(rng, [5, 2, 3, 1], [_RELU, _SQUARE, _SIG])),
              ref.sequential),
        _case(c, "the digits network 64 → 25 → 15 → 1, sigmoid",
              (rng.random(64).round(3), _network(rng, [64, 25, 15, 1], [_SIG] * 3)), ref.sequential),
    ]
    return cases


def dense_v_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 2)
    c = "dense_v"
    cases = [
        _case(c, "fact: b = 0", (_X_BATCH, _W_BATCH, np.zeros(3), _LIN), ref.dense_v,
              visible=True, batch_rows=2),
        _case(c, "fact: b = [3, 5, 6]", (_X_BATCH, _W_BATCH, _B_BATCH, _LIN), ref.dense_v,
              visible=True, batch_rows=2),
        _case(c, "fact: b = [3, 5, 6], g(z) = 3z", (_X_BATCH, _W_BATCH, _B_BATCH, _TRIPLE),
              ref.dense_v, visible=True, batch_rows=2),
        _case(c, "fact: the lecture's example, a batch of one",
              (np.array([[200.0, 17.0]]), np.array([[1.0, -3.0, 5.0], [-2.0, 4.0, -6.0]]),
               np.array([-1.0, 1.0, 2.0]), _LIN), ref.dense_v, visible=True, batch_rows=1),
        _case(c, "small sigmoid, batch of 3 (row 1 is the syllabus fact)",
              (0.1 * np.array([[1.0, 2.0], [-1.0, 0.0], [3.0, -2.0]]), _W_SMALL, _B_SMALL, _SIG),
              ref.dense_v, visible=True, batch_rows=3),
    ]
    cases += [
        _case(c, "batch of one, 5 inputs, 3 units, g(z) = 3z",
              (_rand(rng, 1, 5), _rand(rng, 5, 3), _rand(rng, 3), _TRIPLE), ref.dense_v, batch_rows=1),
        _case(c, "one unit, batch of 7", (_rand(rng, 7, 4), _rand(rng, 4, 1), _rand(rng, 1), _SIG),
              ref.dense_v, batch_rows=7),
        _case(c, "non-square W (3 inputs, 5 units), g(z) = z²",
              (_rand(rng, 6, 3), _rand(rng, 3, 5), _rand(rng, 5), _SQUARE), ref.dense_v, batch_rows=6),
        _case(c, "negative inputs, square W, g(z) = 3z",
              (-np.abs(_rand(rng, 4, 4)) - 0.1, _rand(rng, 4, 4), _rand(rng, 4), _TRIPLE),
              ref.dense_v, batch_rows=4),
        _case(c, "as many examples as units (3 × 3 batch)",
              (_rand(rng, 3, 2), _rand(rng, 2, 3), _rand(rng, 3), _SQUARE), ref.dense_v, batch_rows=3),
        _case(c, "digits-sized batch: 50 × 64 → 25 sigmoid units",
              (rng.random((50, 64)).round(3), _rand(rng, 64, 25, scale=0.2), _rand(rng, 25), _SIG),
              ref.dense_v, batch_rows=50),
    ]
    return cases


def forward_v_cases() -> list[Case]:
    rng = np.random.default_rng(SEED + 3)
    c = "forward_v"
    cases = [
        _case(c, "fact: one layer, g(z) = 3z", (_X_BATCH, [(_W_BATCH, _B_BATCH, _TRIPLE)]),
              ref.forward_v, visible=True, batch_rows=2),
        _case(c, "two layers, g(z) = 3z then z²",
              (_X_BATCH, [(_W_BATCH, _B_BATCH, _TRIPLE),
                          (np.array([[1.0], [0.0], [-1.0]]), np.array([5.0]), _SQUARE)]),
              ref.forward_v, visible=True, batch_rows=2),
    ]
    cases += [
        _case(c, "batch of one, layers 3 → 4 → 2, square then triple",
              (_rand(rng, 1, 3), _network(rng, [3, 4, 2], [_SQUARE, _TRIPLE])), ref.forward_v,
              batch_rows=1),
        _case(c, "layers 4 → 6 → 3 → 1, triple, square, sigmoid",
              (_rand(rng, 5, 4), _network(rng, [4, 6, 3, 1], [_TRIPLE, _SQUARE, _SIG])),
              ref.forward_v, batch_rows=5),
        _case(c, "negative inputs, layers 2 → 5 → 2, relu then linear",
              (-np.abs(_rand(rng, 6, 2)) - 0.1, _network(rng, [2, 5, 2], [_RELU, _LIN])),
              ref.forward_v, batch_rows=6),
        _case(c, "one unit per layer, 3 → 1 → 1 → 1, triple",
              (_rand(rng, 4, 3), _network(rng, [3, 1, 1, 1], [_TRIPLE] * 3)), ref.forward_v,
              batch_rows=4),
        _case(c, "the digits network 64 → 25 → 15 → 1 on 40 images, sigmoid",
              (rng.random((40, 64)).round(3), _network(rng, [64, 25, 15, 1], [_SIG] * 3)),
              ref.forward_v, batch_rows=40),
    ]
    return cases


EXERCISES: dict[str, Exercise] = {
    "build_model": Exercise(
        "build_model", build_model_cases, numpy_only=False,
        description="Keras Sequential: Input(64) → Dense 25 → Dense 15 → Dense 1, all sigmoid",
    ),
    "dense": Exercise("dense", dense_cases, description="one layer, one example, loop over units"),
    "sequential": Exercise(
        "sequential", sequential_cases, description="one example through a list of (W, b, g) layers"
    ),
    "dense_v": Exercise(
        "dense_v", dense_v_cases, vectorised=True, description="one layer on a batch (m, n_in)"
    ),
    "forward_v": Exercise(
        "forward_v", forward_v_cases, vectorised=True,
        description="a batch through a list of (W, b, g) layers, vectorised",
    ),
}
