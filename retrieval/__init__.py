"""Documents in, cited passages out. Imports no other careassist package."""
