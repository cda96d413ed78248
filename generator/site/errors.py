"""The error of a site build that cannot finish."""


class SiteBuildError(Exception):
    """The site could not be built (a missing asset, a broken template…), with the fix."""
