"""The ReLU slider widget in a real browser: JupyterLab 4 + headless Chromium (Debian's), via playwright.

What it proves, beyond the headless tests: the widget renders in JupyterLab without ipympl (no
"Error displaying widget"), and moving a slider with the keyboard and the mouse changes the
rendered figure. Screenshots are saved to ``artifacts/browser/`` for people to look at.

Chromium is a machine dependency (``apt-get install chromium``; ``.ci/run`` installs it). When it is
missing this test fails with that instruction instead of skipping: a skipped browser test would
let a broken widget through CI unnoticed.
"""

from __future__ import annotations

import io
import json
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
ARTIFACTS = ROOT / "artifacts" / "browser"
FIGURE = "img.relu-lab-figure"
READOUT = ".relu-lab .widget-html"


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
    """A JupyterLab server on a free localhost port, serving a copy of the ReLU notebook."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the real-browser widget test needs it. "
            "Install it with `apt-get install chromium` (.ci/run does this).",
            pytrace=False,
        )
    root = tmp_path_factory.mktemp("lab")
    logs = tmp_path_factory.mktemp("lab_logs")
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    # A private settings folder: no "get Jupyter news?" toast over the notebook, no saved workspace.
    settings = root / ".settings"
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
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


def test_relu_sliders_render_and_respond_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ("failure_page.png", "console.log", "jupyter.log"):  # from an earlier failed run
        (ARTIFACTS / stale).unlink(missing_ok=True)
    console = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
            page.goto(f"{lab['base']}/lab/tree/{NOTEBOOK.name}?token={lab['token']}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=90_000)

            # Run → Run All Cells, as a learner would.
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            figure = page.locator(FIGURE)
            figure.wait_for(state="attached", timeout=120_000)
            figure.scroll_into_view_if_needed()
            page.wait_for_function(
                f"() => {{ const i = document.querySelector('{FIGURE}'); "
                "return i && i.complete && i.naturalWidth > 0; }", timeout=30_000)
            readout = page.locator(READOUT).first
            assert "not matched" in readout.inner_text()
            before = figure.screenshot(path=str(ARTIFACTS / "relu_1_start.png"))

            # Keyboard: focus w1's handle and press → ten times (10 × 0.1 = 1.0).
            sliders = page.locator(".relu-lab .widget-slider")
            assert sliders.count() == 4
            handle = sliders.nth(0).locator(".noUi-handle")
            handle.focus()
            for _ in range(10):
                handle.press("ArrowRight")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.relu-lab .widget-readout')]"
                ".some(r => r.textContent.trim() === '1.0')", timeout=30_000)
            page.wait_for_timeout(1000)  # the kernel's new PNG reaches the page
            after_keys = figure.screenshot(path=str(ARTIFACTS / "relu_2_after_keyboard.png"))
            assert _changed_fraction(before, after_keys) > 0.002, "figure did not change after keys"

            # Mouse: drag w2's handle past the right end of its track (w2 = 4).
            sliders.nth(2).scroll_into_view_if_needed()
            track = sliders.nth(2).locator(".noUi-target")
            box_handle = sliders.nth(2).locator(".noUi-handle").bounding_box()
            box_track = track.bounding_box()
            start = (box_handle["x"] + box_handle["width"] / 2, box_handle["y"] + box_handle["height"] / 2)
            page.mouse.move(*start)
            page.mouse.down()
            page.mouse.move(box_track["x"] + box_track["width"] + 20, start[1], steps=12)
            page.mouse.up()
            page.wait_for_function(
                "() => [...document.querySelectorAll('.relu-lab .widget-readout')]"
                ".some(r => r.textContent.trim() === '4.0')", timeout=30_000)
            page.wait_for_timeout(1000)
            after_mouse = figure.screenshot(path=str(ARTIFACTS / "relu_3_after_mouse.png"))
            assert _changed_fraction(after_keys, after_mouse) > 0.002, "figure did not change after drag"

            # The "Show solution" button: the readout says the target is matched.
            page.locator(".relu-lab button", has_text="Show solution").click()
            page.wait_for_function(
                f"() => document.querySelector('{READOUT}').textContent.includes('Matched')",
                timeout=30_000)
            page.wait_for_timeout(1000)
            solved = figure.screenshot(path=str(ARTIFACTS / "relu_4_solution.png"))
            assert _changed_fraction(after_mouse, solved) > 0.002
            page.screenshot(path=str(ARTIFACTS / "relu_page.png"), full_page=False)

            text = page.locator(".jp-NotebookPanel").inner_text()
            assert "Error displaying widget" not in text
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'] "
                                ":text('Traceback')").count() == 0
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure_page.png"))
            (ARTIFACTS / "console.log").write_text("\n".join(console))
            shutil.copy(lab["log"], ARTIFACTS / "jupyter.log")
            raise
        finally:
            browser.close()
