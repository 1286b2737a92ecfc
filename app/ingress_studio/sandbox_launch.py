"""How `ingress-studio sandbox` is started and how it ends, for the programs that run it (the window
retries on other ports, the CLI documents the codes)."""

CLEAN_EXIT = 0
START_FAILED_EXIT = 1  # the data folder or database cannot be used (the reason is printed)
BAD_ARGUMENTS_EXIT = 2  # argparse's own
PORT_IN_USE_EXIT = 3

# The three listening ports, in the order of the ready line's URLs: flag, what it serves.
PORT_FLAGS = ("--port", "--rtmp-port", "--whip-port")
PORT_ROLES = ("API", "RTMP", "WHIP")
