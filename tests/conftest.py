import json
import os
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "cladder" / "dev.jsonl"


@pytest.fixture(scope="session")
def dev_rows():
    if not DEV.is_file():
        if os.environ.get("CI"):  # in CI the regression must run: a missing file is a failure, never a silent skip
            pytest.fail(f"CLadder dev slice not found at {DEV}")
        pytest.skip(f"CLadder dev slice not found at {DEV}")
    return [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """`fmcgm serve` started once on a free loopback port, with its own trace store and output folder."""
    from app_server import start_server

    with start_server(tmp_path_factory.mktemp("app")) as server:
        yield server
