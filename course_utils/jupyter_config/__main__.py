"""``python -m course_utils.jupyter_config [--learner]``: install the course's kernel and
JupyterLab settings into this environment (``--learner``: also hide nbgrader's instructor menus)."""

import argparse

from course_utils.jupyter_config import install, install_lab_settings

parser = argparse.ArgumentParser(prog="python -m course_utils.jupyter_config")
parser.add_argument("--learner", action="store_true",
                    help="the student edition: turn off nbgrader's JupyterLab extension")
args = parser.parse_args()
print(f"installed {install()}")
for path in install_lab_settings(learner=args.learner):
    print(f"installed {path}")
