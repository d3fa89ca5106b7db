"""Instant checks for the graded exercises and the lessons' "your turn" cells: ``assert
check_dense(dense)`` in a notebook prints a verdict naming the failed case and the likely mistake,
and returns ``True``/``False``. Notebooks import them from here.

One module per notebook, named after it: ``notebooks/weekN/NN_<slug>.ipynb`` →
``course_utils/checks/weekN/<slug>.py`` (a check shared by a lesson and its graded notebook lives
in the graded one); the machinery is in ``core/``.

They hold expected values only, never reference code; the grading cases are in
``autograder/cases/``.
"""


# A Keras model as plain data (its machinery is in core.models).
from course_utils.checks.core.models import describe_model

# Week 1.
from course_utils.checks.week1.assignment_binary_digits import (
    check_dense,
    check_dense_v,
    check_forward_v,
    check_model,
    check_predict,
    check_sequential,
)
from course_utils.checks.week1.coffee_roasting_tensorflow import check_steps_per_epoch
from course_utils.checks.week1.neurons_and_layers import check_neuron
from course_utils.checks.week1.what_is_a_neural_network import check_relu

# Week 2.
from course_utils.checks.week2.assignment_multiclass_digits import (
    check_multiclass_model,
    check_softmax,
)
from course_utils.checks.week2.backprop import check_backprop_graph1
from course_utils.checks.week2.derivatives import check_two_sided
from course_utils.checks.week2.multiclass import check_conv_params
from course_utils.checks.week2.relu_sliders import check_relu_sum
from course_utils.checks.week2.softmax import check_cross_entropy
from course_utils.checks.week2.training_and_activations import check_bce

# Week 3.
from course_utils.checks.week3.assignment_logistic_regression import (
    check_initialize_zeros,
    check_logistic_model,
    check_logistic_predict,
    check_optimize,
    check_propagate,
    check_sigmoid,
)
from course_utils.checks.week3.assignment_planar_data import (
    check_backward_propagation,
    check_compute_cost,
    check_forward_propagation,
    check_initialize_parameters,
    check_nn_model,
    check_predict_nn,
    check_update_parameters,
)
from course_utils.checks.week3.gradient_descent import check_gradient_descent
from course_utils.checks.week3.logistic_regression_derived import check_gradients
from course_utils.checks.week3.shallow_network import check_tanh_prime
from course_utils.checks.week3.shapes_and_conventions import check_db_column, check_to_column

# Week 4 (and the inputs of 02_assignment_deep_network_step_by_step's checks, FACT_*, which its
# prose invites learners to import and try).
from course_utils.checks.week4.assignment_deep_network_digits import check_model_fit
from course_utils.checks.week4.assignment_deep_network_step_by_step import (
    FACT_PARAMETERS,
    FACT_X,
    FACT_Y,
    check_compute_cost_deep,
    check_initialize_parameters_deep,
    check_linear_activation_backward,
    check_linear_activation_forward,
    check_linear_backward,
    check_linear_forward,
    check_model_backward,
    check_model_forward,
    check_update_parameters_deep,
)
from course_utils.checks.week4.dimensions import check_layer_shapes
from course_utils.checks.week4.gradient_checking import (
    check_numerical_gradient,
    check_relative_difference,
)
from course_utils.checks.week4.hyperparameters import check_count_parameters
from course_utils.checks.week4.inside_fit import check_train_step

# Week 5.
from course_utils.checks.week5.assignment_diagnose_and_improve import (
    check_build_transfer_model,
    check_choose_lambda,
    check_classification_error,
    check_diagnose,
    check_split_data,
)
from course_utils.checks.week5.bias_variance import check_learning_curve
from course_utils.checks.week5.error_analysis import check_most_confused
from course_utils.checks.week5.regularisation import check_l2_penalty
from course_utils.checks.week5.three_sets import check_best_degree
from course_utils.checks.week5.transfer_learning import check_freeze_hidden_layers

__all__ = [
    # core
    "describe_model",
    # week1
    "check_dense", "check_dense_v", "check_forward_v", "check_model", "check_neuron",
    "check_predict", "check_relu", "check_sequential", "check_steps_per_epoch",
    # week2
    "check_backprop_graph1", "check_bce", "check_conv_params", "check_cross_entropy",
    "check_multiclass_model", "check_relu_sum", "check_softmax", "check_two_sided",
    # week3
    "check_backward_propagation", "check_compute_cost", "check_db_column",
    "check_forward_propagation", "check_gradient_descent", "check_gradients",
    "check_initialize_parameters", "check_initialize_zeros", "check_logistic_model",
    "check_logistic_predict", "check_nn_model", "check_optimize", "check_predict_nn",
    "check_propagate", "check_sigmoid", "check_tanh_prime", "check_to_column",
    "check_update_parameters",
    # week4
    "FACT_X", "FACT_PARAMETERS", "FACT_Y",
    "check_compute_cost_deep", "check_count_parameters", "check_initialize_parameters_deep",
    "check_layer_shapes", "check_linear_activation_backward", "check_linear_activation_forward",
    "check_linear_backward", "check_linear_forward", "check_model_backward", "check_model_fit",
    "check_model_forward", "check_numerical_gradient", "check_relative_difference",
    "check_train_step", "check_update_parameters_deep",
    # week5
    "check_best_degree", "check_build_transfer_model", "check_choose_lambda",
    "check_classification_error", "check_diagnose", "check_freeze_hidden_layers",
    "check_l2_penalty", "check_learning_curve", "check_most_confused", "check_split_data",
]
