"""The static NumPy-only rule (autograder/numpy_only.py): names resolve per scope, so honest code
whose parameters or locals happen to be called ``layers``, ``tf`` or ``keras`` keeps its points,
while reading the global TensorFlow/Keras names, importing them or importing dynamically does not."""

from __future__ import annotations

import nbformat
import pytest

from autograder.intake.numpy_only import forbidden_use, global_aliases

#: The names the week-1 notebook binds at module level when a learner writes the Keras docs' idiom
#: `from keras import layers` in the build_model cell.
ALIASES = {"tf", "keras", "layers"}

HONEST = {
    "sequential's parameter is called layers": (
        "def sequential(x, layers):\n    a = x\n    for W, b, g in layers:\n"
        "        a = dense(a, W, b, g)\n    return a\n"),
    "forward_v's parameter is called layers": (
        "def forward_v(X, layers):\n    A = X\n    for W, b, g in layers:\n"
        "        A = g(A @ W + b)\n    return A\n"),
    "a decorated function, a comprehension over its parameter": (
        "import functools\n@functools.lru_cache\ndef f(layers):\n    return [l for l in layers]\n"),
    "a closure over the parameter": (
        "def outer(layers):\n    def inner():\n        return layers[0]\n    return inner()\n"),
    "a nested comprehension over the parameter": (
        "def f(layers):\n    return [[w for w in layers] for _ in range(2)]\n"),
    "a lambda's parameter called tf": "f = lambda tf: tf + 1\n",
    "a comprehension variable called layers": "def f(xs):\n    return [layers for layers in xs]\n",
    "a local variable called layers": "def f(x):\n    layers = [1]\n    return layers\n",
    "a local called reference": (
        "def dense(a, W, b, g):\n    reference = 1\n    return g(a @ W + b)\n"),
    "a class attribute read in the class body": "class A:\n    layers = 3\n    y = layers\n",
    "a class inside a function reading the parameter": (
        "def f(layers):\n    class A:\n        y = layers\n    return A\n"),
    "the word tensorflow in a docstring": (
        "def dense(a, W, b, g):\n    '''not tensorflow'''\n    return g(np.dot(a, W) + b)\n"),
    "a magic line": "%time z = 1\ndef dense(a, W, b, g):\n    return g(a @ W + b)\n",
    "reads the names in sys.modules": (
        "import sys\nLOADED = any(m.startswith('pytest') for m in sys.modules)\n"
        "HAS_TF = 'tensorflow' in sys.modules and len(sys.modules.keys()) > 0\n"),
}

FORBIDDEN = {
    "reads the global layers": (
        "def dense(a, W, b, g):\n    return layers.Dense(3)(a)\n", "uses layers"),
    "declares layers global": (
        "def dense(a, W, b, g):\n    global layers\n    return layers\n", "uses layers"),
    "uses tf": ("def dense(a, W, b, g):\n    return tf.matmul(a, W)\n", "uses tf"),
    "a comprehension over the global layers": (
        "def f(xs):\n    return [l for l in layers]\n", "uses layers"),
    "a method reading the global, not the class attribute": (
        "class A:\n    layers = 3\n    def f(self):\n        return layers\n", "uses layers"),
    "a default value": ("def f(x=tf):\n    return x\n", "uses tf"),
    "imports tensorflow under another name": (
        "import tensorflow as tf2\ndef dense(a, W, b, g):\n    return tf2.nn.relu(a)\n",
        "imports tensorflow"),
    "imports the reference": (
        "from course_utils.reference import dense as d\ndef dense(a, W, b, g):\n"
        "    return d(a, W, b, g)\n", "imports course_utils.reference"),
    "imports inside the function, after a magic": (
        "%time z = 1\ndef dense(a, W, b, g):\n    import keras\n    return a\n", "imports keras"),
    "importlib with a computed name": (
        "import importlib\ndef dense(a, W, b, g):\n"
        "    return importlib.import_module('tensor' + 'flow').matmul(a, W)\n",
        "dynamically (importlib)"),
    "__import__": (
        "def dense(a, W, b, g):\n    m = __import__('course_utils.reference')\n    return m\n",
        "dynamically (__import__)"),
    "sys.modules": (
        "import sys\ndef dense(a, W, b, g):\n    return sys.modules['tensorflow'].matmul(a, W)\n",
        "dynamically (sys.modules)"),
    "sys.modules.get": (
        "import sys\ndef dense(a, W, b, g):\n    return sys.modules.get('keras')\n",
        "dynamically (sys.modules)"),
    "sys.modules.values()": (
        "import sys\nMODS = list(sys.modules.values())\n", "dynamically (sys.modules)"),
    "from importlib import import_module": (
        "from importlib import import_module\ndef dense(a, W, b, g):\n"
        "    return import_module('keras')\n", "dynamically"),
}


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_code_is_not_flagged(name):
    assert forbidden_use(HONEST[name], ALIASES) is None


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_forbidden_code_is_flagged_with_its_reason(name):
    code, reason = FORBIDDEN[name]
    why = forbidden_use(code, ALIASES)
    assert why is not None and reason in why, why


def test_only_module_level_imports_make_global_aliases():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import keras\nfrom keras import layers\n%matplotlib inline"),
        nbformat.v4.new_code_cell("def build_model():\n    from keras import models\n"
                                  "    return models.Sequential()"),
        nbformat.v4.new_code_cell("try:\n    import tensorflow as tfx\nexcept ImportError:\n    pass"),
        nbformat.v4.new_markdown_cell("import torch"),
    ])
    assert global_aliases(nb) == {"tf", "keras", "layers", "tfx"}
