"""The `kg` command line: one module per group of commands."""
