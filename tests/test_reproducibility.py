"""set_seed makes draws repeatable and leaves TensorFlow unimported in NumPy-only lessons."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from course_utils.reproducibility import set_seed


def test_same_seed_same_draws():
    a = set_seed(5).normal(size=3), np.random.rand(2)
    b = set_seed(5).normal(size=3), np.random.rand(2)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_numpy_only_lessons_do_not_import_tensorflow():
    code = (
        "import sys; from course_utils.reproducibility import set_seed; set_seed(1); "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported TF'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_keras_is_seeded_when_in_use():
    code = (
        "import keras; from course_utils.reproducibility import set_seed\n"
        "set_seed(3); a = keras.random.normal((3,)).numpy()\n"
        "set_seed(3); b = keras.random.normal((3,)).numpy()\n"
        "assert (a == b).all(), (a, b)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
