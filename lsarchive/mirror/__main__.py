"""`python -m lsarchive.mirror --articles 240 --seed 1 --port 8000`"""

from __future__ import annotations

import argparse

from .server import run_mirror


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m lsarchive.mirror", description=__doc__)
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--edits", type=int, default=0)
    parser.add_argument("--additions", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument("--faults", default=None, help="fault SPEC (see lsarchive/mirror/faults.py)")
    args = parser.parse_args(argv)
    run_mirror(args.articles, args.seed, args.port, args.edits, args.additions, args.host, args.verbose,
               args.faults)


if __name__ == "__main__":
    main()
