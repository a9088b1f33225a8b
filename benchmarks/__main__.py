"""``python -m benchmarks`` (the CLI is benchmarks/cli.py).

Every benchmark times the compiled extension, in child processes: without it they would all
fail there, so a missing or broken build is reported first, in one line, with what to run.
"""

import sys

from rnnfast._compiled import problem

if not {"-h", "--help"} & set(sys.argv[1:]):
    _why = problem()
    if _why is not None:
        print(f"python -m benchmarks: {_why}", file=sys.stderr)
        raise SystemExit(2)

from .cli import main  # noqa: E402  (after the check: cli may import the extension itself)

raise SystemExit(main())
