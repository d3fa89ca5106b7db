# nbgrader reads this file when run in the repository; the settings live in autograder.config.
from autograder.config import configure

configure(get_config())  # noqa: F821 - get_config is provided by traitlets when loading config
