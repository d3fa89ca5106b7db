"""Week 2's instant checks (course_utils.checks.week2) and grading cases (autograder/cases/week2/assignment_multiclass_digits.py):
right answers pass, typical mistakes fail with the right diagnosis, cases are deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.cases import exercises, judge, run_case_in_process
from course_utils import reference as ref
from course_utils.checks import check_multiclass_model, check_softmax

# --- softmax answers: one right, the usual wrong ones ------------------------------------------------


def naive(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def whole_array_sum(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def column_sum(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def global_max(z):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=-1, keepdims=True)


def axis_one(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def not_normalised(z):
    return np.exp(z)


def no_keepdims(z):
    e = np.exp(z - np.max(z, axis=-1))
    return e / e.sum(axis=-1)


def tensorflow_softmax(z):
    import tensorflow as tf

    return tf.nn.softmax(z)


def not_written(z):
    raise NotImplementedError()


def test_reference_passes(capsys):
    assert check_softmax(ref.softmax)
    assert "✔ softmax: all 6 cases passed." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "case_name", "diagnosis"),
    [
        (naive, "huge logits", "overflows"),
        (whole_array_sum, "a batch: one example per row", "whole array"),
        (column_sum, "a batch: one example per row", "down the columns"),
        (global_max, "rows of very different scale", "each row's own maximum"),
        (axis_one, "the syllabus's example", "axis=-1"),
        (not_normalised, "the syllabus's example", "not divided by their sum"),
    ],
    ids=lambda v: getattr(v, "__name__", None) or str(v)[:20],
)
def test_mistakes_are_named(capsys, answer, case_name, diagnosis):
    assert check_softmax(answer) is False
    out = capsys.readouterr().out
    assert f'failed, "{case_name}"' in out and diagnosis in out, out
    assert "inputs:" in out and "expected:" in out and "Likely mistake:" in out


def test_a_row_and_column_mismatch_is_a_shape_problem(capsys):
    assert check_softmax(no_keepdims) is False
    out = capsys.readouterr().out
    assert "keepdims=True" in out


def test_tensor_results_are_refused(capsys):
    assert check_softmax(tensorflow_softmax) is False
    assert "NumPy only" in capsys.readouterr().out


def test_not_written_yet_stops_the_cell_with_not_implemented(capsys):
    with pytest.raises(NotImplementedError):
        check_softmax(not_written)
    assert "not written yet" in capsys.readouterr().out


def test_passing_the_result_instead_of_the_function(capsys):
    assert check_softmax(ref.softmax(np.ones(3))) is False
    assert "check_softmax(softmax)" in capsys.readouterr().out


def test_no_overflow_warning_leaks_from_a_naive_answer(recwarn):
    check_softmax(naive)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# --- the model check -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def _model(keras, acts=("relu", "relu", "linear"), units=(25, 15, 10), compiled=True, from_logits=True,
           optimizer="adam", with_input=True):
    layers = [keras.layers.Dense(u, activation=a) for u, a in zip(units, acts)]
    model = keras.Sequential(([keras.Input(shape=(64,))] if with_input else []) + layers)
    if compiled:
        opt = keras.optimizers.Adam(1e-3) if optimizer == "adam" else keras.optimizers.SGD(0.1)
        model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits),
                      optimizer=opt)
    return model


def test_model_check_passes_the_right_model(keras, capsys):
    assert check_multiclass_model(_model(keras))
    assert "2,175 parameters" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"acts": ("relu", "relu", "softmax")}, "output layer uses softmax"),
        ({"acts": ("sigmoid", "relu", "linear")}, "layer 1 has activation 'sigmoid'"),
        ({"units": (25, 15, 1)}, "layer 3 has 1 units, expected 10"),
        ({"units": (25, 10)}, "expected 3 Dense layers"),
        ({"compiled": False}, "not compiled"),
        ({"from_logits": False}, "from_logits=True"),
        ({"optimizer": "sgd"}, "expected keras.optimizers.Adam"),
        ({"with_input": False}, "keras.Input(shape=(64,))"),
    ],
)
def test_model_check_names_the_problem(keras, capsys, kwargs, fragment):
    assert check_multiclass_model(_model(keras, **kwargs)) is False
    out = capsys.readouterr().out
    assert fragment in out, out


def test_model_check_on_none(capsys):
    assert check_multiclass_model(None) is False
    assert "return model" in capsys.readouterr().out


# --- grading cases ----------------------------------------------------------------------------------------

def _failures(name, func):
    return {c.name: judge(c, run_case_in_process(func, c)) for c in exercises("week2")[name].cases()
            if not judge(c, run_case_in_process(func, c)).passed}


def test_grading_cases_cover_the_issue():
    cases = exercises("week2")["softmax"].cases()
    shapes = {np.asarray(c.args[0]).ndim for c in cases}
    assert shapes == {1, 2}
    names = " ".join(c.name for c in cases)
    for phrase in ("[1000, 1001]", "tiny", "different scale", "batch of one", "single logit"):
        assert phrase in names
    assert exercises("week2")["softmax"].numpy_only
    assert exercises("week2")["build_model"].cases()[0].kind == "model"


def test_reference_passes_every_grading_case():
    assert _failures("softmax", ref.softmax) == {}


@pytest.mark.parametrize(
    ("answer", "must_fail"),
    [(naive, "huge logits [1000, 1001]"), (global_max, "rows whose scales differ from 1e-3 to 3e3"),
     (whole_array_sum, "ten classes, batch of 8"), (column_sum, "ten classes, batch of 8"),
     (axis_one, "ten classes, 1-D")],
    ids=lambda v: getattr(v, "__name__", None) or str(v)[:20],
)
def test_wrong_softmax_fails_the_right_cases(answer, must_fail):
    with np.errstate(all="ignore"):
        assert must_fail in _failures("softmax", answer)


def test_hidden_cases_are_deterministic():
    first = exercises("week2")["softmax"].cases()
    second = exercises("week2")["softmax"].cases()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(np.asarray(a.args[0]), np.asarray(b.args[0]))


def test_model_case_accepts_the_right_model_and_rejects_softmax_output(keras):
    case, loss_case = exercises("week2")["build_model"].cases()
    assert judge(case, run_case_in_process(lambda: _model(keras), case)).passed
    verdict = judge(case, run_case_in_process(lambda: _model(keras, acts=("relu", "relu", "softmax")), case))
    assert not verdict.passed and "softmax" in verdict.message
    assert judge(loss_case, run_case_in_process(lambda: _model(keras), loss_case)).passed
    no_logits = judge(loss_case, run_case_in_process(lambda: _model(keras, from_logits=False), loss_case))
    assert not no_logits.passed and "from logits" in no_logits.message
    uncompiled = judge(loss_case, run_case_in_process(lambda: _model(keras, compiled=False), loss_case))
    assert not uncompiled.passed and "loss" in uncompiled.message
