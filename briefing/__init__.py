"""briefing: typeset a hearing report's topics as printable PDF briefing sheets and packs."""

__version__ = "0.1.0"
