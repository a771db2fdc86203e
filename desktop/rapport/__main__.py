"""``python -m rapport`` is the ``rapport`` command."""

import sys

from rapport.main import main

sys.exit(main())
