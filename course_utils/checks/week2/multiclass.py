"""Instant check for ``notebooks/week2/04_multiclass.ipynb``'s "your turn" cell:
``check_conv_params(conv_params)``: a 2-D convolutional layer's parameter count.

Expected values only, run by :func:`course_utils.checks.core.exercise.run_exercise`.
"""

from __future__ import annotations

from course_utils.checks.core.exercise import Case, Exercise, run_exercise

CONV_MISTAKES = {
    "no_biases": "the biases are forgotten: each filter has k·k·c_in weights AND one bias.",
    "k_not_squared": (
        "the window is counted as k weights per channel: a k×k window holds k·k = k² of them "
        "(a 3×3 window, 9)."
    ),
    "channels_forgotten": (
        "the input channels are left out: a filter's window spans all c_in channels (a colour "
        "image has 3), so it holds k·k·c_in weights."
    ),
    "bias_per_channel": (
        "one bias per input channel: there is one bias per FILTER (each filter makes one output "
        "channel), so + filters, not + c_in."
    ),
    "bias_per_channel_and_filter": (
        "one bias per input channel of each filter, (k·k + 1)·c_in·filters: a filter adds up its "
        "whole k×k×c_in window and then adds ONE bias, so + filters."
    ),
    "one_filter": (
        "only one filter is counted: each of the `filters` filters has its own k·k·c_in weights "
        "and its own bias."
    ),
}


def _conv_case(k: int, c_in: int, filters: int, name: str) -> Case:
    # The numbers are written out as the formulas the learner may have used; a mistake that gives
    # the right count on this case is left out (result_of then gives the answer).
    weights = k * k * c_in * filters
    right = weights + filters
    wrong = {"no_biases": weights, "k_not_squared": k * c_in * filters + filters,
             "channels_forgotten": k * k * filters + filters,
             "bias_per_channel": weights + c_in,
             "bias_per_channel_and_filter": (k * k + 1) * c_in * filters,
             "one_filter": k * k * c_in + 1}
    return Case(name, f"k = {k}, c_in = {c_in}, filters = {filters}", (k, c_in, filters), right,
                {key: value for key, value in wrong.items() if value != right},
                f"{k}·{k}·{c_in}·{filters} weights + {filters} biases = {right}")


CONV_PARAMS = Exercise(
    "conv_params",
    [_conv_case(3, 1, 8, "3×3 windows on a grey image (1 channel), 8 filters"),
     _conv_case(5, 3, 16, "5×5 windows on a colour image (3 channels), 16 filters"),
     _conv_case(3, 32, 64, "3×3 windows on 32 channels, 64 filters"),
     _conv_case(1, 4, 2, "1×1 windows on 4 channels, 2 filters")],
    CONV_MISTAKES,
    "return ONE number, the layer's total count (weights and biases together).",
)


def check_conv_params(conv_params) -> bool:
    """Check ``conv_params(k, c_in, filters) -> int``: the number of parameters of a 2-D
    convolutional layer with ``filters`` filters of ``k × k`` windows over ``c_in`` input channels,
    ``k·k·c_in·filters`` weights plus ``filters`` biases (the image's size does not enter).
    ``notebooks/week2/04_multiclass.ipynb``. Prints a verdict; returns whether every case passed."""
    return run_exercise(CONV_PARAMS, conv_params)
