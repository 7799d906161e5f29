"""The evaluation harness compliance staff run. Nothing imports evals."""
