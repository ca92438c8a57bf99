"""Entry point for `python -m netlab`."""

from netlab.cli import main

raise SystemExit(main())
