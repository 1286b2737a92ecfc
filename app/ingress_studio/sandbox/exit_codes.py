"""How `ingress-studio sandbox` ends, for the programs that run it (the window retries on other ports)."""

CLEAN_EXIT = 0
START_FAILED_EXIT = 1  # the data folder or database cannot be used (the reason is printed)
BAD_ARGUMENTS_EXIT = 2  # argparse's own
PORT_IN_USE_EXIT = 3
