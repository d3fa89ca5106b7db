"""Grading Keras transfer models (week 5's ``build_transfer_model``), in process: the base model
travels as data (``ModelSpec`` → ``{"__model__": ...}``) and is built by one builder on each side;
what a model says about itself now includes each layer's trainable flag and its weights'
fingerprints; the cases pass honest answers (shared layers, the functional API, a nested base, a
clone with copied weights) and fail each mistake with its name. The sandbox path is tested with
the notebook (``tests/test_assignment_week5.py``)."""

from __future__ import annotations

import subprocess
import sys

import case_verdicts
import numpy as np
import pytest

from autograder.cases import ModelSpec, exercises
from autograder.cases.week5.assignment_diagnose_and_improve import spec_of
from autograder.grading.assignment import encode
from autograder.sandbox import child
from course_utils.checks.core.models import (
    describe_model_data,
    model_data,
    model_from_spec,
    same_weights,
    weight_fingerprint,
)
from course_utils.checks.week5 import assignment_diagnose_and_improve as week5

keras = pytest.importorskip("keras")

CASES = exercises("week5")["build_transfer_model"].cases()
BASE = week5.TRANSFER_BASE


def loss():
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def compiled(model):
    model.compile(loss=loss(), optimizer=keras.optimizers.Adam(1e-3))
    return model


# --- honest answers -----------------------------------------------------------------------------
def shared_layers(base_model, n_classes, fine_tune):
    hidden = base_model.layers[:-1]
    for layer in hidden:
        layer.trainable = fine_tune
    return compiled(keras.Sequential([keras.Input(shape=(base_model.input_shape[1],)), *hidden,
                                      keras.layers.Dense(n_classes)]))


def functional_api(base_model, n_classes, fine_tune):
    inputs = keras.Input(shape=(base_model.input_shape[1],))
    x = inputs
    for layer in base_model.layers[:-1]:
        layer.trainable = fine_tune
        x = layer(x)
    return compiled(keras.Model(inputs, keras.layers.Dense(n_classes)(x)))


def nested_trunk(base_model, n_classes, fine_tune):
    """Keras' transfer-learning guide: the base (minus its head) as one frozen sub-model."""
    trunk = keras.Model(base_model.inputs, base_model.layers[-2].output)
    trunk.trainable = fine_tune
    return compiled(keras.Sequential([keras.Input(shape=(base_model.input_shape[1],)), trunk,
                                      keras.layers.Dense(n_classes)]))


def clone_with_copied_weights(base_model, n_classes, fine_tune):
    """Copies of the base's layers holding the base's weights: the rule accepts it."""
    copy = keras.models.clone_model(base_model)
    copy.set_weights(base_model.get_weights())
    return shared_layers(copy, n_classes, fine_tune)


# --- mistakes -----------------------------------------------------------------------------------
def base_not_frozen(base_model, n_classes, fine_tune):
    return shared_layers(base_model, n_classes, True)


def fresh_layers(base_model, n_classes, fine_tune):
    """A "transfer" model that does not share the base's weights: new Dense layers of the same sizes."""
    layers = [keras.layers.Dense(la.units, activation=la.activation, trainable=fine_tune)
              for la in base_model.layers[:-1]]
    return compiled(keras.Sequential([keras.Input(shape=(64,)), *layers,
                                      keras.layers.Dense(n_classes)]))


def keeps_the_base_head(base_model, n_classes, fine_tune):
    for layer in base_model.layers:
        layer.trainable = fine_tune
    return compiled(keras.Sequential([keras.Input(shape=(64,)), *base_model.layers,
                                      keras.layers.Dense(n_classes)]))


def reuses_the_base_head(base_model, n_classes, fine_tune):
    for layer in base_model.layers[:-1]:
        layer.trainable = fine_tune
    return compiled(keras.Sequential([keras.Input(shape=(64,)), *base_model.layers]))


def loss_on_probabilities(base_model, n_classes, fine_tune):
    model = shared_layers(base_model, n_classes, fine_tune)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    return model


def softmax_output(base_model, n_classes, fine_tune):
    for layer in base_model.layers[:-1]:
        layer.trainable = fine_tune
    return compiled(keras.Sequential([keras.Input(shape=(64,)), *base_model.layers[:-1],
                                      keras.layers.Dense(n_classes, activation="softmax")]))


def frozen_output(base_model, n_classes, fine_tune):
    model = shared_layers(base_model, n_classes, fine_tune)
    model.layers[-1].trainable = False
    return model


def not_compiled(base_model, n_classes, fine_tune):
    for layer in base_model.layers[:-1]:
        layer.trainable = fine_tune
    return keras.Sequential([keras.Input(shape=(64,)), *base_model.layers[:-1],
                             keras.layers.Dense(n_classes)])


def no_input(base_model, n_classes, fine_tune):
    for layer in base_model.layers[:-1]:
        layer.trainable = fine_tune
    return compiled(keras.Sequential([*base_model.layers[:-1], keras.layers.Dense(n_classes)]))


def two_hidden_layers_always(base_model, n_classes, fine_tune):
    for layer in base_model.layers[:2]:
        layer.trainable = fine_tune
    return compiled(keras.Sequential([keras.Input(shape=(64,)), *base_model.layers[:2],
                                      keras.layers.Dense(n_classes)]))


def frozen_when_fine_tuning(base_model, n_classes, fine_tune):
    return shared_layers(base_model, n_classes, False)


VISIBLE_FROZEN = "the 64 → 32 → 16 → 5 base, 5 new classes, frozen"
VISIBLE_TUNED = "the 64 → 32 → 16 → 5 base, 10 new classes, fine-tuned"
FROZEN_CASES = {c.name for c in CASES if not c.args[2]}
TUNED_CASES = {c.name for c in CASES if c.args[2]}


@pytest.mark.parametrize("func", [shared_layers, functional_api, nested_trunk,
                                  clone_with_copied_weights])
def test_honest_transfer_models_pass_every_case(func):
    assert case_verdicts.failed("week5", "build_transfer_model", func) == {}


@pytest.mark.parametrize("func, failing, message", [
    (base_not_frozen, FROZEN_CASES,
     "layer 1 is trainable: freeze the base's hidden layers when fine_tune is False"),
    (frozen_when_fine_tuning, TUNED_CASES,
     "layer 1 is frozen: with fine_tune=True the base's layers train too"),
    (fresh_layers, FROZEN_CASES | TUNED_CASES,
     "layer 1's weights are not the base's: reuse base_model.layers[0]"),
    (keeps_the_base_head, FROZEN_CASES | TUNED_CASES,
     "the base's output layer is still in the model"),
    (loss_on_probabilities, FROZEN_CASES | TUNED_CASES, "the loss needs from_logits=True"),
    (softmax_output, FROZEN_CASES | TUNED_CASES,
     "the output layer's activation is 'softmax': keep it linear"),
    (frozen_output, FROZEN_CASES | TUNED_CASES, "the new output layer is frozen"),
    (not_compiled, FROZEN_CASES | TUNED_CASES, "the model is not compiled"),
    (no_input, FROZEN_CASES | TUNED_CASES, "the model has no input of shape (64,)"),
])
def test_each_mistake_fails_its_cases_with_its_name(func, failing, message):
    bad = case_verdicts.failed("week5", "build_transfer_model", func)
    assert set(bad) == failing
    assert all(m.startswith(message) for m in bad.values()), bad


def test_the_base_head_reused_fails_where_the_classes_number_the_same():
    bad = case_verdicts.failed("week5", "build_transfer_model", reuses_the_base_head)
    # Where n_classes equals the base's classes, the sizes fit: the weights tell.
    assert bad[VISIBLE_FROZEN].startswith("the output layer is the base's own (same weights)")
    assert bad[VISIBLE_TUNED].startswith("the output layer is Dense(5), expected Dense(10)")
    assert set(bad) == {c.name for c in CASES}


def test_hard_coded_sizes_fail_the_other_bases():
    bad = case_verdicts.failed("week5", "build_transfer_model", two_hidden_layers_always)
    assert set(bad) == {c.name for c in CASES if len(c.args[0].layers) == 4}
    assert all("expected the base's 3 hidden layers and 1 new output layer" in m
               for m in bad.values())


def odd_sizes(units, activation):
    def build(base_model, n_classes, fine_tune):
        layers = [keras.layers.Dense(units, activation=activation) for _ in range(3)]
        return compiled(keras.Sequential([keras.Input(shape=(64,)), *layers]))
    return build


def odd_output(base_model, n_classes, fine_tune):
    for layer in base_model.layers[:-1]:
        layer.trainable = fine_tune
    return compiled(keras.Sequential([keras.Input(shape=(64,)), *base_model.layers[:-1],
                                      keras.layers.Dense(37, activation="softsign")]))


def test_hidden_case_summaries_quote_nothing_of_the_answer():
    """A hidden case's feedback shows the summary only: no units, activation or layer count the
    answer chose (they could carry a hidden case's inputs out); the message may quote them."""
    for func in (odd_sizes(37, "softsign"), odd_sizes(37, "relu"), odd_output):
        verdicts = case_verdicts.verdicts("week5", "build_transfer_model", func).values()
        assert any("37" in message or "softsign" in message for _, message, _ in verdicts)
        for passed, _, summary in verdicts:
            assert not passed and "37" not in summary and "softsign" not in summary, summary
            assert "got" not in summary


def test_cases_cover_both_settings_and_other_bases():
    assert [c.visible for c in CASES].count(True) == 2
    assert {c.args[2] for c in CASES} == {True, False}
    assert {tuple(c.args[0].layers) for c in CASES} >= {
        ((32, "relu"), (16, "relu"), (5, "linear")), ((24, "relu"), (12, "relu"), (5, "linear"))}
    assert all(c.kind == "model" and c.check is not None for c in CASES)
    assert not exercises("week5")["build_transfer_model"].numpy_only


# --- the spec travels as data, and one builder makes the model ----------------------------------
def test_a_model_spec_is_sent_as_data_and_built_exactly():
    spec = spec_of(BASE)
    encoded = encode((spec, 10, False))
    assert set(encoded["__tuple__"][0]) == {"__model__"}
    built = []
    args = child.decode(encoded, model=lambda data: built.append(data) or model_from_spec(data))
    model, n_classes, fine_tune = args
    assert (n_classes, fine_tune) == (10, False) and isinstance(model, keras.Sequential)
    assert built[0]["layers"] == [[32, "relu"], [16, "relu"], [5, "linear"]]
    for got, want in zip(model.get_weights(), BASE["weights"], strict=True):
        assert got.dtype == np.float32 and np.array_equal(got, want)
    d = describe_model_data(model_data(model))
    assert (d["input_shape"], d["loss"], d["from_logits"]) == ([64], "SparseCategoricalCrossentropy",
                                                               True)
    # in process, the same builder: the same weights
    for got, want in zip(spec.build().get_weights(), model.get_weights(), strict=True):
        assert np.array_equal(got, want)


def test_without_a_model_builder_a_spec_is_refused():
    with pytest.raises(ValueError):
        child.decode(encode(spec_of(BASE)))


def test_a_spec_names_only_known_activations_and_losses():
    with pytest.raises(ValueError, match="unknown activation"):
        model_from_spec({**BASE, "layers": [[32, "os.system"], [16, "relu"], [5, "linear"]]})
    with pytest.raises(KeyError):
        model_from_spec({**BASE, "loss": "mean_squared_error"})


def test_the_models_module_and_the_codec_do_not_import_keras():
    code = ("import sys\nfrom autograder.sandbox import child\nimport course_utils.checks.core.models\n"
            "child.decode(child.encode((1.0, [2, 3])))\n"
            "print('keras' in sys.modules, 'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False False", done.stderr


def test_a_case_with_a_model_spec_has_a_fingerprint():
    # load_assignment hashes every case's encoded args: a spec must encode deterministically.
    a, b = (encode(c.args) for c in (CASES[0], exercises("week5")["build_transfer_model"]
                                               .cases()[0]))
    assert a == b


# --- fingerprints -------------------------------------------------------------------------------
def test_fingerprints_tell_the_same_weights_from_others():
    rng = np.random.default_rng(0)
    w = rng.uniform(-0.3, 0.3, (16, 16)).astype(np.float32)
    assert same_weights(weight_fingerprint(w), weight_fingerprint(w.copy()))
    assert same_weights(weight_fingerprint(w), weight_fingerprint(w.astype(np.float64)))
    fresh = rng.uniform(-0.3, 0.3, (16, 16)).astype(np.float32)
    assert not same_weights(weight_fingerprint(w), weight_fingerprint(fresh))
    # a transposed or permuted copy has the same sum and sum of squares; the ramp tells it
    for other in (w.T, w[::-1], np.roll(w, 1)):
        a, b = weight_fingerprint(w), weight_fingerprint(other)
        assert np.isclose(a[1], b[1]) and np.isclose(a[2], b[2]) and not same_weights(a, b)
    assert not same_weights(weight_fingerprint(w), weight_fingerprint(w[:, :8]))


def test_the_bases_biases_are_not_zeros():
    """A fresh Dense layer's biases are zeros: the base's must not be, or a fresh layer's bias
    would look like the base's (its kernel would still differ)."""
    for case in CASES:
        for bias in case.args[0].weights[1::2]:
            assert np.all(bias != 0)
    fresh = keras.layers.Dense(32)
    fresh.build((None, 64))
    kernel, bias = fresh.get_weights()
    assert not same_weights(weight_fingerprint(kernel), weight_fingerprint(BASE["weights"][0]))


def test_the_description_keeps_its_keys_and_adds_the_leaves():
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(2)])
    model.layers[0].trainable = False
    d = describe_model_data(model_data(model))
    assert set(d) == {"type", "input_shape", "layers", "total_params", "loss", "from_logits",
                      "leaves"}
    assert d["layers"] == [{"class": "Dense", "units": 3, "activation": "relu"},
                           {"class": "Dense", "units": 2, "activation": "linear"}]
    assert [(leaf["units"], leaf["trainable"]) for leaf in d["leaves"]] == [(3, False), (2, True)]
    kernel, bias = model.layers[0].get_weights()
    assert d["leaves"][0]["weights"] == [weight_fingerprint(kernel), weight_fingerprint(bias)]
    # forged leaves are dropped, not trusted
    forged = model_data(model)
    forged["leaves"] = [{"class": "Dense", "units": True, "trainable": "yes",
                         "weights": [["x"], [[3], 1, 2, "3"]]}, "junk"]
    (leaf,) = describe_model_data(forged)["leaves"]
    assert leaf["units"] is None and leaf["trainable"] is False and leaf["weights"] == []


def test_a_model_frozen_as_a_whole_freezes_its_leaves():
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])
    model.trainable = False
    assert [leaf["trainable"] for leaf in describe_model_data(model_data(model))["leaves"]] == [False]


def test_model_spec_data_round_trip():
    spec = spec_of(BASE)
    assert isinstance(spec, ModelSpec) and spec.data()["input_dim"] == 64
    assert [np.array_equal(a, b) for a, b in zip(spec.data()["weights"], BASE["weights"])] == [True] * 6
