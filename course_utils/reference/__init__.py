"""Reference solutions: what the graded functions are checked against, one module per topic.

``course_utils.reference.<name>`` is the reference of the graded function ``<name>`` (its nbgrader
``grade_id``), whatever module it lives in:

- :mod:`~course_utils.reference.inference` — weeks 1–2: activations, ``dense``, ``sequential``,
  ``dense_v``, ``forward_v``, ``softmax``;
- :mod:`~course_utils.reference.logistic` — week 3, assignment 1: logistic regression as a tiny
  network trained by gradient descent;
- :mod:`~course_utils.reference.shallow` — week 3, assignment 2: one hidden layer, by hand
  (its ``compute_cost`` and ``update_parameters`` serve week 4 too);
- :mod:`~course_utils.reference.deep` — week 4: an L-layer network from its building blocks;
- :mod:`~course_utils.reference.diagnosis` — week 5: splits, errors, bias/variance, choosing λ;
- :mod:`~course_utils.reference.transfer` — week 5: a transfer model on a pre-trained base (Keras).

Row convention throughout: a batch ``X`` is ``(m, n)`` (one example per row), ``W`` is
``(n_in, units)``, ``b`` is ``(units,)``.

These functions are instructor material: learners never see this package's code (the autograder
hides it from learner code, the student edition leaves it out, and :mod:`course_utils.checks`
holds only expected values).
"""

from course_utils.reference.deep import (
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    model_backward,
    model_fit,
    model_forward,
    predict_deep,
)
from course_utils.reference.diagnosis import (
    choose_lambda,
    classification_error,
    diagnose,
    split_data,
)
from course_utils.reference.inference import (
    dense,
    dense_v,
    forward_v,
    linear,
    relu,
    sequential,
    sigmoid,
    softmax,
)
from course_utils.reference.logistic import (
    initialize_zeros,
    model,
    optimize,
    predict,
    propagate,
)
from course_utils.reference.shallow import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
    nn_model,
    predict_nn,
    update_parameters,
)
from course_utils.reference.transfer import build_transfer_model

__all__ = [
    "sigmoid", "relu", "linear", "softmax", "dense", "sequential", "dense_v", "forward_v",
    "initialize_zeros", "propagate", "optimize", "predict", "model",
    "initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation",
    "update_parameters", "nn_model", "predict_nn",
    "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "model_forward",
    "linear_backward", "linear_activation_backward", "model_backward", "model_fit", "predict_deep",
    "split_data", "classification_error", "diagnose", "choose_lambda",
    "build_transfer_model",
]
