"""One picture for every surface: `fmcgm render`, the chat answer and the app's image strip show the panels of
``fmcgm.vision.figures.counterfactual_figure`` — the values under each panel, the changed concepts marked, the
self-check's verdict on the picture."""

import json

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from agent.configuration import Settings
from fmcgm.app import web
from fmcgm.app.engine import Engine
from fmcgm.app.examples import APP_EXAMPLES
from fmcgm.cli import app as cli
from fmcgm.vision import figures
from fmcgm.worlds import get_world

CHAT = web.ChatView(*[f"chat.{n}" for n in ("chatbot", "graph", "images", "factual", "counterfactual", "mask",
                                            "side_by_side", "question", "session", "thread")])


def _colour_rows(img: np.ndarray, colour, top: int, tol: int = 60) -> set[int]:
    """Text lines (of figures.LINE pixels, from ``top``) holding pixels near ``colour``."""
    near = (np.abs(img[top:].astype(int) - np.array(colour)).max(-1) < tol)
    return {int(y) // figures.LINE for y in np.nonzero(near.any(1))[0]}


def _figure(ok: bool):
    w = get_world("pendulum")
    f = w.sample(np.random.default_rng(1))
    do = {"light_position": 60.0}
    cf = w.counterfactual(f, do)
    changed = ["light_position", "shadow_position", "shadow_length"]
    check = ({"ok": True, "objects": {"sun": 1, "ball": 1, "shadow": 1}, "problems": []} if ok else
             {"ok": False, "objects": {"sun": 1, "ball": 2, "shadow": 1},
              "problems": ["2 balls in the frame (a ghost)"]})
    fig = figures.counterfactual_figure(w, w.render(f, 32), w.render(cf, 32), None, f, cf, changed,
                                        {c: cf[c] for c in changed}, check, do)
    return w, f, cf, changed, fig


@pytest.mark.parametrize("ok", [True, False])
def test_the_figure_has_the_labels(ok):
    w, f, cf, changed, fig = _figure(ok)
    cap = fig.captions
    for c in w.concepts:  # every value, under its panel
        name = c.name.replace("_", " ")
        assert any(name in line and f"{f[c.name]:.3g}" in line for line in cap["factual"])
        line = next(line for line in cap["counterfactual"] if name in line)
        assert f"{cf[c.name]:.3g}" in line and line.startswith("*") == (c.name in changed)  # the changed ones marked
    assert cap["counterfactual"][-1] == ("check: ok (1 sun, 1 ball, 1 shadow)" if ok
                                         else "check: OFF: 2 balls in the frame (a ghost)")
    assert cap["mask"][1] == "do(light position = 60 °)"
    # drawn, not only listed: the changed lines in blue, the verdict in green (passed) or red (off), under the scene
    cf_img = fig.panels["counterfactual"]
    top = figures.PANEL + figures.LINE + 8
    rows = [line for line in cap["counterfactual"][1:]]
    blue = _colour_rows(cf_img, figures.CHANGED, top)
    assert blue == {i for i, line in enumerate(rows) if line.startswith("*")}
    verdict_rows = _colour_rows(cf_img, figures.PASSED if ok else figures.FAILED, top)
    assert min(verdict_rows) == len(rows) - 1
    assert bool(_colour_rows(cf_img[:figures.LINE + 6], figures.FAILED, 0)) == (not ok)  # the title turns red
    side = fig.panels["side_by_side"]
    assert side.shape[1] == 3 * figures.PANEL + 2 * 8 and side.shape[0] == max(p.shape[0] for p in
                                                                               list(fig.panels.values())[:3])


@pytest.fixture
def spy(monkeypatch):
    made = []
    real = figures.counterfactual_figure

    def recording(*a, **kw):
        made.append(real(*a, **kw))
        return made[-1]

    monkeypatch.setattr(figures, "counterfactual_figure", recording)
    return made


def _same(path: str, panel: np.ndarray) -> bool:
    return np.array_equal(np.asarray(Image.open(path).convert("RGB")), panel)


def test_the_cli_and_the_app_show_the_same_figure(spy, tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))
    r = CliRunner().invoke(cli, ["render", "--world", "waterflow", "--do", "ball=large", "--steps", "10", "--json"])
    assert r.exit_code == 0, r.output
    assert len(spy) == 1
    written = json.loads(r.stdout.strip().splitlines()[-1])["paths"]
    assert set(written) == {"factual", "counterfactual", "mask", "side_by_side"}
    for kind, path in written.items():
        assert _same(path, spy[0].panels[kind])

    cfg = web.AppConfig(Settings(trace_db=str(tmp_path / "t.sqlite")), tmp_path / "out")
    question = dict(APP_EXAMPLES)["Water-flow image"]
    *_, last = list(web.respond(web.Web(cfg, Engine(cfg.settings)), CHAT, question, [], {}, {}))
    assert len(spy) == 2  # the app's turn drew its pictures with the same function
    shown = {k: last[getattr(CHAT, k)] for k in ("factual", "counterfactual", "mask", "side_by_side")}
    for kind, path in shown.items():
        assert path and _same(path, spy[1].panels[kind]), kind
    answer = json.dumps(last[CHAT.chatbot][-1]["content"], default=str)  # the chat answer names the same picture
    assert "Counterfactual image rendered" in answer
