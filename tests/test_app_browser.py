"""End to end in a real headless browser: Debian's chromium driven by playwright against `fmcgm serve`.

Screenshots go to the test's output folder (printed); with FMCGM_DOCS_SCREENSHOTS=1 the README's
small copies in docs/ are refreshed too.
"""

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright
from test_agent import Q
from typer.testing import CliRunner

from fmcgm.cli import app as cli

DOCS = Path(__file__).resolve().parents[1] / "docs"
LONG = 300_000  # ms: a diffusion render on a busy 2-core machine


@pytest.fixture(scope="module")
def browser():
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed: run scripts/setup.sh (it installs it with apt-get)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"screenshots in {folder}")

    def save(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000  # a rendered page, not a blank one
        if os.environ.get("FMCGM_DOCS_SCREENSHOTS") == "1":
            im = Image.open(path).convert("RGB")
            im.thumbnail((960, 1400))
            DOCS.mkdir(exist_ok=True)
            im.quantize(colors=96).save(DOCS / f"app_{name}.png", optimize=True)
        return path

    return save


@pytest.fixture(scope="module")
def page(browser, app_server):
    ctx = browser.new_context(viewport={"width": 1300, "height": 950})
    pg = ctx.new_page()
    pg.goto(app_server.url)
    yield pg
    ctx.close()


def _thread_id(page) -> str:
    text = page.locator("#thread-id").inner_text()
    m = re.search(r"[0-9a-f]{12}", text)
    assert m, text
    return m.group(0)


def _loaded(page, selector: str, timeout: int = 30_000) -> int:
    img = page.locator(f"{selector} img").first
    expect(img).to_be_visible(timeout=timeout)
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle(), timeout=timeout)
    return img.evaluate("el => el.naturalWidth")


def test_example_shows_answer_steps_and_graph(page, shots):
    page.get_by_role("button", name="Front-door (hidden confounder)").click()
    expect(page.get_by_text("Answer: Yes", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("0.1680", exact=True)).to_be_visible()
    expect(page.get_by_text("tool estimate_effect").first).to_be_visible()  # a collapsible step
    expect(page.get_by_text("critique round 1: approved").first).to_be_visible()
    assert _loaded(page, "#graph-picture") >= 300
    shots(page, "chat")


def test_pendulum_example_shows_the_image_pair(page):
    page.get_by_role("button", name="New conversation").click()
    page.get_by_role("button", name="Pendulum image").click()
    expect(page.get_by_text("Counterfactual image rendered")).to_be_visible(timeout=LONG)
    for sel in ("#img-factual", "#img-counterfactual", "#img-mask"):
        assert _loaded(page, sel) >= 256  # large enough to see, not 32 px
    assert _loaded(page, "#graph-picture") >= 300


def test_trace_tab_steps_through_the_run(page, shots, app_server):
    thread = _thread_id(page)
    CliRunner().invoke(cli, ["ask", "--thread", "from-the-cli", "--trace-db", str(app_server.trace_db), Q])
    page.get_by_role("tab", name="Trace").click()
    table = page.locator("#trace-threads")
    expect(table).to_contain_text(thread, timeout=30_000)
    expect(table).to_contain_text("from-the-cli")  # a CLI run shows up here
    steps = page.locator("#trace-steps")
    expect(steps).to_contain_text("tool render_image", timeout=30_000)
    expect(steps).to_contain_text("graph committed")
    steps.get_by_text("tool render_image").click()  # pick a step in the table
    detail = page.locator("#trace-step-detail")
    expect(detail).to_contain_text("tool render_image", timeout=30_000)
    expect(detail).to_contain_text("side_by_side")  # the tool's result
    page.get_by_role("button", name="◀ previous step").click()
    expect(detail).to_contain_text("graph committed", timeout=30_000)  # the step before the render
    assert _loaded(page, "#trace-graph") >= 300
    expect(page.locator("#trace-download")).to_be_visible()
    shots(page, "trace")


def test_upload_feeds_the_next_visual_question(page, shots, app_server, tmp_path):
    from agent.graph import build_graph
    from agent.traces import open_store, show_thread
    from fmcgm.worlds import get_world

    world = get_world("waterflow")
    mine = tmp_path / "my_scene.png"
    Image.fromarray(world.render(world.sample(np.random.default_rng(3)), 96)).save(mine)
    bogus = tmp_path / "notes.png"
    bogus.write_text("not an image")
    page.get_by_role("tab", name="Images").click()
    page.locator("#upload input[type=file]").set_input_files(str(bogus))
    expect(page.locator("#upload-status")).to_contain_text("not a readable image", timeout=30_000)
    page.locator("#upload input[type=file]").set_input_files(str(mine))
    expect(page.locator("#upload-status")).to_contain_text("Image accepted", timeout=30_000)
    page.get_by_role("tab", name="Chat").click()
    page.get_by_role("button", name="New conversation").click()
    expect(page.get_by_text("Counterfactual image rendered")).to_have_count(0)
    page.get_by_role("button", name="Water-flow image").click()
    expect(page.get_by_text("Counterfactual image rendered")).to_be_visible(timeout=LONG)
    page.wait_for_timeout(500)
    page.get_by_role("tab", name="Images").click()
    assert _loaded(page, "#img-side-by-side") >= 256
    shots(page, "images")
    rec = show_thread(build_graph(checkpointer=open_store(app_server.trace_db)), _thread_id(page))
    render = [s for s in rec["steps"] if s["tool"] == "render_image"][-1]
    assert "upload_" in render["args"]["image"] and render["result"]["ok"]


def test_settings_test_connection_says_what_is_wrong(page, shots):
    page.get_by_role("tab", name="Settings").click()
    page.get_by_label("backend").click()
    page.get_by_role("option", name="ollama").click()
    page.get_by_label("model", exact=True).fill("qwen2.5")
    page.get_by_label("base url").fill("http://127.0.0.1:9")  # nothing listens on the discard port
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#settings-status")).to_contain_text("Nothing answers at http://127.0.0.1:9", timeout=30_000)
    shots(page, "settings")


def test_errors_are_messages_and_tabs_get_their_own_threads(browser, app_server, page):
    other = browser.new_page()
    other.goto(app_server.url)
    box = other.locator("#question textarea")
    box.fill("What about the weather tomorrow?")
    box.press("Enter")
    expect(other.get_by_text("⚠ not computed").first).to_be_visible(timeout=60_000)
    box.fill(Q)
    box.press("Enter")
    expect(other.get_by_text("Answer: Yes", exact=True)).to_be_visible(timeout=60_000)  # still serving
    assert _thread_id(other) != _thread_id(page)
    other.close()
