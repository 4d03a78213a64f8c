"""mypy checks the bodies of untyped functions too (issue 19): the setting stays on."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_checks_untyped_defs():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["check_untyped_defs"] is True
    assert {"fmcgm", "agent", "tools"} <= set(config["packages"])
