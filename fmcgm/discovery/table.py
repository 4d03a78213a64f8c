"""Observation tables for discovery and estimation: CSV or Parquet, discrete or continuous columns.

A column is *discrete* when it holds few distinct numeric values (codes, booleans) and
*continuous* otherwise.  Discrete columns are recoded to 0..k-1 (the original labels are
kept) so that causal-learn's chi-square/G² tests and the count estimators can use them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from fmcgm.errors import ErrorCode, FMCGMError

if TYPE_CHECKING:  # pandas is imported where a file is read (about 1 s of start-up otherwise)
    import pandas as pd

Kind = Literal["discrete", "continuous"]
MAX_LEVELS = 10  # more distinct numeric values than this: treat the column as continuous


class DataError(FMCGMError, code=ErrorCode.INVALID_DATA):
    """The attached data file cannot be used as given (names the file, column or value)."""


@dataclass
class Table:
    """Named columns, each discrete (codes 0..k-1) or continuous (floats)."""

    columns: dict[str, np.ndarray]
    kinds: dict[str, Kind]
    labels: dict[str, list] = field(default_factory=dict)  # discrete code -> original value
    source: str = ""
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # objects built once per table (testers)

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


def _plain(name: str) -> str:
    """A column name as a question reads it: case, ``_``/``-`` and spacing do not matter."""
    return re.sub(r"[_\-\s]+", " ", name.strip().lower())


def check_names(names: list[str], source: str) -> None:
    """Every column needs its own name, also as a question reads it (``Rain`` and ``rain`` cannot be told apart)."""
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DataError(f"{source} repeats the column name(s) {', '.join(repr(d) for d in dup)}",
                        "give every column its own name")
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(_plain(n), []).append(n)
    clash = [g for g in groups.values() if len(g) > 1]
    if clash:
        said = "; ".join(" and ".join(repr(n) for n in g) for g in clash)
        raise DataError(f"{source} has columns whose names differ only in case or spacing: {said}",
                        "a question cannot tell them apart; rename or drop one of each")


def from_frame(df: pd.DataFrame, source: str = "the table") -> Table:
    """A :class:`Table` from a data frame; raises :class:`DataError` naming the file, column and lines."""
    import pandas as pd

    if df.shape[1] < 2:
        raise DataError(f"{source} has {df.shape[1]} column(s)", "give at least two variables, one column each")
    if len(df) < 1:
        raise DataError(f"{source} has no data rows", "give a header row of variable names and one row per unit")
    names = [str(c).strip() for c in df.columns]
    check_names(names, source)
    cols: dict[str, np.ndarray] = {}
    kinds: dict[str, Kind] = {}
    labels: dict[str, list] = {}
    for name, col in zip(names, df.columns, strict=True):
        s = df[col]
        if s.isna().any():
            raise DataError(f"{source}, {_lines(s.isna().to_numpy())}: column {name!r} has a missing value",
                            "give every row one value per column of the header")
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            raise DataError(f"{source} has non-numeric values in column {name!r}",
                            "code each variable as numbers (0/1 or category codes for discrete ones)")
        values = s.to_numpy()
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            bad = ~np.isfinite(values)
            raise DataError(f"{source}, {_lines(bad)}: column {name!r} has a non-finite value "
                            f"({values[bad][0]!r})", "give a finite number in every cell (no inf)")
        levels = pd.unique(values)
        if len(levels) > MAX_LEVELS:
            cols[name], kinds[name] = values.astype(float), "continuous"
            continue
        if values.dtype.kind in "biuf":
            ordered_arr, codes = np.unique(values, return_inverse=True)
            ordered = list(ordered_arr)
            cols[name] = codes.astype(int).ravel()
        else:
            ordered = sorted(levels, key=lambda v: (str(type(v)), v))
            index = {v: i for i, v in enumerate(ordered)}
            cols[name] = np.array([index[v] for v in values], dtype=int)
        kinds[name], labels[name] = "discrete", [v.item() if hasattr(v, "item") else v for v in ordered]
    return Table(cols, kinds, labels, source)


def _lines(mask: np.ndarray) -> str:
    rows = [int(i) + 2 for i in np.flatnonzero(mask)[:3]]  # +2: header, 1-based
    more = int(mask.sum()) - len(rows)
    return f"line{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}" + (f" (and {more} more)" if more > 0 else "")


def check_constant(table: Table) -> None:
    """A column that never varies carries no evidence of any effect of or on it: name it and its one value."""
    const = [c for c in table.names if (len(table.labels.get(c, [])) == 1 if table.kinds[c] == "discrete"
                                        else np.ptp(table.columns[c]) == 0)]
    if const:
        said = ", ".join(f"{c!r} (always {table.labels[c][0] if table.kinds[c] == 'discrete' else table.columns[c][0]})"
                         for c in const)
        verb = "never vary" if len(const) > 1 else "never varies"
        raise DataError(f"{table.source}: column{'s' if len(const) > 1 else ''} {said} {verb}",
                        "no effect of or on a constant can be estimated: drop it, or give data in which it varies")


DEFAULT_BUDGET_S = 60.0  # seconds for a whole answer from data (discovery, its resamples, the estimate)
MAX_COLUMNS = 60  # columns a discovery fits in DEFAULT_BUDGET_S (measured: see the README's data-path section)


def max_columns(budget_s: float = DEFAULT_BUDGET_S) -> int:
    """Columns a discovery fits in ``budget_s`` (proportional, never fewer than 10: below that the deadline cuts)."""
    return max(10, int(MAX_COLUMNS * min(1.0, budget_s / DEFAULT_BUDGET_S)))


def check_size(table: Table, budget_s: float = DEFAULT_BUDGET_S, focus: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Refuse a table too wide for the time budget, offering a subset (the focus columns and those most
    correlated with them); returns notes on what the budget will cut otherwise."""
    limit = max_columns(budget_s)
    if len(table.names) <= limit:
        return []
    focus = [c for c in focus if c in table.columns]
    if focus:
        x = np.column_stack([table.columns[c].astype(float) for c in table.names])
        sd = x.std(axis=0)
        z = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
        corr = np.abs(z.T @ z[:, [table.names.index(c) for c in focus]]) / table.n
        score = {c: float(corr[i].max()) for i, c in enumerate(table.names) if c not in focus}
        pick = focus + sorted(score, key=lambda c: -score[c])[:limit - len(focus)]
        offer = (f"for example the question's columns and the {len(pick) - len(focus)} most correlated with them: "
                 + ", ".join(pick))
    else:
        offer = "the treatment, the outcome and the columns that may cause either"
    raise DataError(f"{table.source} has {len(table.names)} columns; discovery over more than {limit} does not fit the "
                    f"{budget_s:.0f} s time budget", f"pass at most {limit} columns: {offer}")


_LOADED: dict[tuple[str, int, int], Table] = {}


def load_table(path: str | Path) -> Table:
    """Read a CSV or Parquet file of observations (header row of variable names); every check of the input runs
    here, before any search.  The same file (path, size, modification time) gives the same :class:`Table`
    object, so a search and the critique of its graph share its testers."""
    p = Path(path)
    if p.is_dir():
        raise DataError(f"data path {p} is a folder, not a file", "pass the path of a CSV or Parquet file to --data")
    if not p.is_file():
        raise DataError(f"data file {p} does not exist", "pass the path of an existing CSV or Parquet file to --data")
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    if key in _LOADED:
        return _LOADED[key]
    source = f"data file {p}"
    import pandas as pd

    try:
        if p.suffix.lower() in (".parquet", ".pq"):
            df = pd.read_parquet(p)
        else:
            with p.open(newline="", encoding="utf-8") as f:
                header = [h.strip() for h in next(csv.reader(f, skipinitialspace=True), [])]
            check_names(header, source)  # pandas would rename a repeated name silently ("a", "a.1")
            df = pd.read_csv(p, skipinitialspace=True, encoding="utf-8")
            if df.shape[1] == 1:  # one column: the file may use another separator (a semicolon, a tab, a bar)
                try:
                    with p.open(encoding="utf-8", newline="") as f:
                        sep = csv.Sniffer().sniff(f.read(1 << 16), delimiters=";\t|").delimiter
                    df = pd.read_csv(p, sep=sep, skipinitialspace=True, encoding="utf-8")
                except csv.Error:
                    pass  # no other separator either: from_frame says there is one column
    except UnicodeDecodeError as e:
        raise DataError(f"data file {p} is not UTF-8 text (undecodable byte at position {e.start})",
                        "save the CSV as UTF-8 text") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"data file {p} has no data rows", "give a header row of variable names and one row per unit") from None
    except PermissionError:
        raise DataError(f"data file {p} cannot be read (permission denied)", "make the file readable") from None
    except (ValueError, OSError, pd.errors.ParserError, ImportError, csv.Error) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise DataError(f"cannot read {p}: {first}", "give a CSV (comma-separated, header row) or a Parquet file") from None
    table = from_frame(df, source)
    check_constant(table)
    if len(_LOADED) >= 4:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = table
    return table
