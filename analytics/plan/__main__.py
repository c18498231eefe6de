from analytics.plan.cli import main

raise SystemExit(main())
