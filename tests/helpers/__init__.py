"""Code the tests share that the package does not need."""
