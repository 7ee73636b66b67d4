"""Install the runtime dependencies listed in pyproject.toml, without the project itself.

The Dockerfile runs this in a layer of its own, so the (slow) dependency layer is rebuilt only
when pyproject.toml changes; tests/test_docker.py runs the same steps in a fresh virtualenv.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
subprocess.run([sys.executable, "-m", "pip", "install", *project["dependencies"]], check=True)
