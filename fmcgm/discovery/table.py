"""Observation tables for discovery and estimation: CSV or Parquet, discrete or continuous columns.

A column is *discrete* when it holds few distinct numeric values (codes, booleans) and
*continuous* otherwise.  Discrete columns are recoded to 0..k-1 (the original labels are
kept) so that causal-learn's chi-square/G² tests and the count estimators can use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from fmcgm.errors import ErrorCode, FMCGMError

Kind = Literal["discrete", "continuous"]
MAX_LEVELS = 10  # more distinct numeric values than this: treat the column as continuous


class DataError(FMCGMError):
    code = ErrorCode.INVALID_DATA


@dataclass
class Table:
    """Named columns, each discrete (codes 0..k-1) or continuous (floats)."""

    columns: dict[str, np.ndarray]
    kinds: dict[str, Kind]
    labels: dict[str, list] = field(default_factory=dict)  # discrete code -> original value
    source: str = ""

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    @property
    def n(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    @property
    def all_discrete(self) -> bool:
        return all(k == "discrete" for k in self.kinds.values())

    @property
    def all_continuous(self) -> bool:
        return all(k == "continuous" for k in self.kinds.values())

    def matrix(self, names: list[str] | None = None) -> np.ndarray:
        names = names or self.names
        return np.column_stack([self.columns[c].astype(float) for c in names])

    def subset(self, rows: np.ndarray) -> Table:
        return Table({k: v[rows] for k, v in self.columns.items()}, dict(self.kinds), dict(self.labels), self.source)

    def sample(self, k: int, seed: int = 0) -> Table:
        """A random subsample of ``k`` rows in their original order (the same rows for the same seed, so tests
        that must see the same data do); the table itself when it has no more than ``k``."""
        if self.n <= k:
            return self
        return self.subset(np.sort(np.random.default_rng(seed).choice(self.n, k, replace=False)))


def from_frame(df: pd.DataFrame, source: str = "the table") -> Table:
    """A :class:`Table` from a data frame; raises :class:`DataError` naming the file and column."""
    if df.shape[1] < 2:
        raise DataError(f"{source} has {df.shape[1]} column(s)", "give at least two variables, one column each")
    if len(df) < 1:
        raise DataError(f"{source} has no data rows", "give a header row of variable names and one row per unit")
    names = [str(c).strip() for c in df.columns]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DataError(f"{source} repeats the column name(s) {', '.join(dup)}", "give every column its own name")
    cols: dict[str, np.ndarray] = {}
    kinds: dict[str, Kind] = {}
    labels: dict[str, list] = {}
    for name, col in zip(names, df.columns, strict=True):
        s = df[col]
        if s.isna().any():
            rows = [int(i) + 2 for i in np.flatnonzero(s.isna().to_numpy())[:3]]  # +2: header, 1-based
            raise DataError(f"{source}, line{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}: "
                            f"column {name!r} has a missing value", "give every row one value per column of the header")
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            raise DataError(f"{source} has non-numeric values in column {name!r}",
                            "code each variable as numbers (0/1 or category codes for discrete ones)")
        values = s.to_numpy()
        levels = pd.unique(values)
        if len(levels) > MAX_LEVELS:
            cols[name], kinds[name] = values.astype(float), "continuous"
            continue
        ordered = sorted(levels, key=lambda v: (str(type(v)), v))
        index = {v: i for i, v in enumerate(ordered)}
        cols[name] = np.array([index[v] for v in values], dtype=int)
        kinds[name], labels[name] = "discrete", [v.item() if hasattr(v, "item") else v for v in ordered]
    return Table(cols, kinds, labels, source)


def load_table(path: str | Path) -> Table:
    """Read a CSV or Parquet file of observations (header row of variable names)."""
    p = Path(path)
    if p.is_dir():
        raise DataError(f"data path {p} is a folder, not a file", "pass the path of a CSV or Parquet file to --data")
    if not p.is_file():
        raise DataError(f"data file {p} does not exist", "pass the path of an existing CSV or Parquet file to --data")
    try:
        if p.suffix.lower() in (".parquet", ".pq"):
            df = pd.read_parquet(p)
        else:
            df = pd.read_csv(p, skipinitialspace=True, encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"data file {p} is not UTF-8 text (undecodable byte at position {e.start})",
                        "save the CSV as UTF-8 text") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"data file {p} has no data rows", "give a header row of variable names and one row per unit") from None
    except PermissionError:
        raise DataError(f"data file {p} cannot be read (permission denied)", "make the file readable") from None
    except (ValueError, OSError, pd.errors.ParserError, ImportError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise DataError(f"cannot read {p}: {first}", "give a CSV (comma-separated, header row) or a Parquet file") from None
    return from_frame(df, f"data file {p}")
