"""How long a slider change takes in the week-2, week-3 and week-5 widgets, against the 30 ms target.

Run: ``.venv/bin/python benchmarks/widgets.py [--repeat N]``. Headless, Agg backend. For each widget
it measures, side by side on the same machine and the same slider values:

- **update**: what a slider change really runs — set the slider (state update, lines' data, bar
  heights), redraw the moving artists over the cached background and encode the PNG that the
  ``ipywidgets.Image`` sends to the browser;
- **rebuild**: what a naive widget would do instead — build a new figure with the same content and
  encode it (the cost the update path avoids).

Prints median and 95th percentile in milliseconds per slider change. Timings on a shared machine
vary; compare the two columns rather than trusting one number.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

TARGET_MS = 30.0


def _ms(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples) * 1e3, p95 * 1e3


def _time(func, values, repeat):
    samples = []
    for i in range(repeat):
        value = values[i % len(values)]
        start = time.perf_counter()
        func(value)
        samples.append(time.perf_counter() - start)
    return samples


def _rebuild_png(build) -> bytes:
    """A new figure, drawn in full and encoded exactly like the widgets' frames (fair comparison)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig = build()
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def bench_relu(repeat: int):
    from matplotlib.figure import Figure

    from course_utils.plots.week2.relu_sliders import plot_relu_lab
    from course_utils.widgets.relu import ReluSliders

    widget = ReluSliders()
    slider = widget.sliders["w1"]
    values = [round(-4 + 0.1 * k, 1) for k in range(81)]

    def update(value):
        slider.value = value

    def rebuild(value):
        widget.state.set(w1=value)

        def build():
            fig = Figure(figsize=(9.0, 3.4), dpi=90, layout="constrained")
            plot_relu_lab(widget.state.x, widget.state.target, widget.state.units(),
                          axes=fig.subplots(1, 2, sharey=True))
            return fig

        _rebuild_png(build)

    return _time(update, values, repeat), _time(rebuild, values, repeat)


def bench_softmax(repeat: int):
    from matplotlib.figure import Figure

    from course_utils.plots.week2.softmax import plot_softmax_bars
    from course_utils.widgets.softmax import SoftmaxSliders

    widget = SoftmaxSliders()
    slider = widget.sliders[0]
    values = [round(-10 + 0.1 * k, 1) for k in range(201)]

    def update(value):
        slider.value = value

    def rebuild(value):
        widget.state.set(0, value)

        def build():
            fig = Figure(figsize=(8.5, 3.2), dpi=90, layout="constrained")
            plot_softmax_bars(widget.state.z, widget.state.probabilities(), axes=fig.subplots(1, 2))
            return fig

        _rebuild_png(build)

    return _time(update, values, repeat), _time(rebuild, values, repeat)


def bench_gradient_descent(repeat: int):
    from matplotlib.figure import Figure

    from course_utils.plots.week3.gradient_descent import plot_gd_lab
    from course_utils.widgets.gradient_descent import GradientDescentSliders

    widget = GradientDescentSliders()
    slider = widget.alpha_slider
    values = [10 ** (-3 + 0.01 * k) for k in range(301)]  # the slider's log-scale positions

    def update(value):
        slider.value = value

    def rebuild(value):
        widget.state.set(alpha=value)

        def build():
            fig = Figure(figsize=(10.0, 3.6), dpi=90, layout="constrained")
            plot_gd_lab(widget.state.cost, widget.state.path(), widget.state.costs(),
                        axes=fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]}))
            return fig

        _rebuild_png(build)

    return _time(update, values, repeat), _time(rebuild, values, repeat)


def bench_diagnosis(repeat: int):
    import numpy as np
    from matplotlib.figure import Figure

    from course_utils.plots.week5.bias_variance import plot_diagnosis_lab
    from course_utils.widgets.diagnosis import DiagnosisLab, DiagnosisSliders

    # The lesson's data (week 5, lesson 2): 30 training and 200 cross-validation points.
    rng = np.random.default_rng(2)
    x, x_cv = rng.uniform(-1, 1, 30), rng.uniform(-1, 1, 200)
    y = np.sin(1.5 * np.pi * x) + 0.3 * rng.standard_normal(30)
    y_cv = np.sin(1.5 * np.pi * x_cv) + 0.3 * rng.standard_normal(200)
    widget = DiagnosisSliders(DiagnosisLab(x, y, x_cv, y_cv, 0.045, degree=12))
    slider = widget.degree_slider
    values = [*range(1, 13), *range(11, 1, -1)]  # back and forth: every value changes the slider

    def update(value):
        slider.value = value

    def rebuild(value):
        state = widget.state
        state.set(degree=value)

        def build():
            fig = Figure(figsize=(10.0, 3.6), dpi=90, layout="constrained")
            plot_diagnosis_lab(state.x_train, state.y_train, state.x_cv, state.y_cv, state.grid,
                               state.curve, (state.baseline, state.j_train, state.j_cv),
                               tolerance=state.tolerance,
                               axes=fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]}))
            return fig

        _rebuild_png(build)

    return _time(update, values, repeat), _time(rebuild, values, repeat)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60, help="slider changes per measurement")
    args = parser.parse_args(argv)

    from course_utils.plots import use_course_style

    use_course_style()
    rows = []
    for name, bench in [("ReLU sliders", bench_relu), ("softmax sliders", bench_softmax),
                        ("learning-rate slider", bench_gradient_descent),
                        ("diagnosis lab", bench_diagnosis)]:
        update, rebuild = bench(args.repeat)
        (u_med, u_p95), (r_med, r_p95) = _ms(update), _ms(rebuild)
        verdict = "meets" if u_p95 <= TARGET_MS else ("median meets" if u_med <= TARGET_MS else "MISSES")
        rows.append((name, u_med, u_p95, r_med, r_p95, r_med / u_med, verdict))

    print(f"Slider change → redrawn PNG, {args.repeat} changes each (target ≤ {TARGET_MS:.0f} ms)\n")
    print(f"| widget | update median ms | update p95 ms | rebuild median ms | rebuild p95 ms "
          f"| rebuild / update | {TARGET_MS:.0f} ms target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, u_med, u_p95, r_med, r_p95, ratio, verdict in rows:
        print(f"| {name} | {u_med:.1f} | {u_p95:.1f} | {r_med:.1f} | {r_p95:.1f} | {ratio:.1f}× "
              f"| {verdict} |")


if __name__ == "__main__":
    main()
