"""What a sweep runs: every combination of the grid's values times every seed, checked
before any run starts.

A run is ``type(estimator)(**params)`` with the estimator's parameters, one combination of
the grid and one seed (scikit-learn's ``clone(estimator).set_params(**combo, seed=seed)``,
without needing scikit-learn), fitted from scratch.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import numbers
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import hyperparams

#: Parameters a grid may not vary: the seed has its own argument; the rest would make a run
#: depend on something other than its settings and seed.
NOT_IN_GRID = {
    "seed": "the seeds are sweep()'s own argument: seeds=range(10)",
    "verbose": "a sweep reports its own progress (progress=True)",
    "callbacks": "callbacks are the estimator's, the same in every run",
    "warm_start": "every run of a sweep starts from fresh weights",
}


@dataclass(frozen=True)
class Run:
    """One run: ``settings`` ((name, value) pairs in the grid's order) and ``seed``."""

    index: int
    settings: tuple
    seed: int

    @property
    def key(self) -> str:
        """A name for the run that does not depend on the grid's other values: the results
        of a run are found again when the grid or the seeds grow."""
        text = json.dumps([[list(kv) for kv in self.settings], self.seed])
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def label(self) -> str:
        """``backprop=exact bptt_steps=full seed=3``: what the progress lines and errors say."""
        parts = [f"{k}={format_value(k, val)}" for k, val in self.settings]
        return " ".join(parts + [f"seed={self.seed}"])


def format_value(name, value) -> str:
    """A setting's value as the command line types it (None -> "full" for bptt_steps)."""
    if value is None:
        c = hyperparams.CONSTRAINTS.get(name)
        return c.none if c is not None and c.none else "None"
    return str(value)


def fresh_estimator(estimator, settings=(), seed=None):
    """``clone(estimator).set_params(**settings, seed=seed)`` as a new, unfitted instance,
    silent (verbose=0) and cold (warm_start=False)."""
    params = copy.deepcopy(estimator.get_params())
    params.update(dict(settings))
    params.update(verbose=0, warm_start=False)
    if seed is not None:
        params["seed"] = seed
    return type(estimator)(**params)


def _plain(value, where):
    """A grid value as a plain Python value (numpy scalars unwrapped): runs are stored as
    JSON, so a value must be a str, int, float, bool or None."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(
        f"{where} must be a str, int, float, bool or None, got {value!r} ({type(value).__name__})"
    )


def check_estimator(estimator):
    from ..network import RecurrentNetwork

    if not isinstance(estimator, RecurrentNetwork):
        raise TypeError(
            "estimator must be a rnnfast.RecurrentNetwork (the settings every run shares), "
            f"got {type(estimator).__name__}"
        )
    return estimator


def check_grid(estimator, grid) -> dict[str, list]:
    """The grid as ``{name: [values]}``, each value checked by the estimator itself (the
    hyperparameter table's messages), before any run starts."""
    if not isinstance(grid, Mapping):
        raise TypeError(
            "grid must be a dict of parameter names to lists of values, e.g. "
            f"{{'backprop': ['exact', 'textbook']}}, got {type(grid).__name__}"
        )
    if not grid:
        raise ValueError(
            "grid is empty: give at least one setting with its values, e.g. "
            "{'backprop': ['exact', 'textbook']} (to repeat one network over seeds, give "
            "one setting one value: {'backprop': ['exact']})"
        )
    valid = list(estimator.get_params())
    out = {}
    for name, values in grid.items():
        if name in NOT_IN_GRID:
            raise ValueError(f"grid[{name!r}]: {name} cannot vary in a grid: {NOT_IN_GRID[name]}")
        if name not in valid:
            allowed = ", ".join(n for n in valid if n not in NOT_IN_GRID)
            raise ValueError(
                f"grid: unknown setting {name!r} for a RecurrentNetwork; known: {allowed}"
            )
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(
                f"grid[{name!r}] must be a list of values, got {values!r} ({type(values).__name__})"
            )
        values = [_plain(val, f"grid[{name!r}] value") for val in values]
        if not values:
            raise ValueError(f"grid[{name!r}] is an empty list: give at least one value")
        probe = fresh_estimator(estimator)
        for val in values:
            try:
                probe.set_params(**{name: val})
            except (TypeError, ValueError) as e:
                raise type(e)(f"grid[{name!r}] value {val!r}: {e}") from None
        keys = [json.dumps(val) for val in values]
        if len(set(keys)) != len(keys):
            raise ValueError(f"grid[{name!r}] lists a value twice: {values} (each run once)")
        out[name] = values
    return out


def check_seeds(seeds) -> list[int]:
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seeds = [seeds]
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a list of integers, e.g. range(10), got {seeds!r}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed, e.g. seeds=range(10)")
    out = []
    for s in seeds:
        if hasattr(s, "item"):
            s = s.item()
        try:
            out.append(hyperparams.check("seed", s))
        except (TypeError, ValueError) as e:
            raise type(e)(f"seeds: {e}") from None
        if out[-1] is None:
            raise TypeError("seeds: a sweep needs fixed seeds, got None")
    if len(set(out)) != len(out):
        raise ValueError(f"seeds lists a seed twice: {out} (each run once)")
    return out


def make_runs(grid: dict[str, list], seeds: list[int]) -> list[Run]:
    """Every combination times every seed, the grid's first setting varying slowest and the
    seed fastest (the order of the frame's rows)."""
    names = list(grid)
    combos = itertools.product(*(grid[n] for n in names))
    return [
        Run(i, tuple(zip(names, combo)), seed)
        for i, (combo, seed) in enumerate(itertools.product(list(combos), seeds))
    ]


def usable_cores() -> int:
    """Cores this process may run on (its affinity, e.g. a container's or taskset's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def check_n_jobs(n_jobs) -> int:
    """None or -1: every usable core; more than there are is refused (oversubscribed
    cores give no speed, only noise)."""
    cores = usable_cores()
    if n_jobs is None or n_jobs == -1:
        return cores
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs < 1:
        raise ValueError(f"n_jobs must be None, -1 or an integer >= 1, got {n_jobs!r}")
    if n_jobs > cores:
        raise ValueError(
            f"n_jobs={n_jobs} is more than the {cores} cores this process may use: more "
            "processes than cores only make every run slower; for more machines use "
            "engine='dask' with a cluster"
        )
    return int(n_jobs)
