# Two commands for learners and instructors (see README):
#   make lab    set everything up in .venv (first time only) and open the course in JupyterLab
#   make test   run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n 2
# Extra JupyterLab options for `make lab`, e.g. make lab LAB_ARGS="--port=8890 --ip=0.0.0.0"
LAB_ARGS ?=
# Added automatically: --allow-root when run as root (a container; JupyterLab refuses to start as
# root without it) and --no-browser when there is no display to open one on (no DISPLAY or
# WAYLAND_DISPLAY, and not macOS): JupyterLab then prints the address to open instead.
LAB_AUTO_ARGS = $(if $(filter 0,$(shell id -u)),--allow-root) \
	$(if $(DISPLAY)$(WAYLAND_DISPLAY)$(filter Darwin,$(shell uname -s)),,--no-browser)

# TensorFlow's C++ start-up chatter stays out of notebook outputs and test logs.
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: setup lab test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m course_utils.jupyter_config
	touch $@

lab: setup
	$(strip $(BIN)/jupyter lab $(LAB_AUTO_ARGS) $(LAB_ARGS) notebooks/)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) release autograded feedback gradebook.db artifacts
