"""Instant checks for the graded exercises (and the lessons' "your turn" cells, e.g. week 3 lesson
3's ``check_gradients``): ``assert check_dense(dense)`` in a notebook prints a verdict naming the
failed case and the likely mistake, and returns ``True``/``False``.

They hold expected values only (never reference code); the full grading cases are in
``autograder/cases/``.
"""

from course_utils.checks.week1 import (
    check_dense,
    check_dense_v,
    check_forward_v,
    check_model,
    check_predict,
    check_sequential,
    describe_model,
)

__all__ = [
    "check_dense",
    "check_sequential",
    "check_predict",
    "check_dense_v",
    "check_forward_v",
    "check_model",
    "describe_model",
]

# Week 2 (multiclass digits).
from course_utils.checks.week2 import check_multiclass_model, check_softmax  # noqa: E402

__all__ += ["check_softmax", "check_multiclass_model"]

# Week 2, lessons 1 and 3 (the labs' "your turn" cells): the binary and the softmax cross-entropy.
from course_utils.checks.week2_labs import check_bce, check_cross_entropy  # noqa: E402

__all__ += ["check_bce", "check_cross_entropy"]

# Week 3, lesson 1 (shapes and the two conventions).
from course_utils.checks.conventions import check_db_column, check_to_column  # noqa: E402

__all__ += ["check_to_column", "check_db_column"]

# Week 3, lesson 3 (logistic regression, derived): the vectorised gradient.
from course_utils.checks.logistic import check_gradients  # noqa: E402

__all__ += ["check_gradients"]

# Week 3, graded assignment 2 (planar data, one hidden layer).
from course_utils.checks.week3_planar import (  # noqa: E402
    check_backward_propagation,
    check_compute_cost,
    check_forward_propagation,
    check_initialize_parameters,
    check_nn_model,
    check_predict_nn,
    check_update_parameters,
)

__all__ += ["check_initialize_parameters", "check_forward_propagation", "check_compute_cost",
            "check_backward_propagation", "check_update_parameters", "check_nn_model",
            "check_predict_nn"]

# Week 3, lesson 2 (gradient descent).
from course_utils.checks.gradient_descent import check_gradient_descent  # noqa: E402

__all__ += ["check_gradient_descent"]

# Week 3 assignment (logistic regression on the digits 3 and 8).
from course_utils.checks.week3_logistic import (  # noqa: E402
    check_initialize_zeros,
    check_logistic_model,
    check_logistic_predict,
    check_optimize,
    check_propagate,
    check_sigmoid,
)

__all__ += ["check_sigmoid", "check_initialize_zeros", "check_propagate", "check_optimize",
            "check_logistic_predict", "check_logistic_model"]

# Week 3, lesson 5 (a shallow network).
from course_utils.checks.shallow import check_tanh_prime  # noqa: E402

__all__ += ["check_tanh_prime"]

# Week 4, lesson 3 (gradient checking).
from course_utils.checks.gradient_checking import (  # noqa: E402
    check_numerical_gradient,
    check_relative_difference,
)

__all__ += ["check_numerical_gradient", "check_relative_difference"]

# Week 4, lesson 1 (getting the dimensions right).
from course_utils.checks.dimensions import check_layer_shapes  # noqa: E402

__all__ += ["check_layer_shapes"]

# Week 4, graded assignment 1 (a deep network, step by step).
from course_utils.checks.week4_steps import (  # noqa: E402
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

__all__ += ["check_initialize_parameters_deep", "check_linear_forward",
            "check_linear_activation_forward", "check_model_forward", "check_compute_cost_deep",
            "check_linear_backward", "check_linear_activation_backward", "check_model_backward",
            "check_update_parameters_deep"]

# Week 4, lesson 6 (parameters vs hyperparameters).
from course_utils.checks.hyperparameters import check_count_parameters  # noqa: E402

__all__ += ["check_count_parameters"]

# Week 4, graded assignment 2 (a deep network on digits): the training loop.
from course_utils.checks.week4_fit import check_model_fit  # noqa: E402

__all__ += ["check_model_fit"]

# Week 4, lesson 5 (inside fit: one training step with GradientTape).
from course_utils.checks.inside_fit import check_train_step  # noqa: E402

__all__ += ["check_train_step"]

# Week 5, lesson 4 (error analysis).
from course_utils.checks.error_analysis import check_most_confused  # noqa: E402

__all__ += ["check_most_confused"]

# Week 5, lesson 1 (three sets: training, cross-validation, test).
from course_utils.checks.model_selection import check_best_degree  # noqa: E402

__all__ += ["check_best_degree"]

# Week 5, lesson 3 (regularisation in practice).
from course_utils.checks.regularisation import check_l2_penalty  # noqa: E402

__all__ += ["check_l2_penalty"]

# Week 5, lesson 2 (bias and variance): a learning curve's two errors.
from course_utils.checks.bias_variance import check_learning_curve  # noqa: E402

__all__ += ["check_learning_curve"]

# Week 1, lesson 0 (what is a neural network): ReLU.
from course_utils.checks.intro import check_relu  # noqa: E402

__all__ += ["check_relu"]

# Week 2, lessons 4–6 (multiclass, derivatives, backprop): their "your turn" cells.
from course_utils.checks.week2_lessons import (  # noqa: E402
    check_backprop_graph1,
    check_conv_params,
    check_relu_sum,
    check_two_sided,
)

__all__ += ["check_relu_sum", "check_conv_params", "check_two_sided", "check_backprop_graph1"]

# Week 1, labs 1 and 2 ("your turn": one sigmoid neuron; steps per epoch).
from course_utils.checks.week1_labs import check_neuron, check_steps_per_epoch  # noqa: E402

__all__ += ["check_neuron", "check_steps_per_epoch"]

# Week 5, graded assignment (diagnose and improve).
from course_utils.checks.week5 import (  # noqa: E402
    check_build_transfer_model,
    check_choose_lambda,
    check_classification_error,
    check_diagnose,
    check_split_data,
)

__all__ += ["check_split_data", "check_classification_error", "check_diagnose",
            "check_choose_lambda", "check_build_transfer_model"]

# Week 5, lesson 5 (transfer learning).
from course_utils.checks.transfer import check_freeze_hidden_layers  # noqa: E402

__all__ += ["check_freeze_hidden_layers"]
