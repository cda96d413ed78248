"""The fixed query set of the search latency figure (bench_site.py runs each, then each again),
also read by bench_search_files.py and tests/search/test_search.py: words from the demo bios and
the vocabulary, prefixes, two-word queries and a miss. Plain data, so importing it starts nothing."""

QUERIES = [
    "pediatrics",
    "surgery",
    "usmle",
    "first generation",
    "research",
    "radiology",
    "wellness",
    "psych",
    "rural",
    "interview",
    "family medicine",
    "parent",
    "zzzzzz",
    "writing drafts",
    "immigrant",
    "cardio",
]
