"""``python -m autodiff_viz.sandbox``: one worker process (see :mod:`autodiff_viz.sandbox.worker`)."""

import sys

from autodiff_viz.sandbox.worker import main

sys.exit(main())
