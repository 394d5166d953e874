"""``python -m autodiff_viz.sandbox``: one worker process (see ``sandbox.worker``)."""

import sys

from autodiff_viz.sandbox.worker import main

sys.exit(main())
