"""The compiled extensions (``rnnfast._kernels``, ``rnnfast._train``), imported in one place.

``import rnnfast`` never needs them: the NumPy backend is plain NumPy.  What does (the compiled
backend, fit's compiled glue, the app's Train, ``python -m benchmarks``) gets them from
:func:`kernels` and :func:`train`, which turn a missing or broken build into a
:class:`CompiledExtensionError` whose one-line message gives the cause and the command to run.
"""

import importlib
import os


class CompiledExtensionError(ImportError):
    """rnnfast's compiled extension cannot be imported; the message says why and what to run."""


def _fix(package_dir):
    """What to run to get the extension built beside ``package_dir`` (rnnfast's folder)."""
    root = os.path.dirname(package_dir)
    if os.path.isfile(os.path.join(root, "setup.py")):
        # A source tree (a clone, or the folder of an editable install): build it in place.
        # From anywhere else than its root, Python imports this tree only through an install.
        here = os.path.realpath(os.getcwd()) == os.path.realpath(root)
        where = "from the clone's root" if here else f"in {root}"
        return (
            f"run `pip install -e .` {where} (or `python setup.py build_ext --inplace`); "
            'backend="numpy" needs no compiled code'
        )
    return (
        "reinstall rnnfast from its clone's root with `pip install -e .`; "
        'backend="numpy" needs no compiled code'
    )


def _load(name):
    full = f"rnnfast.{name}"
    try:
        return importlib.import_module(full)
    # Only ImportError (a missing module, a bad .so, a build against another NumPy): other
    # errors at import are not a build's (e.g. a bad RNNFAST_CPU) and keep their own message.
    except ImportError as exc:
        package_dir = os.path.dirname(os.path.abspath(__file__))
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        cause = lines[0] if lines else type(exc).__name__
        raise CompiledExtensionError(
            f"rnnfast's compiled extension {full} cannot be imported from {package_dir} "
            f"({cause}): {_fix(package_dir)}",
            name=full,
        ) from exc


def kernels():
    """The module ``rnnfast._kernels`` (the compiled time loops)."""
    return _load("_kernels")


def train():
    """The module ``rnnfast._train`` (the compiled glue of fit's SGD step)."""
    return _load("_train")


def problem():
    """``None`` when both extensions import, else the one-line message of the first failure."""
    try:
        kernels()
        train()
    except CompiledExtensionError as exc:
        return str(exc)
    return None
