"""Every ```python block of README.md and docs/API.md runs as written (issue 13, item 6).

The blocks are found by parsing the markdown, so a new block is tested without editing this
file.  Each block is one test (id ``README.md:<line>``, the line of its opening fence) and runs:

* on its own, in a fresh namespace (``__name__ == "__main__"``): no name from an earlier block;
* with the current directory set to a new temporary folder holding ``imdb.npz``, the bundled
  sample (rnnfast/datasets/data/imdb_sample.npz, 5,000 + 5,000 reviews) rewritten in Keras'
  layout (object arrays of lists of raw ranks), so ``imdb.load_textbook(path="imdb.npz")`` reads
  the user's file format: 4,000 training and 1,000 validation reviews instead of 20,000 and
  5,000.  The printed numbers are those of the sample, not the full file's, so the test runs the
  code and checks nothing it prints; what a block asserts, it asserts;
* as written: the epochs are the docs' (nothing shortens a block).  On the sample each block
  takes seconds; a block slower than ``TIME_BUDGET`` fails, so that an example does not grow
  into a training run.  A block that cannot run quickly, or is not code to run (an output
  listing, a fragment), must use another fence language (```text, ```sh);
* with the matplotlib backend Agg and without ``RNNFAST_IMDB``/``KERAS_HOME``, so that a block
  never opens a window or reads a file the docs do not name.

Tracebacks point into the markdown file at the block's own line numbers.  A block that needs an
optional package (``OPTIONAL``: TensorFlow, scikit-learn) is skipped when the package is absent,
except under ``RNNFAST_CI=1`` (CI installs the test extras), where that is a failure, as in
tests/gui/conftest.py.
"""

import importlib.util
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "docs/API.md")
TIME_BUDGET = 60.0  # seconds per block on the sample (they take ~0.1-10 s on 2 shared cores)
PYTHON_FENCES = {"python", "py", "python3"}

# Optional packages: the pattern that shows a block needs it -> the module to find.
OPTIONAL = {
    "tensorflow": re.compile(
        r"\brnnfast\.keras\b|from rnnfast import keras\b|\bto_keras\("
        r"|\bfrom_keras\(|^\s*(import|from) (tensorflow|keras)\b",
        re.M,
    ),
    "sklearn": re.compile(r"^\s*(import|from) sklearn\b", re.M),
    "pandas": re.compile(r"\brnnfast\.experiments\b"),
    "distributed": re.compile(r"engine=\"dask\"|\bdask\.distributed\b"),
}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\s]*)")


@dataclass(frozen=True)
class Block:
    """One fenced code block: the file (relative to the root), the 1-based line of its opening
    fence, its language (the info string's first word, lower case) and its code."""

    file: str
    line: int
    language: str
    code: str

    @property
    def id(self):
        return f"{self.file}:{self.line}"


def fenced_blocks(text, file):
    """The fenced code blocks of a CommonMark text, in order.  A block closes at a fence of the
    same character, at least as long, with nothing after it; the opening fence's indentation is
    removed from the code (a fence inside a list item); an unclosed block runs to the end."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None or len(opening["indent"].expandtabs(4)) > 3:
            i += 1
            continue
        fence, indent, start = opening["fence"], len(opening["indent"]), i
        body, i = [], i + 1
        while i < len(lines):
            closing = _FENCE.match(lines[i])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"]
                and lines[i].strip() == closing["fence"]
            ):
                break
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        i += 1
        blocks.append(Block(file, start + 1, opening["info"].lower(), "\n".join(body) + "\n"))
    return blocks


def python_blocks():
    return [
        b
        for doc in DOCS
        for b in fenced_blocks((ROOT / doc).read_text("utf-8"), doc)
        if b.language in PYTHON_FENCES
    ]


BLOCKS = python_blocks()


# ---------------------------------------------------------------------------- the data


def write_keras_imdb(src, dst):
    """The bundled sample (compact layout) as Keras' ``imdb.npz``: ``x_train``/``x_test``
    1-D object arrays of Python lists of raw ranks, ``y_train``/``y_test`` int64 labels."""
    from rnnfast.datasets._files import read_imdb_file

    arrays = {}
    for split in read_imdb_file(src):
        starts = np.concatenate([[0], np.cumsum(split.lengths)])
        reviews = np.empty(len(split.lengths), dtype=object)
        reviews[:] = [split.tokens[a:b].tolist() for a, b in zip(starts[:-1], starts[1:])]
        arrays[split.name] = reviews
        arrays["y" + split.name[1:]] = np.asarray(split.labels, dtype=np.int64)
    np.savez_compressed(dst, **arrays)
    return dst


@pytest.fixture(scope="session")
def imdb_npz(tmp_path_factory):
    from rnnfast.datasets import imdb

    return write_keras_imdb(imdb.SAMPLE_PATH, tmp_path_factory.mktemp("data") / "imdb.npz")


def test_imdb_npz_is_the_sample_in_keras_format(imdb_npz):
    """The blocks' imdb.npz has exactly Keras' four arrays, read as Keras reads them
    (``np.load(allow_pickle=True)``), and load_textbook(path=...) gives what it gives for the
    bundled sample."""
    from rnnfast.datasets import imdb

    with np.load(imdb_npz, allow_pickle=True) as f:
        assert sorted(f.files) == ["x_test", "x_train", "y_test", "y_train"]
        for split in ("train", "test"):
            x, y = f[f"x_{split}"], f[f"y_{split}"]
            assert x.dtype == object and x.shape == y.shape == (5000,)
            assert all(type(r) is list for r in x) and type(x[0][0]) is int
            assert set(np.unique(y)) == {0, 1}
    mine = imdb.load_textbook(path=str(imdb_npz))
    bundled = imdb.load_textbook(source="sample")
    assert [a.shape for a in mine] == [(4000, 100), (4000,), (1000, 100), (1000,)]
    for a, b in zip(mine, bundled):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------- the blocks


def test_the_docs_have_python_blocks():
    files = {b.file for b in BLOCKS}
    assert files == set(DOCS), f"no ```python block found in {set(DOCS) - files}"


def test_fenced_blocks_parser():
    text = (
        "a\n```python\nx = 1\n```\n\n- item\n\n  ```py\n  y = 2\n  ```\n"
        "````text\n```python\nnot code\n```\n````\n~~~sh\nls\n~~~\n```python\nz = 3\n"
    )
    got = [(b.line, b.language, b.code) for b in fenced_blocks(text, "t.md")]
    assert got == [
        (2, "python", "x = 1\n"),
        (8, "py", "y = 2\n"),
        (11, "text", "```python\nnot code\n```\n"),
        (16, "sh", "ls\n"),
        (19, "python", "z = 3\n"),
    ]


def _require(module):
    if importlib.util.find_spec(module) is None:
        message = f"the block needs {module}, which is not installed"
        if os.environ.get("RNNFAST_CI"):  # CI installs the test extras: missing is a failure
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_block_runs_as_written(block, imdb_npz, tmp_path, monkeypatch, record_property):
    for module, pattern in OPTIONAL.items():
        if pattern.search(block.code):
            _require(module)
    shutil.copyfile(imdb_npz, tmp_path / "imdb.npz")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for name in ("RNNFAST_IMDB", "RNNFAST_IMDB_WORD_INDEX", "KERAS_HOME"):
        monkeypatch.delenv(name, raising=False)
    # padded so that a traceback names the markdown file and the block's own line numbers
    code = compile("\n" * block.line + block.code, str(ROOT / block.file), "exec")
    start = time.perf_counter()
    exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
    elapsed = time.perf_counter() - start
    record_property("seconds", round(elapsed, 2))
    print(f"{block.id}: {elapsed:.2f} s")
    assert elapsed < TIME_BUDGET, (
        f"{block.id} took {elapsed:.1f} s on the sample (budget {TIME_BUDGET:.0f} s): shorten "
        "it, or fence it as ```text if it is not meant to run"
    )
