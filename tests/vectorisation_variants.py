"""Honest and looping versions of the vectorised exercises, as a learner would write them in a cell.

Every VECTORISED answer must pass both the learner's instant check and the grader; every LOOPING
answer gives the right numbers but still works example by example, and must be called "not
vectorised" by both. Shared by tests/test_checks_week1.py, tests/test_cases_week1.py and the
adversarial suite (tests/autograder_fixtures.py), which runs some of them in the sandbox.
"""

from __future__ import annotations

import numpy as np

DENSE_V_VECTORISED = {
    "matmul": "def dense_v(A_in, W, b, g):\n    return g(np.matmul(A_in, W) + b)\n",
    "g_on_transpose": "def dense_v(A_in, W, b, g):\n    return g((A_in @ W + b).T).T\n",
    "g_on_ravel": (
        "def dense_v(A_in, W, b, g):\n    Z = A_in @ W + b\n"
        "    return g(Z.ravel()).reshape(Z.shape)\n"
    ),
    "loop_over_units": (
        "def dense_v(A_in, W, b, g):\n    Z = np.zeros((A_in.shape[0], W.shape[1]))\n"
        "    for j in range(W.shape[1]):\n        Z[:, j] = A_in @ W[:, j] + b[j]\n    return g(Z)\n"
    ),
    "einsum": "def dense_v(A_in, W, b, g):\n    return g(np.einsum('mi,iu->mu', A_in, W) + b)\n",
    "dot_and_broadcast": (
        "def dense_v(A_in, W, b, g):\n    Z = np.dot(A_in, W)\n    Z = Z + b[np.newaxis, :]\n"
        "    return g(Z)\n"
    ),
}

DENSE_V_LOOPING = {
    "comprehension_then_one_g": (
        "def dense_v(A_in, W, b, g):\n    return g(np.array([a @ W + b for a in A_in]))\n"
    ),
    "apply_along_axis": (
        "def dense_v(A_in, W, b, g):\n"
        "    return np.apply_along_axis(lambda a: g(a @ W + b), 1, A_in)\n"
    ),
    "np_vectorize": "def dense_v(A_in, W, b, g):\n    return np.vectorize(g)(A_in @ W + b)\n",
    "map": (
        "def dense_v(A_in, W, b, g):\n"
        "    return np.array(list(map(lambda a: g(a @ W + b), A_in)))\n"
    ),
    "map_g_over_rows": "def dense_v(A_in, W, b, g):\n    return np.array(list(map(g, A_in @ W + b)))\n",
    "recursion": (
        "def dense_v(A_in, W, b, g):\n    if A_in.shape[0] == 1:\n        return g(A_in @ W + b)\n"
        "    return np.vstack([dense_v(A_in[:1], W, b, g), dense_v(A_in[1:], W, b, g)])\n"
    ),
    "while_loop_then_one_g": (
        "def dense_v(A_in, W, b, g):\n    rows, i = [], 0\n    while i < A_in.shape[0]:\n"
        "        rows.append(A_in[i] @ W + b)\n        i += 1\n    return g(np.array(rows))\n"
    ),
}

#: A helper with a loop, defined in another cell than the function that calls it.
HELPER_CELL = (
    "def _rows_times_W(A_in, W):\n    out = []\n    for a in A_in:\n        out.append(a @ W)\n"
    "    return np.array(out)\n"
)
DENSE_V_LOOPING_HELPER = "def dense_v(A_in, W, b, g):\n    return g(_rows_times_W(A_in, W) + b)\n"

FORWARD_V_VECTORISED = {
    "for_layers": (
        "def forward_v(X, layers):\n    A = X\n    for W, b, g in layers:\n"
        "        A = g(A @ W + b)\n    return A\n"
    ),
    "reduce": (
        "from functools import reduce\n\ndef forward_v(X, layers):\n"
        "    return reduce(lambda A, layer: layer[2](A @ layer[0] + layer[1]), layers, X)\n"
    ),
    "g_on_transpose": (
        "def forward_v(X, layers):\n    A = X\n    for W, b, g in layers:\n"
        "        A = g((A @ W + b).T).T\n    return A\n"
    ),
}

FORWARD_V_LOOPING = {
    "comprehension_over_examples": (
        "def forward_v(X, layers):\n    out = []\n    for x in X:\n        a = x\n"
        "        for W, b, g in layers:\n            a = g(a @ W + b)\n        out.append(a)\n"
        "    return np.array(out)\n"
    ),
    "apply_along_axis": (
        "def _one(x, layers):\n    for W, b, g in layers:\n        x = g(x @ W + b)\n    return x\n\n"
        "def forward_v(X, layers):\n    return np.apply_along_axis(_one, 1, X, layers)\n"
    ),
}


def define(source: str, name: str, extra: str = "") -> object:
    """The function ``name`` defined by ``source`` (after ``extra``, another cell), compiled as
    IPython compiles a cell (a file name outside the installed libraries)."""
    namespace: dict = {"np": np}
    if extra:
        exec(compile(extra, "<ipython-input-1-helper>", "exec"), namespace)
    exec(compile(source, "<ipython-input-2-answer>", "exec"), namespace)
    return namespace[name]
