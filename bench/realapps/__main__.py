"""`python -m bench.realapps`: the real-application suite."""

import sys

from ._runner import main

sys.exit(main())
