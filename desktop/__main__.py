"""`python -m desktop` is `rapport`."""
import sys

from desktop.cli import main

sys.exit(main())
