"""Let `python -m tui` behave exactly like the `heatlens` command."""

import sys

from tui.cli import main

sys.exit(main())
