from analytics.reporting.cli import main

raise SystemExit(main())
