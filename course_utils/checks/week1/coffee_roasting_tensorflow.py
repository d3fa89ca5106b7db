"""Instant check for ``notebooks/week1/02_coffee_roasting_tensorflow.ipynb``'s "your turn" cell:
``check_steps_per_epoch(steps_per_epoch)``, the number of gradient steps in one epoch,
``⌈m / batch_size⌉``.

Prints one verdict and returns ``True``/``False``. Expected values only: every case stores its
answer and what the typical mistakes give on it, so that a wrong answer is named.
"""

from __future__ import annotations

from course_utils.checks.core.numbers import Case, check_numbers

#: What each typical mistake means, keyed as in the cases' ``mistakes``.
MISTAKES = {
    "floor": (
        "m // batch_size drops the last, smaller batch: Keras also takes a step on the examples "
        "left over (200 = 6 × 32 + 8: the 8 make a 7th step). Round UP: math.ceil(m / batch_size)."
    ),
    "floor_plus_one": (
        "m // batch_size + 1 is one step too many when m is a multiple of batch_size (64 examples "
        "in batches of 32 are 2 steps, not 3). Round UP instead: math.ceil(m / batch_size)."
    ),
    "fraction": (
        "the result is a fraction, m / batch_size: a step uses one whole batch, so the count is a "
        "whole number, rounded UP (the last batch may be smaller): math.ceil(m / batch_size)."
    ),
    "rounded": (
        "round(m / batch_size) rounds to the NEAREST whole number, so 200 / 32 = 6.25 gives 6 and "
        "the last 8 examples get no step: round UP, math.ceil(m / batch_size)."
    ),
    "swapped": (
        "the arguments are swapped, batch_size / m: the number of batches is the number of "
        "examples m divided by the batch size, rounded up."
    ),
}

STEPS_CASES = [
    Case("the lecture's 200 roasts", "m = 200, batch_size = 32", (200, 32), 7,
         {"floor": 6, "floor_plus_one": 7, "fraction": 6.25, "rounded": 6, "swapped": 1}),
    Case("the lab's tiled data", "m = 50000, batch_size = 32", (50000, 32), 1563,
         {"floor": 1562, "floor_plus_one": 1563, "fraction": 1562.5, "rounded": 1562,
          "swapped": 1}),
    Case("m a multiple of the batch size", "m = 64, batch_size = 32", (64, 32), 2,
         {"floor": 2, "floor_plus_one": 3, "fraction": 2.0, "rounded": 2, "swapped": 1}),
    Case("fewer examples than one batch", "m = 10, batch_size = 32", (10, 32), 1,
         {"floor": 0, "floor_plus_one": 1, "fraction": 0.3125, "rounded": 0, "swapped": 4}),
    Case("a last batch of 26", "m = 90, batch_size = 32", (90, 32), 3,
         {"floor": 2, "floor_plus_one": 3, "fraction": 2.8125, "rounded": 3, "swapped": 1}),
]


def check_steps_per_epoch(steps_per_epoch) -> bool:
    """Check ``steps_per_epoch(m, batch_size) -> int``: how many gradient steps (batches) one epoch
    over ``m`` examples takes, ``⌈m / batch_size⌉`` (the last batch may be smaller). ``notebooks/week1/02_coffee_roasting_tensorflow.ipynb``.
    Prints a verdict; returns whether every case passed."""
    return check_numbers("check_steps_per_epoch", "steps_per_epoch", steps_per_epoch, STEPS_CASES, MISTAKES,
                         "one whole number of steps",
                  "count the batches: full batches of batch_size, plus one more if any examples are "
                  "left over.")
