"""Foundations every other package may use: where the project is (paths), site defaults, the build
cache, forked parallel work and the typed problem reports. Imports nothing of the generator."""

DEPENDS_ON: tuple[str, ...] = ()
