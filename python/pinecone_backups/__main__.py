"""``python -m pinecone_backups`` and the ``pinecone-backups`` command (whose entry point is
``pinecone_backups.__main__:main``): the command line lives in :mod:`pinecone_backups.cli`."""

from pinecone_backups.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    import sys

    sys.exit(main())
