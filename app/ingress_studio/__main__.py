from ingress_studio.cli import main

raise SystemExit(main())
