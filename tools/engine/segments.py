"""Per-client reductions over a history table as segment reductions on arrays sorted by client once.

`Segments.of(client_id)` sorts the rows' client ids once (a stable argsort, skipped when already sorted)
and finds where each client's run of rows starts; every reduction is then one NumPy pass over the
values in that order (`np.add.reduceat`, `np.fmax.reduceat`, …) instead of a pandas group-by that
factorises the key again for each column.

Semantics follow pandas' group-by reductions: NaN values are skipped (a sum of no values is 0, a max,
min or mean of no values is NaN); the result is per client id, ascending (`keys`), clients without
rows are absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

_NAT = np.iinfo("int64").min
_BLOCK = 32_768  # clients per matrix of a walk
_DENSE_DEPTH = 64  # deeper (a few clients with many rows each): pandas' kernel adds them, row by row


@dataclass(frozen=True)
class Segments:
    keys: np.ndarray  # the client ids with rows, ascending
    starts: np.ndarray  # where each client's rows start, in sorted order
    sizes: np.ndarray  # rows per client
    order: np.ndarray | None  # sorted position → row (None: the rows are already sorted by client)
    codes: np.ndarray  # per row (original order): the position of its client in `keys`
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, client_id: np.ndarray | pd.Series) -> Segments:
        ids = np.asarray(client_id)
        if len(ids) and np.any(ids[1:] < ids[:-1]):
            order: np.ndarray | None = np.argsort(ids, kind="stable")
            ids_sorted = ids[order]
        else:
            order, ids_sorted = None, ids
        new = np.empty(len(ids_sorted), dtype=bool)
        if len(ids_sorted):
            new[0] = True
            np.not_equal(ids_sorted[1:], ids_sorted[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, len(ids_sorted)))
        seg_sorted = np.cumsum(new) - 1
        if order is None:
            codes = seg_sorted
        else:
            codes = np.empty(len(ids), dtype=seg_sorted.dtype)
            codes[order] = seg_sorted
        return cls(keys=ids_sorted[starts], starts=starts, sizes=sizes, order=order, codes=codes)

    def __len__(self) -> int:
        return len(self.keys)

    def index(self, name: str = "client_id") -> pd.Index:
        return pd.Index(self.keys, name=name)

    def sorted(self, values: np.ndarray | pd.Series) -> np.ndarray:
        v = np.asarray(values)
        return v if self.order is None else v[self.order]

    def _reduceat(self, ufunc: np.ufunc, v: np.ndarray, empty: float) -> np.ndarray:
        if not len(self.keys):
            return np.empty(0, dtype=v.dtype if v.dtype.kind in "fiu" else "float64")
        return ufunc.reduceat(v, self.starts)

    def size(self) -> np.ndarray:
        return self.sizes.astype("int64")

    def _by_rank(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per rank r (the r-th row of a client): the clients with more than r rows and that row's sorted position.

        The clients are taken largest first, so each rank's clients are a prefix: the whole walk touches
        every row once."""
        cached = self._cache.get("ranks")
        if cached is not None:
            return cached
        desc = np.argsort(-self.sizes, kind="stable")
        sizes_desc = self.sizes[desc]
        out = []
        for r in range(int(sizes_desc[0]) if len(sizes_desc) else 0):
            segs = desc[: int(np.searchsorted(-sizes_desc, -r, side="left"))]
            out.append((segs, self.starts[segs] + r))
        self._cache["ranks"] = out
        return out

    def sum(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """Sum per client, NaN skipped (0.0 when a client has no values); booleans count.

        Floats are added exactly as pandas' group-by does, so the results are the same to the last bit: rows
        already sorted by client and no NaN → one `np.add.reduceat` (pandas 3's own fast path); otherwise
        Kahan-compensated summation in row order (its Cython kernel)."""
        v = self.sorted(values)
        if v.dtype.kind in "biu":
            return self._reduceat(np.add, v.astype("float64", copy=False), 0.0)
        return self._sum_count(v.astype("float64", copy=False))[0]

    def _sum_count(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        nan = np.isnan(v)
        if self.order is None and not nan.any():
            return self._reduceat(np.add, v, 0.0), self.sizes.astype("float64", copy=False)
        return self._kahan(v)

    def _dense(self) -> bool:
        """Whether the walks may lay the rows out as depth × clients matrices (every client's r-th row in
        layer r): not when the clients' row counts are too uneven (the matrix would be much larger than the
        table) or some client has many rows (a walk of many short steps)."""
        k, n = len(self.keys), int(self.sizes.sum())
        depth = int(self.sizes.max()) if k else 0
        return depth <= _DENSE_DEPTH and depth * k <= 4 * n + 1024

    def _matrices(self, columns: list[np.ndarray]) -> Iterator[tuple[slice, np.ndarray]]:
        """Per block of `_BLOCK` clients (a contiguous run of sorted rows): the clients and the sorted columns
        as a depth × columns × clients matrix, NaN where a client has fewer rows. Block by block, the matrix
        stays small (no fresh gigabytes to fault in at a million clients)."""
        for a in range(0, len(self.keys), _BLOCK):
            b = min(a + _BLOCK, len(self.keys))
            sizes, first = self.sizes[a:b], int(self.starts[a])
            rows = slice(first, first + int(sizes.sum()))
            depth, k = int(sizes.max()), b - a
            rank = np.arange(rows.stop - first) - np.repeat(self.starts[a:b] - first, sizes)
            pos = rank * k + np.repeat(np.arange(k), sizes)
            m = np.full((len(columns), depth * k), np.nan)
            for j, v in enumerate(columns):
                m[j, pos] = v[rows]
            yield slice(a, b), m.reshape(len(columns), depth, k).transpose(1, 0, 2)

    def _kahan(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(sum, count of non-NaN) per client: compensated summation in row order."""
        total, nobs = self._kahan_many([v])
        return total[0], nobs[0]

    def _kahan_many(self, columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(sums, counts) per column × client: pandas' compensated summation in row order, for several
        columns in one walk. Each step adds every client's r-th value at once (the matrix's r-th layer);
        when some client has more than `_DENSE_DEPTH` rows, pandas' own kernel does it (a group-by on the
        codes, in the original row order: the same additions)."""
        shape = (len(columns), len(self.keys))
        total, comp, nobs = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        if not self._dense():  # pandas' own compensated kernel over the rows in their original order
            unsorted = {}
            for j, v in enumerate(columns):
                if self.order is None:
                    unsorted[j] = v
                else:
                    unsorted[j] = np.empty_like(v)
                    unsorted[j][self.order] = v
            g = pd.DataFrame(unsorted).groupby(self.codes, sort=True)
            return g.sum().to_numpy(dtype="float64").T.copy(), g.count().to_numpy(dtype="float64").T.copy()
        with np.errstate(invalid="ignore"):
            for block, m in self._matrices(columns):
                tot, cmp, cnt = total[:, block], comp[:, block], nobs[:, block]  # views: updated in place
                for x in m:
                    ok = ~np.isnan(x)
                    y = x - cmp
                    t = tot + y
                    c = (t - tot) - y
                    c[np.isnan(c)] = 0.0
                    np.copyto(cmp, c, where=ok)
                    np.copyto(tot, t, where=ok)
                    cnt += ok
        return total, nobs

    def sums(self, *values: np.ndarray | pd.Series) -> list[tuple[np.ndarray, np.ndarray]]:
        """(sum, count of non-NaN) per client for each float column, added exactly as `sum` adds it; the
        columns that need the compensated walk share one."""
        cols = [self.sorted(v).astype("float64", copy=False) for v in values]
        out: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(cols)
        walk = []
        for j, v in enumerate(cols):
            if self.order is None and not np.isnan(v).any():
                out[j] = self._reduceat(np.add, v, 0.0), self.sizes.astype("float64", copy=False)
            else:
                walk.append(j)
        if walk:
            total, nobs = self._kahan_many([cols[j] for j in walk])
            for i, j in enumerate(walk):
                out[j] = total[i], nobs[i]
        return out  # type: ignore[return-value]

    @staticmethod
    def means(sum_count: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Mean from a (sum, count) pair of `sums` (NaN where no values), as `mean` divides."""
        total, n = sum_count
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, total / np.maximum(n, 1), np.nan)

    def count(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """Non-NaN values per client."""
        v = self.sorted(values)
        return self._reduceat(np.add, (~np.isnan(v)).astype("int64"), 0)

    def max(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """Largest value per client, NaN skipped (NaN when a client has none)."""
        return self._reduceat(np.fmax, self.sorted(values).astype("float64", copy=False), np.nan)

    def min(self, values: np.ndarray | pd.Series) -> np.ndarray:
        return self._reduceat(np.fmin, self.sorted(values).astype("float64", copy=False), np.nan)

    def mean(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """Mean per client of the non-NaN values (NaN when none): sum / count, added as `sum` does."""
        return self.means(self._sum_count(self.sorted(values).astype("float64", copy=False)))

    def std0(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """Population standard deviation (ddof 0) per client over the non-NaN values: Welford's online
        update in row order, as pandas' group-by var/std."""
        v = self.sorted(values).astype("float64", copy=False)
        k = len(self.keys)
        mean, m2, nobs = np.zeros(k), np.zeros(k), np.zeros(k)
        if not self._dense():
            for segs, rows in self._by_rank():
                x = v[rows]
                ok = ~np.isnan(x)
                segs, x = segs[ok], x[ok]
                nobs[segs] += 1
                old = mean[segs]
                new = old + (x - old) / nobs[segs]
                mean[segs] = new
                m2[segs] += (x - new) * (x - old)
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                for block, m in self._matrices([v]):
                    mu, sq, cnt = mean[block], m2[block], nobs[block]  # views: updated in place
                    for x in m[:, 0, :]:
                        ok = ~np.isnan(x)
                        cnt += ok
                        new = mu + (x - mu) / cnt
                        np.copyto(sq, sq + (x - new) * (x - mu), where=ok)
                        np.copyto(mu, new, where=ok)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(nobs > 0, np.sqrt(m2 / np.maximum(nobs, 1)), np.nan)

    def _times(self, values: np.ndarray | pd.Series, ufunc: np.ufunc, fill: int) -> np.ndarray:
        v = np.asarray(values)
        unit = np.datetime_data(v.dtype)[0] if v.dtype.kind == "M" else "ns"
        i = self.sorted(v).view("int64")
        i = np.where(i == _NAT, fill, i)
        out = self._reduceat(ufunc, i, fill) if len(self.keys) else np.empty(0, dtype="int64")
        out = np.where(out == fill, _NAT, out)
        return out.view(f"datetime64[{unit}]")

    def max_time(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """Latest date per client, NaT skipped (NaT when a client has none); keeps the time unit."""
        return self._times(values, np.maximum, _NAT)

    def min_time(self, values: np.ndarray | pd.Series) -> np.ndarray:
        return self._times(values, np.minimum, np.iinfo("int64").max)

    def per_row(self, per_client: np.ndarray) -> np.ndarray:
        """A per-client result back on every row (original order), like group-by `transform`."""
        return np.asarray(per_client)[self.codes]

    def at(self, ids: np.ndarray | pd.Index, per_client: np.ndarray, fill: object = np.nan) -> np.ndarray:
        """Per-client values looked up for `ids` (searchsorted on the sorted keys); `fill` where absent."""
        ids = np.asarray(ids)
        v = np.asarray(per_client)
        if not len(self.keys):
            return np.full(len(ids), fill, dtype=v.dtype if v.dtype.kind == "M" else None)
        pos = np.minimum(np.searchsorted(self.keys, ids), len(self.keys) - 1)
        found = self.keys[pos] == ids
        if v.dtype.kind == "M":
            return np.where(found, v[pos], np.datetime64("NaT")).astype(v.dtype)
        return np.where(found, v[pos], fill)
