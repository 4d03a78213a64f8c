"""Concept extractors: read a world's concept values from an image.

Three implementations behind one interface: a small CNN regressor per world
(trained on rendered images, weights shipped), the world's geometric measurer,
and a vision-language model through the Ollama or OpenAI-compatible backend
asked for the values as JSON (the paper's zero-shot route).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import torch
from torch import nn

from fmcgm.vision.model import WEIGHTS_DIR
from fmcgm.vision.render import RenderFailure


class GeometricExtractor:
    """The world's geometric measurer as an extractor (the fallback when no CNN weights are shipped)."""

    def __init__(self, world):
        self.world = world

    def extract(self, image: np.ndarray) -> dict[str, float]:
        return self.world.measure(image)


class _Net(nn.Module):
    def __init__(self, n_out: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.SiLU(), nn.Conv2d(32, 32, 3, padding=1, stride=2), nn.SiLU(),
            nn.Conv2d(32, 64, 3, padding=1), nn.SiLU(), nn.Conv2d(64, 64, 3, padding=1, stride=2), nn.SiLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.SiLU(), nn.Flatten(), nn.Linear(64 * 8 * 8, 128), nn.SiLU(),
            nn.Linear(128, n_out))

    def forward(self, x):
        return self.body(x)


class CNNExtractor:
    """Normalised regression of every concept from a 32×32 image."""

    def __init__(self, world, net: _Net | None = None):
        self.world = world
        self.net = (net or _Net(len(world.names))).eval()
        self.lows = np.array([c.low for c in world.concepts])
        self.spans = np.array([c.span for c in world.concepts])

    def extract(self, image: np.ndarray) -> dict[str, float]:
        from fmcgm.vision.model import to_tensor

        with torch.no_grad():
            z = self.net(to_tensor(image)).numpy()[0]
        return {n: float(self.lows[i] + z[i] * self.spans[i]) for i, n in enumerate(self.world.names)}

    def save(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        torch.save({"world": self.world.name, "state": self.net.state_dict()}, path)

    @classmethod
    def load(cls, world, path: str | Path | None = None) -> CNNExtractor:
        p = Path(path or WEIGHTS_DIR / f"{world.name}_extractor.pt")
        if not p.is_file():
            raise RenderFailure(f"no extractor weights at {p}", f"train them with `fmcgm train-extractor {world.name}`")
        blob = torch.load(p, map_location="cpu", weights_only=False)
        net = _Net(len(world.names))
        net.load_state_dict(blob["state"])
        return cls(world, net)


def train_extractor(world_name: str, steps: int = 1500, batch: int = 128, seed: int = 0, n_images: int = 20000,
                    out: str | Path | None = None, log=print) -> tuple[Path, dict[str, float]]:
    """Train the CNN extractor; returns the weights path and the held-out error per concept (% of range)."""
    from fmcgm.vision.model import to_tensor
    from fmcgm.vision.train import render_dataset

    torch.manual_seed(seed)
    world, images, table = render_dataset(world_name, n_images, seed + 101)
    lows = np.array([c.low for c in world.concepts], dtype=np.float32)
    spans = np.array([c.span for c in world.concepts], dtype=np.float32)
    x_all = to_tensor(images)
    y_all = torch.from_numpy((table - lows) / spans)
    n_val = 1000
    net = _Net(len(world.names))
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-4)
    g = torch.Generator().manual_seed(seed)
    for step in range(steps):
        idx = torch.randint(n_val, len(x_all), (batch,), generator=g)
        loss = nn.functional.smooth_l1_loss(net(x_all[idx]), y_all[idx], beta=0.02)
        opt.zero_grad()
        loss.backward()
        opt.step()
        for pg in opt.param_groups:
            pg["lr"] = 2e-3 * 0.5 * (1 + np.cos(np.pi * step / steps))
        if (step + 1) % 250 == 0:
            log(f"extractor {world_name} step {step + 1}: loss {float(loss.detach()):.5f}")
    net.eval()
    with torch.no_grad():
        pred = net(x_all[:n_val]).numpy()
    err = np.abs(pred - y_all[:n_val].numpy()).mean(0) * 100
    ext = CNNExtractor(world, net)
    path = Path(out or WEIGHTS_DIR / f"{world_name}_extractor.pt")
    ext.save(path)
    return path, {n: float(e) for n, e in zip(world.names, err, strict=True)}


class VLMExtractor:
    """Ask a vision-language model (Ollama or OpenAI-compatible) for the concept values as JSON."""

    def __init__(self, world, chat_model):
        self.world, self.model = world, chat_model

    def prompt(self) -> str:
        from prompts import load

        spec = "\n".join(f"- {c.name}: {c.description}, in {c.unit}, between {c.low:g} and {c.high:g}"
                         for c in self.world.concepts)
        return load("extract_concepts").format(world=self.world.name, concepts=spec)

    def extract(self, image: np.ndarray) -> dict[str, float]:
        from langchain_core.messages import HumanMessage

        msg = HumanMessage(content=[{"type": "text", "text": self.prompt()},
                                    {"type": "image_url", "image_url": {"url": image_to_data_url(image)}}])
        text = str(self.model.invoke([msg]).content)
        from fmcgm.jsonscan import json_objects  # the same scanner the agent uses (never eval)

        for obj in json_objects(text):
            if isinstance(obj, dict):
                vals = {}
                for c in self.world.concepts:
                    v = obj.get(c.name)
                    if isinstance(v, (int, float)):
                        vals[c.name] = float(np.clip(v, c.low, c.high))
                if vals:
                    return vals
        raise RenderFailure(f"the vision model's reply has no concept values: {text[:200]!r}",
                         "use a model that can read images, or the CNN extractor")


def image_to_data_url(image: np.ndarray) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()

