"""Week 1 grading cases (autograder/cases/week1/assignment_binary_digits.py): the reference passes every case, each typical
wrong answer fails the cases it should, and the cases are the same on every run."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pytest
import vectorisation_variants as variants

from autograder.cases import exercises, judge, run_case_in_process
from autograder.contract.activations import Act
from course_utils import reference as ref
from course_utils.checks.week1 import assignment_binary_digits as public_checks

EX = exercises("week1")
ARRAY_EXERCISES = ["dense", "sequential", "dense_v", "forward_v"]


def _verdicts(func, name):
    return {case.name: judge(case, run_case_in_process(func, case)) for case in EX[name].cases()}


def _failed(func, name):
    return {case for case, verdict in _verdicts(func, name).items() if not verdict.passed}


def _acts(args) -> list[str]:
    """Names of every activation in a case's inputs."""
    found = []
    for value in args:
        if isinstance(value, Act):
            found.append(value.name)
        elif isinstance(value, list | tuple):
            found += _acts(value)
    return found


def _layers(case):
    return case.args[1] if case.exercise in ("sequential", "forward_v") else [case.args[1:]]


# --- structure ---------------------------------------------------------------------------------------


def test_exercises_and_flags():
    assert list(EX) == ["build_model", "dense", "sequential", "dense_v", "forward_v"]
    assert [name for name, ex in EX.items() if not ex.numpy_only] == ["build_model"]
    assert [name for name, ex in EX.items() if ex.vectorised] == ["dense_v", "forward_v"]
    for name, ex in EX.items():
        assert ex.name == name
        assert all(case.exercise == name for case in ex.cases())


@pytest.mark.parametrize("name", ["dense_v", "forward_v"])
def test_batch_rows_set_on_every_vectorised_case(name):
    for case in EX[name].cases():
        assert case.batch_rows == np.shape(case.args[0])[0], case.name


@pytest.mark.parametrize("name", ARRAY_EXERCISES)
def test_visible_and_hidden_cases(name):
    cases = EX[name].cases()
    visible = [c for c in cases if c.visible]
    hidden = [c for c in cases if not c.visible]
    assert len(visible) >= 2 and len(hidden) >= 4
    assert len({c.name for c in cases}) == len(cases), "case names must be unique"


@pytest.mark.parametrize(
    ("name", "check_cases"),
    [("dense", public_checks._dense_cases), ("sequential", public_checks._sequential_cases),
     ("dense_v", public_checks._dense_v_cases), ("forward_v", public_checks._forward_v_cases)],
)
def test_visible_cases_mirror_the_public_checks(name, check_cases):
    public = [np.asarray(c.expected, dtype=float) for c in check_cases()]
    for case in EX[name].cases():
        if case.visible:
            want = np.asarray(case.expected, dtype=float)
            assert any(p.shape == want.shape and np.allclose(p, want) for p in public), case.name


def test_hidden_cases_cover_the_edge_cases():
    hidden = {name: [c for c in EX[name].cases() if not c.visible] for name in ARRAY_EXERCISES}
    for name in ("dense_v", "forward_v"):
        assert any(c.batch_rows == 1 for c in hidden[name]), f"{name}: a batch of one example"
    for name in ARRAY_EXERCISES:
        layers = [_layers(c) for c in hidden[name]]
        acts = {a for c in hidden[name] for a in _acts(c.args)}
        assert {"triple", "square"} <= acts, f"{name}: activations that reveal ordering mistakes"
        assert any(np.shape(L[-1][0])[1] == 1 for L in layers), f"{name}: one unit"
        assert any(np.shape(W)[0] != np.shape(W)[1] for L in layers for W, _, _ in L), name
        assert any(np.all(np.asarray(c.args[0]) < 0) for c in hidden[name]), f"{name}: negative x"
    for name in ("sequential", "forward_v"):
        widths = [[np.shape(W)[1] for W, _, _ in _layers(c)] for c in hidden[name]]
        assert any(len(w) >= 3 and len(set(w)) >= 3 for w in widths), f"{name}: several widths"


# --- the reference passes, wrong answers fail the right cases -----------------------------------------


@pytest.mark.parametrize("name", ARRAY_EXERCISES)
def test_reference_passes_every_case(name):
    for case, verdict in _verdicts(getattr(ref, name), name).items():
        assert verdict.passed, f"{case}: {verdict.message}"


def test_reference_model_passes(keras_model_builder):
    verdicts = _verdicts(keras_model_builder(), "build_model")
    assert all(v.passed for v in verdicts.values()), verdicts


@pytest.fixture(scope="module")
def keras_model_builder():
    import keras

    def make(units=(25, 15, 1), activation="sigmoid"):
        def build_model():
            return keras.Sequential(
                [keras.Input(shape=(64,))]
                + [keras.layers.Dense(u, activation=activation) for u in units]
            )

        return build_model

    return make


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"activation": "relu"}, "layers: expected"), ({"units": (25, 15)}, "layers: expected")],
)
def test_wrong_models_fail(keras_model_builder, kwargs, message):
    (verdict,) = _verdicts(keras_model_builder(**kwargs), "build_model").values()
    assert not verdict.passed and message in verdict.message


def test_a_build_model_returning_none_fails():
    (verdict,) = _verdicts(lambda: None, "build_model").values()
    assert not verdict.passed and "type" in verdict.message


def _by_activation(name, pred):
    return {c.name for c in EX[name].cases() if pred(set(_acts(c.args)))}


NONLINEAR = lambda acts: bool(acts - {"linear"})  # noqa: E731


def test_dense_mistakes_fail_the_right_cases():
    nonlinear = _by_activation("dense", NONLINEAR)
    # g never applied: wrong values where g is not linear, "never called" where it is.
    no_g = _verdicts(lambda a, W, b, g: a @ W + b, "dense")
    assert {c for c, v in no_g.items() if v.message.startswith("wrong values")} == nonlinear
    assert {c for c, v in no_g.items() if "never called" in v.message} == set(no_g) - nonlinear
    assert _failed(lambda a, W, b, g: g(a @ W) + b, "dense") == nonlinear
    with_bias = {c.name for c in EX["dense"].cases() if np.any(np.asarray(c.args[2]) != 0)}
    assert _failed(lambda a, W, b, g: g(a @ W), "dense") == with_bias
    # W transposed: fails every case (a shape error where W is not square, wrong values where it is).
    assert _failed(lambda a, W, b, g: g(W @ a + b) if W.shape[0] == W.shape[1] else g(a @ W.T + b),
                   "dense") == {c.name for c in EX["dense"].cases()}


@pytest.mark.parametrize("name", ["dense_v", "forward_v"])
def test_vectorised_mistakes_fail_the_right_cases(name):
    everything = {c.name for c in EX[name].cases()}

    def loop_over_examples(X, *rest):
        one = ref.dense if name == "dense_v" else ref.sequential
        return np.array([one(x, *rest) for x in X])

    verdicts = _verdicts(loop_over_examples, name)
    assert {c for c, v in verdicts.items() if not v.passed} == everything
    assert all("not vectorised" in v.message for v in verdicts.values())

    if name == "dense_v":  # g never called: wrong values, or (linear g) "never called"
        verdicts = _verdicts(lambda A, W, b, g: A @ W + b, name)
        assert not any(v.passed for v in verdicts.values())
        nonlinear = _by_activation(name, NONLINEAR)
        assert all(verdicts[c].message.startswith("wrong values") for c in nonlinear)
        assert all("was never called" in v.message for c, v in verdicts.items() if c not in nonlinear)


@pytest.mark.parametrize(("name", "source"), sorted(variants.DENSE_V_VECTORISED.items()))
def test_every_vectorised_dense_v_earns_every_case(name, source):
    verdicts = _verdicts(variants.define(source, "dense_v"), "dense_v")
    assert all(v.passed for v in verdicts.values()), verdicts


@pytest.mark.parametrize(("name", "source", "extra"), [
    *((n, s, "") for n, s in sorted(variants.DENSE_V_LOOPING.items())),
    ("helper_in_another_cell", variants.DENSE_V_LOOPING_HELPER, variants.HELPER_CELL),
])
def test_every_looping_dense_v_fails_every_case_as_not_vectorised(name, source, extra):
    verdicts = _verdicts(variants.define(source, "dense_v", extra), "dense_v")
    assert all(not v.passed and v.message.startswith("not vectorised") for v in verdicts.values()), \
        verdicts


@pytest.mark.parametrize(("name", "source", "vectorised"), [
    *((n, s, True) for n, s in sorted(variants.FORWARD_V_VECTORISED.items())),
    *((n, s, False) for n, s in sorted(variants.FORWARD_V_LOOPING.items())),
])
def test_forward_v_variants_are_judged_on_their_loops(name, source, vectorised):
    verdicts = _verdicts(variants.define(source, "forward_v"), "forward_v")
    if vectorised:
        assert all(v.passed for v in verdicts.values()), verdicts
    else:
        assert all(v.message.startswith("not vectorised") for v in verdicts.values()), verdicts


def test_one_activation_for_every_layer_fails_mixed_networks():
    mixed = _by_activation("sequential", lambda acts: len(acts) >= 2)

    def first_g(x, layers):
        return ref.sequential(x, [(W, b, layers[0][2]) for W, b, _ in layers])

    assert _failed(first_g, "sequential") == mixed


@pytest.mark.parametrize("name", ARRAY_EXERCISES)
def test_tensors_and_exceptions_fail_every_case(name):
    import tensorflow as tf

    everything = {c.name for c in EX[name].cases()}

    def tensor(*args):
        return tf.constant(getattr(ref, name)(*args))

    def raises(*args):
        raise NotImplementedError()

    tensor_verdicts = _verdicts(tensor, name)
    assert {c for c, v in tensor_verdicts.items() if not v.passed} == everything
    assert all("not a NumPy array" in v.message for v in tensor_verdicts.values())
    raise_verdicts = _verdicts(raises, name)
    assert all(v.message.startswith("raised NotImplementedError") for v in raise_verdicts.values())


# --- determinism ----------------------------------------------------------------------------------------

_DIGEST = """
import hashlib, numpy as np
from autograder.cases import exercises

def walk(value, h):
    if isinstance(value, (list, tuple)):
        h.update(b"[")
        for v in value:
            walk(v, h)
        h.update(b"]")
    elif isinstance(value, dict):
        walk(sorted(value.items(), key=str), h)
    elif isinstance(value, np.ndarray):
        h.update(str(value.shape).encode()); h.update(np.ascontiguousarray(value, float).tobytes())
    else:
        h.update(repr(value).encode())

def digest():
    h = hashlib.sha256()
    for name, ex in exercises("week1").items():
        for case in ex.cases():
            walk((case.name, case.args, case.expected, case.visible, case.batch_rows), h)
    return h.hexdigest()
"""


def test_cases_are_deterministic_within_and_across_processes():
    namespace = {}
    exec(_DIGEST, namespace)  # noqa: S102 - the same code runs in a fresh interpreter below
    here = namespace["digest"]()
    assert namespace["digest"]() == here
    other = subprocess.run(
        [sys.executable, "-c", _DIGEST + "\nprint(digest())"], capture_output=True, text=True,
        check=True,
    )
    assert other.stdout.strip() == here
    assert hashlib.sha256().hexdigest() != here


def test_judge_names_nan_answers_as_overflow():
    import warnings

    from autograder.cases import Case, judge

    case = Case("dense", "nan", (), np.array([0.5, 0.5]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "All-NaN slice" RuntimeWarning
        verdict = judge(case, {"value": np.array([np.nan, np.nan]), "type": "ndarray"})
    assert not verdict.passed and "NaN or inf" in verdict.message and "overflow" in verdict.message
