"""``python -m analytics.ingest``: the import's command line (analytics/ingest/cli.py)."""

import sys

from analytics.ingest.cli import main

sys.exit(main())
