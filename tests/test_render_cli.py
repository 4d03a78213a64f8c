"""`fmcgm render`: bad input gives one clear line and exit code 2."""

import struct
import zlib

import pytest
from typer.testing import CliRunner

from fmcgm.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def out_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


def _png_header_only(path, width: int, height: int) -> None:
    """A PNG that declares width × height pixels but holds almost no data (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
                     + chunk(b"IEND", b""))


def run(*args):
    return runner.invoke(app, ["render", *args])


@pytest.mark.parametrize("steps", ["0", "-5", "100000"])
def test_steps_out_of_bounds(steps):
    r = run("--world", "pendulum", "--do", "light=left", "--oracle", "--steps", steps)
    assert r.exit_code == 2
    assert r.output.strip() == f"error: --steps must be between 1 and 200, got {steps} — 50 is the default"


def test_unknown_world_lists_the_worlds():
    r = run("--world", "mars", "--do", "light=left", "--oracle")
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert "unknown world 'mars'; worlds: pendulum, waterflow" in r.output


def test_decompression_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.png"
    _png_header_only(bomb, 60000, 60000)
    r = run("--world", "pendulum", "--do", "light=left", "--oracle", "--image", str(bomb))
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert "decompression bomb" in r.output and str(bomb.name) in r.output


def test_out_naming_an_existing_file(out_root):
    out_root.mkdir(parents=True)
    (out_root / "taken").write_text("x")
    r = run("--world", "pendulum", "--do", "light=left", "--oracle", "--out", "taken")
    assert r.exit_code == 2 and "is an existing file, not a folder" in r.output


def test_bad_value_and_bad_do():
    r = run("--world", "pendulum", "--do", "light=purple", "--oracle")
    assert r.exit_code == 2 and "cannot read 'purple' as a value of light_position" in r.output
    r = run("--world", "pendulum", "--do", "light", "--oracle")
    assert r.exit_code == 2 and "concept=value" in r.output


def test_a_checked_picture_exits_0_and_shows_the_check(out_root):
    r = run("--world", "pendulum", "--do", "light=far left", "--oracle")
    assert r.exit_code == 0, r.output
    assert "check 1" in r.output and "→ ok" in r.output and "side_by_side" in r.output


def test_a_user_image_shows_the_extracted_factual_values(tmp_path):
    import numpy as np
    from PIL import Image

    from fmcgm.worlds import get_world

    w = get_world("waterflow")
    f = w.sample(np.random.default_rng(2))
    p = tmp_path / "mine.png"
    Image.fromarray(w.render(f, 128)).save(p)
    r = run("--world", "waterflow", "--do", "ball=small", "--oracle", "--image", str(p), "--json")
    assert r.exit_code == 0, r.output
    import json

    d = json.loads(r.output)
    assert d["factual_source"] == "CNN concept extractor"
    assert any("read from" in n and "CNN concept extractor" in n for n in d["notes"])
    for c in w.concepts:
        assert abs(d["factual_values"][c.name] - f[c.name]) / c.span < 0.1, c.name


@pytest.mark.parametrize("args", [
    ("--do", "angle=10 km"), ("--do", "light=sideways"), ("--do", "angle=999"),
    ("--do", "light=left", "--image", "/nonexistent/picture.png")])
def test_a_refused_render_leaves_no_folder_behind(args, out_root):
    r = run("--world", "pendulum", *args, "--oracle", "--out", "refused_here")
    assert r.exit_code == 2, r.output
    assert not (out_root / "refused_here").exists()
