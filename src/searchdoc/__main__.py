"""`python -m searchdoc`: the command line."""

from searchdoc.cli import run

if __name__ == "__main__":
    run()
