"""Federation: reading other networks' public exports (``directory.json``) into reviewed
snapshots (``federation/<peer>.json``) and merging them into this directory.

``download`` (one export over HTTPS, bounded), ``peer_export`` (the published schema of its
major version, then the same text and address rules as local content), ``snapshots`` (the
committed files, written atomically, read back and checked again), ``changes`` (what a new
snapshot adds, removes and changes), ``fetch`` (every peer, keeping the last good snapshot on any
failure), ``merge`` (peers' mentors, namespaced, with their provenance) and ``duplicates`` (the
same person listed by two networks). Imports only ``core`` and ``content``; the site reads the
snapshots through this package.
"""

DEPENDS_ON: tuple[str, ...] = ("core", "content")
