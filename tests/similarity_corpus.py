"""A class of week 3 logistic-regression submissions for the similarity report's tests.

Four learners write the six exercises independently, in four styles a class really shows (the
course's reference idiom, the style of the original Deep Learning Specialization notebooks, a
second author of that same style, and explicit loops / ``einsum``); ``copier`` hands in
``original``'s answers with every name changed, comments added, two independent lines swapped and
the two functions of one cell in the other order; ``blank_*`` hand in the released notebook
untouched; the ``sigmoid_only_*`` learners wrote nothing but the same one-line ``sigmoid``.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import nbformat

from autograder.authoring.starter import starter_source
from autograder.config import CODE_STUB
from autograder.contract.cells import grade_id, is_solution
from conftest import NOTEBOOKS

SOURCE = NOTEBOOKS / "week3" / "04_assignment_logistic_regression.ipynb"
OTHER = NOTEBOOKS / "week3" / "06_assignment_planar_data.ipynb"
ASSIGNMENT = "week3"

ORIGINAL = {
    "sigmoid": "return 1 / (1 + np.exp(-z))",
    "initialize_zeros": "w = np.zeros((n,))\nb = 0.0\nreturn w, b",
    "propagate": """\
m = X.shape[0]
z = np.dot(X, w) + b
A = sigmoid(z)
cost = -(1 / m) * np.sum(y * np.log(A) + (1 - y) * np.log(1 - A))
dw = (1 / m) * np.dot(X.T, (A - y))
db = (1 / m) * np.sum(A - y)
grads = {"dw": dw, "db": float(db)}
return grads, float(cost)""",
    "optimize": """\
costs = []
for it in range(num_iterations):
    grads, cost = propagate(w, b, X, y)
    dw = grads["dw"]
    db = grads["db"]
    w = w - learning_rate * dw
    b = b - learning_rate * db
    if it % 100 == 0:
        costs.append(cost)
        if print_cost:
            print("Cost after iteration %i: %f" % (it, cost))
params = {"w": w, "b": b}
grads = {"dw": dw, "db": db}
return params, grads, costs""",
    "predict": """\
m = X.shape[0]
Y_prediction = np.zeros(m)
A = sigmoid(np.dot(X, w) + b)
for i in range(A.shape[0]):
    Y_prediction[i] = threshold(A[i])
return Y_prediction""",
    "model": """\
w, b = initialize_zeros(X_train.shape[1])
parameters, grads, costs = optimize(w, b, X_train, y_train, num_iterations, learning_rate)
w = parameters["w"]
b = parameters["b"]
Y_prediction_test = predict(w, b, X_test)
Y_prediction_train = predict(w, b, X_train)
train_acc = 1 - np.mean(np.abs(Y_prediction_train - y_train))
test_acc = 1 - np.mean(np.abs(Y_prediction_test - y_test))
d = {"costs": costs, "w": w, "b": b,
     "train_accuracy": float(train_acc), "test_accuracy": float(test_acc)}
return d""",
}
#: Defined above ``predict`` in the original's cell (the copier puts it below).
ORIGINAL_HELPER = """\
def threshold(p, cut=0.5):
    if p > cut:
        return 1.0
    return 0.0
"""

COPIER = {
    "sigmoid": "return 1 / (1 + np.exp(-z))",
    "initialize_zeros": "weights = np.zeros((n,))\nbias = 0.0\nreturn weights, bias",
    "propagate": """\
n_examples = X.shape[0]  # how many rows
lin = np.dot(X, w) + b
probs = sigmoid(lin)
# cross-entropy
loss = -(1 / n_examples) * np.sum(y * np.log(probs) + (1 - y) * np.log(1 - probs))
grad_b = (1 / n_examples) * np.sum(probs - y)
grad_w = (1 / n_examples) * np.dot(X.T, (probs - y))
out = {"dw": grad_w, "db": float(grad_b)}
return out, float(loss)""",
    "optimize": """\
history = []
for step in range(num_iterations):
    g, c = propagate(w, b, X, y)   # forward and backward
    gw = g["dw"]
    gb = g["db"]
    w = w - learning_rate * gw
    b = b - learning_rate * gb
    if step % 100 == 0:
        history.append(c)
        if print_cost:
            print("Cost after iteration %i: %f" % (step, c))
result = {"w": w, "b": b}
g = {"dw": gw, "db": gb}
return result, g, history""",
    "predict": """\
count = X.shape[0]
labels = np.zeros(count)
P = sigmoid(np.dot(X, w) + b)
for k in range(P.shape[0]):
    labels[k] = cutoff(P[k])  # 0 or 1
return labels""",
    "model": """\
w0, b0 = initialize_zeros(X_train.shape[1])
fitted, last, history = optimize(w0, b0, X_train, y_train, num_iterations, learning_rate)
w0 = fitted["w"]
b0 = fitted["b"]
pred_te = predict(w0, b0, X_test)
pred_tr = predict(w0, b0, X_train)
acc_tr = 1 - np.mean(np.abs(pred_tr - y_train))
acc_te = 1 - np.mean(np.abs(pred_te - y_test))
answer = {"costs": history, "w": w0, "b": b0,
          "train_accuracy": float(acc_tr), "test_accuracy": float(acc_te)}
return answer""",
}
COPIER_HELPER = """\
def cutoff(prob, level=0.5):
    # above the level is a one
    if prob > level:
        return 1.0
    return 0.0
"""

REFERENCE_STYLE = {
    "sigmoid": "z = np.asarray(z, dtype=float)\ne = np.exp(-np.abs(z))\n"
               "return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
    "initialize_zeros": "return np.zeros(n), 0.0",
    "propagate": """\
m = len(y)
a = sigmoid(X @ w + b)
cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
dz = a - y
return {"dw": X.T @ dz / m, "db": float(dz.mean())}, float(cost)""",
    "optimize": """\
costs = []
for i in range(num_iterations):
    grads, cost = propagate(w, b, X, y)
    if i % 100 == 0:
        costs.append(cost)
    w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
return {"w": w, "b": b}, grads, costs""",
    "predict": "return (sigmoid(X @ w + b) > 0.5).astype(float)",
    "model": """\
w, b = initialize_zeros(X_train.shape[1])
params, _, costs = optimize(w, b, X_train, y_train, num_iterations, learning_rate)
w, b = params["w"], params["b"]
acc = lambda X, y: float(np.mean(predict(w, b, X) == y))
return {"costs": costs, "w": w, "b": b,
        "train_accuracy": acc(X_train, y_train), "test_accuracy": acc(X_test, y_test)}""",
}

#: The original's style (the Specialization's notebooks), written by someone else.
SAME_STYLE = {
    "sigmoid": "s = 1 / (1 + np.exp(-z))\nreturn s",
    "initialize_zeros": "w = np.zeros(n)\nb = 0.\nreturn w, b",
    "propagate": """\
m = X.shape[0]
A = sigmoid(X @ w + b)
cost = (-1 / m) * np.sum(y * np.log(A) + (1 - y) * np.log(1 - A))
dw = X.T @ (A - y) / m
db = np.sum(A - y) / m
cost = float(np.squeeze(cost))
grads = {"dw": dw, "db": float(db)}
return grads, cost""",
    "optimize": """\
costs = []
for i in range(num_iterations):
    grads, cost = propagate(w, b, X, y)
    w -= learning_rate * grads["dw"]
    b -= learning_rate * grads["db"]
    if i % 100 == 0:
        costs.append(cost)
        if print_cost:
            print(f"Cost after iteration {i}: {cost}")
return {"w": w, "b": b}, grads, costs""",
    "predict": """\
A = sigmoid(X @ w + b)
Y_prediction = np.where(A > 0.5, 1.0, 0.0)
return Y_prediction""",
    "model": """\
w, b = initialize_zeros(X_train.shape[1])
params, grads, costs = optimize(w, b, X_train, y_train, num_iterations, learning_rate)
w, b = params["w"], params["b"]
train = predict(w, b, X_train)
test = predict(w, b, X_test)
return {"costs": costs, "w": w, "b": b,
        "train_accuracy": float((train == y_train).mean()),
        "test_accuracy": float((test == y_test).mean())}""",
}

LOOPS = {
    "sigmoid": "return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))",
    "initialize_zeros": "return np.array([0.0] * n), float(0)",
    "propagate": """\
m, n = X.shape
dw = np.zeros(n)
db = 0.0
total = 0.0
for i in range(m):
    p = sigmoid(np.einsum("j,j->", X[i], w) + b)
    total += y[i] * np.log(p) + (1 - y[i]) * np.log(1 - p)
    dw += (p - y[i]) * X[i]
    db += p - y[i]
return {"dw": dw / m, "db": float(db / m)}, float(-total / m)""",
    "optimize": """\
costs = []
i = 0
while i < num_iterations:
    g, c = propagate(w, b, X, y)
    if i % 100 == 0:
        costs += [c]
    w = w - learning_rate * g["dw"]
    b -= learning_rate * g["db"]
    i += 1
return dict(w=w, b=b), g, costs""",
    "predict": """\
out = []
for row in X:
    out.append(1.0 if sigmoid(row @ w + b) > 0.5 else 0.0)
return np.array(out)""",
    "model": """\
w0, b0 = initialize_zeros(X_train.shape[1])
p, _, costs = optimize(w0, b0, X_train, y_train, num_iterations, learning_rate)
right_train = sum(int(a == t) for a, t in zip(predict(p["w"], p["b"], X_train), y_train))
right_test = sum(int(a == t) for a, t in zip(predict(p["w"], p["b"], X_test), y_test))
return {"costs": costs, "w": p["w"], "b": p["b"],
        "train_accuracy": right_train / len(y_train), "test_accuracy": right_test / len(y_test)}""",
}

INDEPENDENT = {"original": ORIGINAL, "reference_style": REFERENCE_STYLE, "same_style": SAME_STYLE,
               "loops": LOOPS}


def answered(source: nbformat.NotebookNode, bodies: dict[str, str],
             before: dict[str, str] | None = None, after: dict[str, str] | None = None,
             ) -> nbformat.NotebookNode:
    """The released notebook with each solution cell's stub replaced by ``bodies[grade_id]``
    (indented into the function); ``before``/``after`` add functions around it in the cell."""
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    for cell in nb.cells:
        if is_solution(cell):
            text = starter_source(cell)
            gid = grade_id(cell)
            if gid in bodies:
                stub = textwrap.indent(CODE_STUB, "    ")
                text = text.replace(stub, textwrap.indent(bodies[gid], "    "))
                text = (before or {}).get(gid, "") + text + (after or {}).get(gid, "")
            cell.source = text
    return nb


def write_class(folder: Path) -> Path:
    """``folder/submitted/<student>/week3/`` for the whole corpus; returns ``submitted``."""
    source = nbformat.read(SOURCE, as_version=4)
    other = answered(nbformat.read(OTHER, as_version=4), {})
    notebooks = {name: answered(source, bodies,
                                before={"predict": ORIGINAL_HELPER + "\n\n"} if name == "original" else None)
                 for name, bodies in INDEPENDENT.items()}
    notebooks["copier"] = answered(source, COPIER, after={"predict": "\n\n" + COPIER_HELPER})
    for k in range(2):
        notebooks[f"blank_{k}"] = answered(source, {})
    for k in range(3):
        notebooks[f"sigmoid_only_{k}"] = answered(source, {"sigmoid": ORIGINAL["sigmoid"]})
    submitted = folder / "submitted"
    for student, nb in notebooks.items():
        week = submitted / student / ASSIGNMENT
        week.mkdir(parents=True)
        nbformat.write(nb, week / SOURCE.name)
        nbformat.write(other, week / OTHER.name)
    return submitted
