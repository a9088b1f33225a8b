import os
import sys

# Qt must never try to open a display in the tests (see shared notes on GUI testing).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PyQt5")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

sys.path.insert(0, os.path.dirname(__file__))

import pytest  # noqa: E402
from helpers import CPU_LEVELS  # noqa: E402


@pytest.fixture(params=CPU_LEVELS or ["unavailable"])
def cpu_level(request):
    """Runs the test once per CPU level this machine supports (rnnfast._cpu): the kernels'
    tests hold at every level the dispatch can pick, not only the best one."""
    if not CPU_LEVELS:
        pytest.skip("the compiled kernels are not built")
    from rnnfast._cpu import use_cpu_level

    with use_cpu_level(request.param):
        yield request.param
