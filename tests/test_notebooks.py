"""docs/notebooks: every notebook executes from a fresh kernel without an error (on the
bundled sample, in a temporary folder), and the committed ones are executed, begin with the
install cell and match scripts/notebooks.py."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def _script():
    spec = importlib.util.spec_from_file_location(
        "notebooks_script", ROOT / "scripts" / "notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_notebooks_in_english_and_korean():
    assert {p.name for p in NOTEBOOKS} >= {"chapter6_en.ipynb", "chapter6_ko.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_executed_and_matches_its_script(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "!pip install" in code[0].source and "git+https://github.com/" in code[0].source
    assert all(c.execution_count for c in code), "commit the notebook with its outputs"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    lang = path.stem.rsplit("_", 1)[1]
    want = _script().build(lang)
    assert [c.source for c in nb.cells] == [c.source for c in want.cells], (
        "the notebook differs from scripts/notebooks.py: run python scripts/notebooks.py"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_without_error(path, tmp_path, monkeypatch):
    monkeypatch.setenv("RNNFAST_NOTEBOOK_DATA", "sample")  # the notebooks read it
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=600,  # per cell
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 8  # the pictures
    assert "data: the bundled sample" in "".join(o.get("text", "") for o in outputs)
