"""Is the week-4 reference network (built from its blocks, with caches) near the cost of a
hand-fused NumPy forward + backward pass? Target: at most 1.5× on ``(m=1000, [64, 32, 16, 1])``.

Run: ``.venv/bin/python benchmarks/deep_network.py [--repeat N] [--m M]``. Both versions compute
the same gradients (asserted before timing) on the same data, alternately, in one run; the table
prints each one's median and the ratio of the medians. The blocks' extra cost is Python's: the
per-layer function calls, tuples and dict entries, the validation of the inputs — all independent
of m, so the ratio falls as m grows.

BLAS runs on one thread by default (``--threads``): these matrices are small, and on a shared
machine a second BLAS thread that waits for a busy core made both versions 30× slower here
(33 ms instead of 1.1 ms), which measures the machine's load, not the code.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from course_utils import reference as ref

TARGET = 1.5
DIMS = [64, 32, 16, 1]


def fused(X: np.ndarray, y: np.ndarray, parameters: dict) -> dict:
    """Forward and backward of the ReLU…sigmoid network in one function: no caches, no calls."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2
    A2 = np.maximum(Z2, 0.0)
    A3 = 1.0 / (1.0 + np.exp(-(A2 @ W3 + b3)))
    dZ3 = A3 - y[:, None]  # sigmoid and cross-entropy together
    dA2 = dZ3 @ W3.T
    dZ2 = dA2 * (Z2 > 0)
    dA1 = dZ2 @ W2.T
    dZ1 = dA1 * (Z1 > 0)
    return {"dW3": A2.T @ dZ3 / m, "db3": dZ3.sum(0) / m, "dW2": A1.T @ dZ2 / m,
            "db2": dZ2.sum(0) / m, "dW1": X.T @ dZ1 / m, "db1": dZ1.sum(0) / m}


def blocks(X: np.ndarray, y: np.ndarray, parameters: dict) -> dict:
    AL, caches = ref.model_forward(X, parameters)
    return ref.model_backward(AL, y, caches)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--m", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default: 1)")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits  # scikit-learn's dependency

    with threadpool_limits(limits=args.threads, user_api="blas"):
        return _run(args)


def _run(args) -> int:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.m, DIMS[0]))
    y = rng.integers(0, 2, args.m).astype(float)
    parameters = ref.initialize_parameters_deep(DIMS, seed=0)
    want, got = fused(X, y, parameters), blocks(X, y, parameters)
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-9, atol=1e-12, err_msg=key)
    samples: dict[str, list[float]] = {"fused": [], "blocks": []}
    for _ in range(args.repeat):
        for name, func in (("fused", fused), ("blocks", blocks)):
            start = time.perf_counter()
            func(X, y, parameters)
            samples[name].append(time.perf_counter() - start)
    median = {name: statistics.median(s) for name, s in samples.items()}
    ratio = median["blocks"] / median["fused"]
    print(f"forward + backward, m = {args.m}, layers {DIMS}, {args.repeat} runs each")
    print(f"{'version':<10}{'median ms':>12}")
    for name in ("fused", "blocks"):
        print(f"{name:<10}{median[name] * 1e3:>12.3f}")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"ratio blocks / fused: {ratio:.2f} (target ≤ {TARGET}) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
