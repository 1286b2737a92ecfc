"""Command-line programs: each file parses its own arguments and runs one program."""
