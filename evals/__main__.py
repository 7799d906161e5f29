"""`python -m evals run|compare|validate|schema`."""

from evals.cli import main

main()
