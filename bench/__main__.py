"""``python -m bench [NAME] [ARGS]``: every ``bench/*.py`` module with a ``main(argv)``, or the one named.

``make bench`` runs them all (``scripts/devstack.py bench`` starts the services first).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path


def benchmarks() -> dict[str, str]:
    found = {}
    for path in sorted(Path(__file__).parent.glob("*.py")):
        if path.stem.startswith("_") or path.stem.endswith("_data"):
            continue
        found[path.stem.removesuffix("_bench")] = f"bench.{path.stem}"
    return found


def main(argv: list[str]) -> int:
    known = benchmarks()
    chosen = [argv[0]] if argv and argv[0] in known else list(known)
    args = argv[1:] if argv and argv[0] in known else argv
    for name in chosen:
        module = importlib.import_module(known[name])
        if not hasattr(module, "main"):
            continue
        takes_args = bool(inspect.signature(module.main).parameters)
        code = module.main(args if len(chosen) == 1 else []) if takes_args else module.main()
        if code:
            return int(code)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
