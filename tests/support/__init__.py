"""Helpers shared by the tests: paths, content fixtures, the local GitHub, Chromium, site
scanning and matching builders. Test modules import from here, never from each other."""
