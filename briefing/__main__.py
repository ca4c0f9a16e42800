"""`python -m briefing` runs the command line."""

from .cli import main

main(prog_name="briefing")
