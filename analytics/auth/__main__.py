"""``python -m analytics.auth``: the users file's command line (analytics/auth/cli.py)."""

from analytics.auth.cli import main

raise SystemExit(main())
