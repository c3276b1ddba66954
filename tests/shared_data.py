"""Where the real data sets live: `../shared/data` beside the checkout (override with COMUNA_SHARED_DATA)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("COMUNA_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))
