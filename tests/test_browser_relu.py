"""The ReLU slider widget in a real browser: JupyterLab 4 + headless Chromium (Debian's), via playwright.

What it proves, beyond the headless tests: the widget renders in JupyterLab without ipympl (no
"Error displaying widget"), and moving a slider with the keyboard and the mouse changes the
rendered figure. Screenshots are saved to ``artifacts/browser/`` for people to look at.

Chromium is a machine dependency (``apt-get install chromium``; ``.ci/run`` installs it). When it is
missing this test fails with that instruction instead of skipping: a skipped browser test would
let a broken widget through CI unnoticed.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
NOTEBOOK = NOTEBOOKS / "week2" / "02_relu_sliders.ipynb"
# The other widgets get a shorter real-browser check of the same kind.
OTHER_NOTEBOOKS = [NOTEBOOKS / "week2" / "03_softmax.ipynb", NOTEBOOKS / "week2" / "06_backprop.ipynb",
                   NOTEBOOKS / "week3" / "02_gradient_descent.ipynb",
                   NOTEBOOKS / "week5" / "02_bias_variance.ipynb",
                   NOTEBOOKS / "week1" / "00_what_is_a_neural_network.ipynb"]
ARTIFACTS = ROOT / "artifacts" / "browser"
FIGURE = "img.relu-lab-figure"
READOUT = ".relu-lab .widget-html"


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # reported by the test itself: playwright is a dev dependency
    PlaywrightTimeout = TimeoutError


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"jupyter lab did not answer {url} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free localhost port, serving copies of the widget notebooks."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the real-browser widget test needs it. "
            "Install it with `apt-get install chromium` (.ci/run does this).",
            pytrace=False,
        )
    root = tmp_path_factory.mktemp("lab")
    logs = tmp_path_factory.mktemp("lab_logs")
    for path in [NOTEBOOK, *OTHER_NOTEBOOKS]:
        shutil.copy(path, root / path.name)
    # A private, empty settings folder (no saved workspace, none of the user's settings): the
    # "get Jupyter news?" toast stays away only by the environment's overrides.json, which
    # `make setup` writes for `make lab` too (asserted in notebook_page).
    settings = root / ".settings"
    settings.mkdir()
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"))
    log = open(logs / "jupyter.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={token}", proc)
        yield {"base": base, "token": token, "log": logs / "jupyter.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def _changed_fraction(a: bytes, b: bytes) -> float:
    pa, pb = _pixels(a), _pixels(b)
    if pa.shape != pb.shape:
        return 1.0
    return float(np.mean(np.abs(pa - pb).sum(axis=-1) > 30))


@pytest.fixture(scope="module")
def chromium(lab):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("failure_*"):  # from an earlier failed run
        stale.unlink()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def notebook_page(chromium, lab, name: str):
    """Open ``name`` in JupyterLab, run all cells (menu Run → Run All Cells) and yield the page.

    On failure the page, the browser console and the server log are saved to ``artifacts/browser/``.
    """
    page = chromium.new_page(viewport={"width": 1280, "height": 1000})
    console = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    stem = Path(name).stem
    try:
        # ?reset: a fresh workspace, so that only this notebook is open (not the earlier tests' tabs).
        page.goto(f"{lab['base']}/lab/tree/{name}?reset&token={lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        assert page.locator(".jp-NotebookPanel").count() == 1
        _run_all_cells(page)
        # Widget events reach the kernel only once it is idle: wait until every cell has run.
        page.wait_for_function(
            # A collapsed worked answer (source_hidden) runs but shows an empty prompt beside its
            # placeholder: only the cells whose input is shown count.
            "() => { const p = [...document.querySelectorAll('.jp-CodeCell')]"
            ".filter(c => !c.querySelector('.jp-InputPlaceholder'))"
            ".map(c => c.querySelector('.jp-InputPrompt'));"
            " return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }",
            timeout=180_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        yield page
        text = page.locator(".jp-NotebookPanel").inner_text()
        assert "Error displaying widget" not in text
        assert "Jupyter news" not in page.locator("body").inner_text(), "the news toast is shown"
        assert "Traceback" not in text, "a cell raised an error"
    except BaseException:
        page.screenshot(path=str(ARTIFACTS / f"failure_{stem}_page.png"))
        (ARTIFACTS / f"failure_{stem}_console.log").write_text("\n".join(console))
        shutil.copy(lab["log"], ARTIFACTS / f"failure_{stem}_jupyter.log")
        raise
    finally:
        page.close()


def _run_all_cells(page, attempts: int = 3) -> None:
    """Menu Run → Run All Cells; again if the first code cell has not started within 30 s (a click
    that lands while the new kernel is still connecting can be lost)."""
    first_prompt = "document.querySelector('.jp-CodeCell .jp-InputPrompt').textContent"
    for attempt in range(attempts):
        page.locator(".jp-NotebookPanel .jp-Cell").first.click()  # the notebook has the focus
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(f"() => /\\[(\\*|\\d+)\\]/.test({first_prompt})", timeout=30_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _wait_for_image(page, selector: str):
    image = page.locator(selector).first
    image.wait_for(state="attached", timeout=120_000)
    page.wait_for_function(
        f"() => {{ const i = document.querySelector('{selector}'); "
        "return i && i.complete && i.naturalWidth > 0; }", timeout=60_000)
    image.scroll_into_view_if_needed()
    return image


def _wait_for_readout(page, scope: str, value: str):
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{scope} .widget-readout')]"
        f".some(r => r.textContent.trim() === '{value}')", timeout=30_000)


def _wait_for_new_image(page, selector: str, old_src: str):
    """Wait until the kernel's new PNG has replaced ``old_src`` and is decoded."""
    page.wait_for_function(
        f"([old]) => {{ const i = document.querySelector('{selector}');"
        " return i && i.src !== old && i.complete && i.naturalWidth > 0; }",
        arg=[old_src], timeout=30_000)
    page.wait_for_timeout(200)  # one more frame for the browser to paint it


def test_relu_sliders_render_and_respond_in_jupyterlab(lab, chromium):
    with notebook_page(chromium, lab, NOTEBOOK.name) as page:
        figure = _wait_for_image(page, FIGURE)
        readout = page.locator(READOUT).first
        assert "not matched" in readout.inner_text()
        before = figure.screenshot(path=str(ARTIFACTS / "relu_1_start.png"))
        src = figure.get_attribute("src")

        # Keyboard: focus w1's handle and press → ten times (10 × 0.1 = 1.0).
        sliders = page.locator(".relu-lab .widget-slider")
        assert sliders.count() == 4
        handle = sliders.nth(0).locator(".noUi-handle")
        handle.focus()
        for _ in range(10):
            handle.press("ArrowRight")
        _wait_for_readout(page, ".relu-lab", "1.0")
        _wait_for_new_image(page, FIGURE, src)
        src = figure.get_attribute("src")
        after_keys = figure.screenshot(path=str(ARTIFACTS / "relu_2_after_keyboard.png"))
        assert _changed_fraction(before, after_keys) > 0.002, "figure did not change after keys"

        # Mouse: drag w2's handle past the right end of its track (w2 = 4).
        sliders.nth(2).scroll_into_view_if_needed()
        box_handle = sliders.nth(2).locator(".noUi-handle").bounding_box()
        box_track = sliders.nth(2).locator(".noUi-target").bounding_box()
        start = (box_handle["x"] + box_handle["width"] / 2, box_handle["y"] + box_handle["height"] / 2)
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(box_track["x"] + box_track["width"] + 20, start[1], steps=12)
        page.mouse.up()
        _wait_for_readout(page, ".relu-lab", "4.0")
        _wait_for_new_image(page, FIGURE, src)
        src = figure.get_attribute("src")
        after_mouse = figure.screenshot(path=str(ARTIFACTS / "relu_3_after_mouse.png"))
        assert _changed_fraction(after_keys, after_mouse) > 0.002, "figure did not change after drag"

        # The "Show solution" button: the readout says the target is matched.
        page.locator(".relu-lab button", has_text="Show solution").click()
        page.wait_for_function(
            f"() => document.querySelector('{READOUT}').textContent.includes('Matched')",
            timeout=30_000)
        _wait_for_new_image(page, FIGURE, src)
        solved = figure.screenshot(path=str(ARTIFACTS / "relu_4_solution.png"))
        assert _changed_fraction(after_mouse, solved) > 0.002
        page.screenshot(path=str(ARTIFACTS / "relu_page.png"))


def test_softmax_sliders_respond_in_jupyterlab(lab, chromium):
    with notebook_page(chromium, lab, "03_softmax.ipynb") as page:
        figure = _wait_for_image(page, "img.softmax-lab-figure")
        readout = page.locator(".softmax-lab .widget-html").first
        page.wait_for_function(
            "() => document.querySelector('.softmax-lab .widget-html').textContent.includes('class 3')",
            timeout=30_000)
        before = figure.screenshot(path=str(ARTIFACTS / "softmax_1_start.png"))
        src = figure.get_attribute("src")
        handle = page.locator(".softmax-lab .widget-slider").nth(0).locator(".noUi-handle")
        handle.focus()
        for _ in range(50):  # z0: 1.0 → 6.0
            handle.press("ArrowRight")
        _wait_for_readout(page, ".softmax-lab", "6.0")
        _wait_for_new_image(page, "img.softmax-lab-figure", src)
        after = figure.screenshot(path=str(ARTIFACTS / "softmax_2_after_keyboard.png"))
        assert _changed_fraction(before, after) > 0.002, "bars did not move"
        assert "class 0" in readout.inner_text()


def test_backprop_quiz_answers_typed_in_jupyterlab(lab, chromium):
    with notebook_page(chromium, lab, "06_backprop.ipynb") as page:
        quiz = page.locator(".course-quiz").first
        quiz.wait_for(state="attached", timeout=120_000)
        quiz.scroll_into_view_if_needed()
        box = quiz.locator("input").first
        feedback = quiz.locator(".widget-html").first
        box.fill("21")
        box.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('.course-quiz .widget-html').textContent.includes('Not quite')",
            timeout=30_000)
        box.fill("2*11")
        quiz.locator("button", has_text="Check").first.click()
        page.wait_for_function(
            "() => document.querySelector('.course-quiz .widget-html').textContent.includes('Correct')",
            timeout=30_000)
        assert "22" in feedback.inner_text()
        quiz.screenshot(path=str(ARTIFACTS / "backprop_quiz.png"))


GD_FIGURE, GD_READOUT = "img.gd-lab-figure", ".gd-lab .widget-html"


def _wait_for_verdict(page, verdict: str) -> None:
    page.wait_for_function(
        f"() => document.querySelector('{GD_READOUT}').textContent.includes('{verdict}')",
        timeout=30_000)


def _press_alpha(page, figure, handle, presses: int, readout: str, verdict: str, shot: str) -> bytes:
    """Press → ``presses`` times on the α handle; wait for the slider's readout, the new figure and
    the verdict; return a screenshot of the figure (saved as ``shot``)."""
    src = figure.get_attribute("src")
    for _ in range(presses):
        handle.press("ArrowRight")
    _wait_for_readout(page, ".gd-lab", readout)
    _wait_for_new_image(page, GD_FIGURE, src)
    _wait_for_verdict(page, verdict)
    return figure.screenshot(path=str(ARTIFACTS / shot))


def test_learning_rate_slider_redraws_the_path_in_jupyterlab(lab, chromium):
    with notebook_page(chromium, lab, "02_gradient_descent.ipynb") as page:
        figure = _wait_for_image(page, GD_FIGURE)
        _wait_for_verdict(page, "too slow")  # α = 0.05 for 50 steps
        before = figure.screenshot(path=str(ARTIFACTS / "gd_1_start.png"))
        handle = page.locator(".gd-lab .widget-slider").nth(0).locator(".noUi-handle")
        handle.focus()
        # The α slider moves in powers of ten, 0.01 a key press: 30 presses take 0.05 to 0.1 ...
        converged = _press_alpha(page, figure, handle, 30, "0.100", "converges", "gd_2_converges.png")
        assert _changed_fraction(before, converged) > 0.002, "the path did not change"
        # ... and 33 more to 10^-0.67 ≈ 0.214 > 2/λ_max = 0.2: the path diverges.
        diverged = _press_alpha(page, figure, handle, 33, "0.214", "diverges", "gd_3_diverges.png")
        assert _changed_fraction(converged, diverged) > 0.002, "the path did not change"
        page.locator(".gd-lab").first.screenshot(path=str(ARTIFACTS / "gd_widget.png"))


DIAGNOSIS_FIGURE, DIAGNOSIS_READOUT = "img.diagnosis-lab-figure", ".diagnosis-lab .widget-html"


def _wait_for_diagnosis(page, verdict: str) -> None:
    """Wait until the readout ends with ``— verdict`` (one verdict contains another's words)."""
    page.wait_for_function(
        f"() => document.querySelector('{DIAGNOSIS_READOUT}').textContent.trim().endsWith('— {verdict}')",
        timeout=30_000)


def _press_diagnosis(page, figure, slider, key: str, presses: int, readout: str, verdict: str,
                     shot: str) -> bytes:
    """Press ``key`` ``presses`` times on one of the lab's slider handles; wait for the slider's
    readout, the new figure and the verdict; return a screenshot of the figure (saved as ``shot``)."""
    src = figure.get_attribute("src")
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(presses):
        handle.press(key)
    _wait_for_readout(page, ".diagnosis-lab", readout)
    _wait_for_new_image(page, DIAGNOSIS_FIGURE, src)
    _wait_for_diagnosis(page, verdict)
    return figure.screenshot(path=str(ARTIFACTS / shot))


def test_diagnosis_lab_sliders_change_the_figure_and_the_verdict_in_jupyterlab(lab, chromium):
    with notebook_page(chromium, lab, "02_bias_variance.ipynb") as page:
        figure = _wait_for_image(page, DIAGNOSIS_FIGURE)
        _wait_for_diagnosis(page, "high variance")  # degree 12, λ = 0
        before = figure.screenshot(path=str(ARTIFACTS / "diagnosis_1_start.png"))
        sliders = page.locator(".diagnosis-lab .widget-slider")
        assert sliders.count() == 2
        # λ: five presses → from 0 through 1e-4 … to 0.01: a good fit.
        regularised = _press_diagnosis(page, figure, sliders.nth(1), "ArrowRight", 5, "0.01",
                                       "good fit", "diagnosis_2_lambda.png")
        assert _changed_fraction(before, regularised) > 0.002, "the figure did not change"
        # degree: eleven presses ← from 12 to 1: a line, high bias.
        line = _press_diagnosis(page, figure, sliders.nth(0), "ArrowLeft", 11, "1", "high bias",
                                "diagnosis_3_degree.png")
        assert _changed_fraction(regularised, line) > 0.002, "the figure did not change"
        page.locator(".diagnosis-lab").first.screenshot(path=str(ARTIFACTS / "diagnosis_widget.png"))


CHOICE_FEEDBACK = ".course-choice-quiz .course-choice-feedback"


def _wait_for_choice_feedback(page, text: str) -> None:
    page.wait_for_function(
        f"() => document.querySelector('{CHOICE_FEEDBACK}').textContent.includes({text!r})",
        timeout=30_000)


def test_choice_quiz_explains_a_wrong_choice_then_accepts_the_right_one_in_jupyterlab(lab, chromium):
    with notebook_page(chromium, lab, "00_what_is_a_neural_network.ipynb") as page:
        quiz = page.locator(".course-choice-quiz").first
        quiz.wait_for(state="attached", timeout=120_000)
        first = quiz.locator(".widget-radio-box").first
        first.scroll_into_view_if_needed()
        check = quiz.locator("button", has_text="Check").first
        feedback = page.locator(CHOICE_FEEDBACK).first
        # A wrong choice: its own explanation, not only "wrong".
        first.locator("label", has_text="A programmer writes").click()
        check.click()
        _wait_for_choice_feedback(page, "Not quite")
        assert "nobody writes a hidden unit's formula" in feedback.inner_text()
        quiz.locator(".widget-vbox").first.screenshot(path=str(ARTIFACTS / "choice_quiz_1_wrong.png"))
        # Choosing again clears the old verdict; the right choice is confirmed and explained.
        first.locator("label", has_text="Training sets its weights").click()
        page.wait_for_function(
            f"() => document.querySelector('{CHOICE_FEEDBACK}').textContent.trim() === ''",
            timeout=30_000)
        check.click()
        _wait_for_choice_feedback(page, "Correct")
        assert "the hidden units are learned features" in feedback.inner_text()
        quiz.locator(".widget-vbox").first.screenshot(path=str(ARTIFACTS / "choice_quiz_2_right.png"))
        quiz.screenshot(path=str(ARTIFACTS / "choice_quiz.png"))
