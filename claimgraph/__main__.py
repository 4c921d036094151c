"""``python -m claimgraph``."""

from claimgraph.cli import run

if __name__ == "__main__":
    run()
