from viensum.cli import main

raise SystemExit(main())
