"""MentorMeMed: content → validated network → site, search files, matches and bot comments.

One sub-package per capability, imports only downwards (each ``__init__`` declares
``DEPENDS_ON``; tests/test_architecture.py holds the code to it)::

    core ← content ← requests, matching, search, demo ← site, bot ← cli, docsgen

See docs/architecture.md.
"""
