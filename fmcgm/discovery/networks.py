"""Benchmark networks: the bnlearn BIF files shipped inside the installed pgmpy, sampled offline.

pgmpy's newer ``load_model`` fetches from the Hugging Face hub, which is unreachable here;
the gzipped BIF files in ``pgmpy/utils/example_models`` are read directly instead.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files

import pandas as pd

from fmcgm.discovery.table import DataError

BNLEARN = ("asia", "cancer", "earthquake", "sachs", "child", "insurance", "alarm")


def shipped() -> list[str]:
    """The bnlearn networks of :data:`BNLEARN` whose BIF file the installed pgmpy ships."""
    root = files("pgmpy") / "utils" / "example_models"
    return [n for n in BNLEARN if (root / f"{n}.bif.gz").is_file()]


@cache
def load_network(name: str):
    from pgmpy.readwrite import BIFReader

    path = files("pgmpy") / "utils" / "example_models" / f"{name}.bif.gz"
    if not path.is_file():
        raise DataError(f"the installed pgmpy does not ship the bnlearn network {name!r}",
                        "shipped: " + ", ".join(shipped()))
    return BIFReader(string=gzip.decompress(path.read_bytes()).decode("utf-8")).get_model()


def true_edges(name: str) -> list[tuple[str, str]]:
    return sorted((str(a), str(b)) for a, b in load_network(name).edges())


def sample(name: str, n: int, seed: int = 0) -> pd.DataFrame:
    """n forward samples of the network, each variable's states coded 0..k-1 in the network's state order."""
    from pgmpy.sampling import BayesianModelSampling

    model = load_network(name)
    df = BayesianModelSampling(model).forward_sample(size=n, seed=seed, show_progress=False)
    codes = {c: pd.Categorical(df[c], categories=model.states[c]).codes.astype(int) for c in sorted(df.columns)}
    return pd.DataFrame(codes)
