"""`python -m lsarchive.cli`: the `lsarchive` command."""

from . import main

main()
