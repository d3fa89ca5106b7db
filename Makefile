# Two commands for learners and instructors (see README):
#   make lab    set everything up in .venv (first time only) and open the course in JupyterLab
#   make test   run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n 2

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
	$(BIN)/jupyter lab notebooks/

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) release autograded feedback gradebook.db artifacts
