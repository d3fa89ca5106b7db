"""``python -m course_utils.jupyter_config``: install the course's kernel settings."""

from course_utils.jupyter_config import install

print(f"installed {install()}")
