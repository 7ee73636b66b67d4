"""Install the runtime dependencies listed in pyproject.toml, without the project itself,
in the exact versions of constraints.txt.

The Dockerfile runs this in a layer of its own, so the (slow) dependency layer is rebuilt only
when pyproject.toml changes; tests/test_docker.py runs the same steps in a fresh virtualenv.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
pip = [sys.executable, "-m", "pip", "install", "--constraint", "constraints.txt"]
subprocess.run([*pip, *project["dependencies"]], check=True)
