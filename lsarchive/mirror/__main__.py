"""`python -m lsarchive.mirror --articles 240 --seed 1 --port 8000` serves the mirror;
`python -m lsarchive.mirror gold DIR` writes gold pages of every theme (see `gold --help`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from .server import run_mirror


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["gold"]:
        from .gold import main as gold_main

        gold_main(argv[1:])
        return
    parser = argparse.ArgumentParser(prog="python -m lsarchive.mirror", description=__doc__)
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--edits", type=int, default=0)
    parser.add_argument("--additions", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument("--faults", default=None, help="fault SPEC (see lsarchive/mirror/faults.py)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="the province as it stood that day (city in its old theme before 2019)")
    parser.add_argument("--sibling-articles", type=int, default=None, metavar="N")
    args = parser.parse_args(argv)
    run_mirror(args.articles, args.seed, args.port, args.edits, args.additions, args.host, args.verbose,
               args.faults, as_of=args.as_of, sibling_articles=args.sibling_articles)


if __name__ == "__main__":
    main()
