"""`python -m unlearn_bench` is the `unlearn-bench` command; it is also what `torchrun -m unlearn_bench` starts."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
