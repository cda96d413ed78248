"""Search: lunr.py builds a catalog and a sharded people index; search.js (lunr.js, in Node)
must return exactly what the Python twin returns on the unsharded indexes."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from benchmarks.queries import QUERIES as BENCH_QUERIES
from generator.content.export import DirectoryExport, PublicMentor, PublicProgram, build_export
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.demo.network import write_network
from generator.search.expansion import EXACT, MAX_EXPANSIONS, PREFIX, TYPO
from generator.search.index import (
    MentorsWith,
    PeopleDocument,
    SearchData,
    build_catalog_index,
    build_people_index,
    catalog_documents,
    fold,
    mentors_with_export,
    query_words,
    search,
    stem,
    tokenize,
    word_expansions,
)
from generator.search.order import ref_order
from generator.search.shards import (
    IDS_FILE,
    TERMS_FILE,
    files_for,
    load_search,
    read_ids,
    read_search_files,
    read_term_files,
    reassemble,
    shard_file,
    term_file,
    term_key,
    term_shards,
    write_search_files,
)
from tests.support.paths import ROOT

NODE = shutil.which("node")
PARITY_SCRIPT = Path(__file__).with_name("search_parity.js")
SEARCH_JS = ROOT / "theme" / "static" / "js" / "search.js"
LUNR_JS = ROOT / "node_modules" / "lunr"


QUERIES = [
    "cardio",
    "cardiology",
    "pediatrcs",
    "Pediatrics!",
    "peds",
    "USMLE",
    "usmle/comlex",
    "COMLEX",
    "José",
    "jose",
    "Núñez",
    "nunez",
    "O'Brien",
    "first gen",
    "first-generation",
    "Spanish",
    "surg",
    "surgery",
    "dermatolgy",
    "infectious disease",
    "board exams",
    "research wellness",
    "Lakeshore",
    "quillfield",
    "latino/a/e",
    "LGBTQ+",
    "med-peds",
    "ob/gyn",
    "ICU",
    "imposter",
    "the",
    "the and of",
    "",
    "   ",
    "a",
    "zzzzqqq",
    "12",
    "Hernández PharmD",
    "emergency medicine",
    "喜欢",
    "résumé",
    "walks mornings",
    "cardio* ~2 ^3 +x -y",
    "pediatrics",
    "usmle",
    "first generation",
    "family medicine spanish",
    "I need a mentor to help with peds",
    "mentor",
    "Quillfield University",
    "Med Peds",
    "psychiatry wellness research",
    "bilingual",
]


def _mentor(mentor_id: str, name: str, **fields: Any) -> PublicMentor:
    data: dict[str, Any] = {
        "id": mentor_id,
        "name": name,
        "program": "quillfield-som",
        "profession": "md",
        "stage": "resident",
        "areas": ["wellness"],
        "languages": ["en"],
        "meeting": ["virtual"],
        "capacity": 2,
        "accepting": True,
        "last_confirmed": "2025-01-01",
        "url": f"https://site.invalid/directory/mentors/{mentor_id}/",
    }
    data.update(fields)
    return PublicMentor.model_validate(data)


@pytest.fixture(scope="module")
def small_export() -> DirectoryExport:
    program = PublicProgram(
        id="quillfield-som",
        name="Quillfield Mentoring Network",
        institution="Quillfield University",
        profession="md",
        state="OR",
        website="https://quillfield.example.edu/",
        maintainers=["mmm-test-coord"],
        description="Fictional.",
        url="https://site.invalid/directory/programs/quillfield-som/",
    )
    mentors = [
        _mentor(
            "cara-heart", "Cara Heart, MD", specialties=["cardiology"], bio="I love **echo** and the ICU."
        ),
        _mentor("pablo-kids", "Pablo Kids, MD", specialties=["pediatrics"], languages=["en", "es"]),
        _mentor("bea-boards", "Bea Boards, DO", areas=["board-exams"], bio="Ask me about USMLE/COMLEX prep."),
        _mentor(
            "jose-nunez", "José Núñez, MD", affinities=["first-generation"], specialties=["general-surgery"]
        ),
        _mentor("olive-obrien", "Olive O'Brien, MD", specialties=["internal-medicine-pediatrics"]),
        _mentor("dee-derm", "Dee Derm, MD", specialties=["dermatology"], bio="Walks in quiet mornings."),
    ]
    labels = {"affinities": {"first-generation": vocabulary().terms["affinities"]["first-generation"].label}}
    return DirectoryExport(
        version=1,
        site="https://site.invalid/directory/",
        vocabulary=labels,
        programs=[program],
        mentors=mentors,
    )


@pytest.fixture(scope="module")
def small_search_dir(small_export: DirectoryExport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small network's search files, with tiny shards so that it has many."""
    search_dir = tmp_path_factory.mktemp("small") / "search"
    write_search_files(search_dir, small_export, vocabulary(), target_bytes=300)
    return search_dir


def _python(search_dir: Path, mentors_with: MentorsWith) -> dict[str, list[str]]:
    data = load_search(search_dir)
    return {q: [ref for ref, _ in search(data, q, mentors_with)] for q in QUERIES}


def test_text_is_folded_and_split_like_the_browser_does() -> None:
    assert tokenize("USMLE/COMLEX") == ["usmle", "comlex"]
    assert tokenize("  José Núñez, M.D. (she/her) ") == ["jose", "nunez", "m.d", "she", "her"]
    assert tokenize("¡Olé! ...  ") == ["ole"]
    assert fold("Zúñiga") == "zuniga"
    assert query_words("the Pediatrics of the ICU") == ["pediatrics", "icu"]


def test_prefix_typo_separator_and_accents(small_export: DirectoryExport, small_search_dir: Path) -> None:
    results = _python(small_search_dir, mentors_with_export(small_export))
    assert results["cardio"] == ["cara-heart"]
    assert results["pediatrcs"][0] == "pablo-kids"
    assert set(results["pediatrcs"]) == {"pablo-kids", "olive-obrien"}  # Internal Medicine-Pediatrics too
    assert results["USMLE"] == ["bea-boards"]  # in the bio as "USMLE/COMLEX", and a synonym of Board exams
    assert results["COMLEX"] == ["bea-boards"]
    assert results["jose"] == results["José"] == ["jose-nunez"]
    assert results["nunez"] == ["jose-nunez"]
    assert results["O'Brien"] == ["olive-obrien"]
    assert results["first gen"] == ["jose-nunez"]  # a public affinity, from the catalog
    assert results["Spanish"] == ["pablo-kids"]  # languages are catalog terms now
    assert results["quillfield"] and len(results["quillfield"]) == 6
    assert results["walks mornings"] == ["dee-derm"]
    assert results["the"] == [] and results[""] == [] and results["zzzzqqq"] == []
    assert results["dermatolgy"] == ["dee-derm"]
    # "peds" is a synonym of Pediatrics, only part of Internal Medicine-Pediatrics' "med-peds"
    assert results["peds"] == ["pablo-kids", "olive-obrien"]
    assert results["Med Peds"][0] == results["med-peds"][0] == "olive-obrien"
    # the vocabulary's search stop words are ignored like lunr's
    assert results["I need a mentor to help with peds"] == results["peds"]
    assert results["mentor"] == []


def _people(*names: str) -> list[PeopleDocument]:
    return [PeopleDocument(name.split()[0].lower(), name, "") for name in names]


def test_every_word_is_preferred_and_half_of_them_required() -> None:
    """Issue 14 (was: every word must match): a mentor matching most words still shows, lower."""
    docs = _people("Ann Alpha", "Ben Beta", "Cal Alpha Beta")
    data = SearchData(build_people_index(docs), [d.id for d in docs], build_catalog_index([]), [])
    none: MentorsWith = lambda p, v: []  # noqa: E731
    assert [r for r, _ in search(data, "ann", none)] == ["ann"]
    # two words: one is enough, both rank first
    assert search(data, "alpha beta", none)[0][0] == "cal"
    assert {r for r, _ in search(data, "alpha beta", none)} == {"ann", "ben", "cal"}
    # three words: two needed; a mentor with one more word ranks above any with fewer
    ranked = search(data, "ann alpha beta", none)
    assert [r for r, _ in ranked] == ["ann", "cal"] or [r for r, _ in ranked] == ["cal", "ann"]
    assert all(score >= 2 for _, score in ranked)
    assert [r for r, _ in search(data, "zzzz qqqq ann", none)] == []
    assert search(data, "ann", none) == search(data, "Ann the ann", none)


def test_a_typo_never_outranks_an_exact_term() -> None:
    """ "pediatrics" does not find "geriatrics" when some mentor has pediatrics; a typo finds it."""
    docs = [PeopleDocument("gia", "Gia Geriatrics", ""), PeopleDocument("pia", "Pia Pediatrics", "")]
    data = SearchData(build_people_index(docs), ["gia", "pia"], build_catalog_index([]), [])
    none: MentorsWith = lambda p, v: []  # noqa: E731
    assert [r for r, _ in search(data, "pediatrics", none)] == ["pia"]
    assert search(data, "pediatrcs", none)[0][0] == "pia"
    only_gia = SearchData(build_people_index(docs[:1]), ["gia"], build_catalog_index([]), [])
    assert [r for r, _ in search(only_gia, "geriatrcs", none)] == ["gia"]
    # typos scale with length: none under 5 letters, one from 5, two from 9
    short = SearchData(build_people_index(_people("Bea Beds")), ["bea"], build_catalog_index([]), [])
    assert search(short, "peds", none) == []
    assert [r for r, _ in search(data, "pedaitrics", none)] == ["pia"]


def test_a_word_matches_by_name_or_by_catalog_and_the_scores_add_up(small_export: DirectoryExport) -> None:
    vocab = vocabulary()
    docs = [PeopleDocument("cara", "Cara Cardiology", ""), PeopleDocument("dee", "Dee Derm", "")]
    entries = catalog_documents(small_export, vocab)
    catalog, refs = build_catalog_index(entries), [e.ref for e in entries]
    data = SearchData(build_people_index(docs), ["cara", "dee"], catalog, refs)
    by_name = search(data, "cardiology", lambda p, v: [])
    no_people = SearchData(build_people_index([]), [], catalog, refs)
    by_catalog = search(no_people, "cardiology", lambda p, v: ["dee"])
    both = search(data, "cardiology", lambda p, v: ["cara"] if (p, v) == ("specialty", "cardiology") else [])
    assert [m for m, _ in by_name] == ["cara"] and [m for m, _ in by_catalog] == ["dee"]
    assert [m for m, _ in both] == ["cara"]

    # a score is matched words + sum / (sum + 1): the sums add up
    def raw(score: float) -> float:
        fraction = score - 1
        return fraction / (1 - fraction)

    assert raw(both[0][1]) == pytest.approx(raw(by_name[0][1]) + raw(by_catalog[0][1]), rel=1e-9)


def test_catalog_holds_terms_and_programs_with_kind_boosts(small_export: DirectoryExport) -> None:
    docs = {d.ref: d for d in catalog_documents(small_export, vocabulary())}
    assert docs["specialty:cardiology"].label == "Cardiology" and docs["specialty:cardiology"].boost == 5
    assert docs["affinity:first-generation"].boost == 4
    assert "USMLE" in docs["area:board-exams"].synonyms and docs["area:board-exams"].boost == 3
    assert docs["language:es"].label == "Spanish" and docs["language:es"].boost == 2
    program = docs["program:quillfield-som"]
    assert (program.label, program.synonyms, program.boost) == (
        "Quillfield Mentoring Network",
        "Quillfield University",
        2,
    )
    assert "specialty:family-medicine" not in docs  # no mentor has it


# --------------------------------------------------------------------------- Node parity


def _having(search_dir: Path, mentors_with: MentorsWith) -> dict[str, list[int]]:
    """What the page's mentorsWith answers search.js: the refs (ascending) having each value."""
    terms, _ = read_search_files(search_dir)
    ref_of = {mentor: ref for ref, mentor in enumerate(read_ids(search_dir))}
    return {
        name: sorted(ref_of[m] for m in mentors_with(*name.split(":", 1))) for name in terms["catalogRefs"]
    }


def _node(
    search_dir: Path,
    queries: Sequence[str],
    having: dict[str, list[int]],
    tmp_path: Path,
    words: Sequence[str] = (),
) -> dict[str, Any]:
    assert NODE, "node is required (Node 20): it runs search.js with lunr.js for the parity test"
    assert (LUNR_JS / "lunr.js").is_file(), "run `npm ci` (make install) first"
    queries_file = tmp_path / "queries.json"
    queries_file.write_text(json.dumps(list(queries), ensure_ascii=False), encoding="utf-8")
    having_file = tmp_path / "having.json"
    having_file.write_text(json.dumps(having, ensure_ascii=False), encoding="utf-8")
    words_file = tmp_path / "words.json"
    words_file.write_text(json.dumps(list(words), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [
            NODE,
            str(PARITY_SCRIPT),
            str(LUNR_JS),
            str(SEARCH_JS),
            str(search_dir),
            str(queries_file),
            str(having_file),
            str(words_file),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _as_refs(found: list[tuple[str, float]], ids: Sequence[str]) -> list[tuple[int, float]]:
    """Python's results (ids, ties by id) as search.js gives them (refs, ties by ref)."""
    ref_of = {mentor: ref for ref, mentor in enumerate(ids)}
    return sorted(((ref_of[m], score) for m, score in found), key=lambda hit: (-hit[1], hit[0]))


def _same(got: list[list[Any]], expected: list[tuple[int, float]], query: str) -> None:
    assert [ref for ref, _ in got] == [ref for ref, _ in expected], query
    for (_, js_score), (_, py_score) in zip(got, expected, strict=True):
        assert js_score == pytest.approx(py_score, rel=1e-9, abs=1e-9), query


def _assert_same(
    search_dir: Path, mentors_with: MentorsWith, tmp_path: Path, extra: Sequence[str] = ()
) -> int:
    """search.js on the shards == search() on the unsharded indexes; returns how many hits."""
    queries = [*QUERIES, *extra]
    data = load_search(search_dir)
    terms, _ = read_search_files(search_dir)
    shard_of = term_shards(search_dir)
    node = _node(search_dir, queries, _having(search_dir, mentors_with), tmp_path)
    assert node["version"] == "2.3.9"
    found = 0
    for query in queries:
        expected = _as_refs(search(data, query, mentors_with), data.ids)
        got = node["fresh"][query]
        assert got["words"] == query_words(query, data.stop_words), query
        _same(got["results"], expected, query)
        _same(node["shared"][query], expected, query)
        _same(node["shared"][query + " (again)"], expected, query)
        _same(node["promised"][query], expected, query)
        _same(node["tight"][query], expected, query)
        keys, needed = files_for(data, shard_of, query_words(query, data.stop_words))
        assert got["read"][0] == TERMS_FILE, query
        expected_files = [term_file(k) for k in keys & set(terms["termFiles"])] + [
            shard_file(n) for n in needed
        ]
        assert sorted(got["read"][1:]) == sorted(expected_files), query
        found += len(expected)
    return found


def _names(export: DirectoryExport, count: int = 3) -> list[str]:
    step = max(len(export.mentors) // count, 1)
    return [export.mentors[i].name for i in range(0, len(export.mentors), step)][:count]


def test_search_js_gives_the_same_results_as_python(
    small_export: DirectoryExport, small_search_dir: Path, tmp_path: Path
) -> None:
    assert _assert_same(small_search_dir, mentors_with_export(small_export), tmp_path) > 20


def _site_export(site: Path) -> DirectoryExport:
    return DirectoryExport.model_validate_json((site / "directory.json").read_text(encoding="utf-8"))


def test_search_js_parity_on_the_built_sites(any_site: Path, tmp_path: Path) -> None:
    export = _site_export(any_site)
    assert _assert_same(any_site / "search", mentors_with_export(export), tmp_path, _names(export)) > 50


@pytest.fixture(scope="module")
def demo_1000(tmp_path_factory: pytest.TempPathFactory) -> tuple[DirectoryExport, Path]:
    """A 1,000-mentor demo network (mentormemed demo-data) and its search files."""
    content = tmp_path_factory.mktemp("demo1000") / "content"
    write_network(content, 1000, 20, seed=5)
    result = validate_content(content)
    result.raise_for_problems()
    vocab = vocabulary()
    export = build_export(result.programs, result.mentors, "https://site.invalid/directory/", vocab)
    search_dir = content.parent / "search"
    write_search_files(search_dir, export, vocab)
    return export, search_dir


@pytest.mark.slow
def test_search_js_parity_on_1000_mentors(demo_1000: tuple[DirectoryExport, Path], tmp_path: Path) -> None:
    export, search_dir = demo_1000
    assert _assert_same(search_dir, mentors_with_export(export), tmp_path, _names(export)) > 1000


#: Queries on the realistic-bios network, each covering a rule (the network's own words:
#: test_the_realistic_queries_cover_the_rules checks that each does what its comment says).
REALISTIC_QUERIES = [
    "re",  # a short prefix: capped at the dozen most frequent completions
    "ca",
    "res",
    "psych",
    "cardio",
    "wellnes",  # one edit (5 to 8 letters)
    "welness",
    "pediatrcis",  # two edits (9 letters or more)
    "pedaitrics",  # a transposition is one edit
    "qellness",  # a typo on the first character: not found, by the rule
    "research",  # exists exactly: no typo expansion
    "hiking",
    "rural",
    "first generation",  # multi-word
    "writing drafts",
    "family medicine spanish",
    "the and of",  # stop words only
    "a mentor for research",
    "émigré",  # non-ASCII
    "São Paulo",
    "Zúñiga",
    "喜欢",
    "immigrant parent",
    "zzzzzz",
]


@pytest.fixture(scope="module")
def realistic() -> Iterator[tuple[DirectoryExport, Path]]:
    """A 400-mentor network with realistic bios (mentormemed demo-data --bios realistic)."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        write_network(content, 400, 12, seed=19, bios="realistic")
        result = validate_content(content)
        result.raise_for_problems()
        vocab = vocabulary()
        export = build_export(result.programs, result.mentors, "https://site.invalid/directory/", vocab)
        search_dir = Path(tmp) / "search"
        write_search_files(search_dir, export, vocab)
        yield export, search_dir


def test_search_js_parity_on_realistic_bios(realistic: tuple[DirectoryExport, Path], tmp_path: Path) -> None:
    """Same refs and scores; each query fetched exactly terms.json, its words' term files and
    the shards of their chosen expansions (_assert_same)."""
    export, search_dir = realistic
    assert (
        _assert_same(search_dir, mentors_with_export(export), tmp_path, [*REALISTIC_QUERIES, *_names(export)])
        > 500
    )


def test_the_realistic_queries_cover_the_rules(realistic: tuple[DirectoryExport, Path]) -> None:
    _, search_dir = realistic
    data = load_search(search_dir)

    def kinds(word: str) -> list[set[str]]:
        return [{e.kind for e in found} for found in word_expansions(data, word)]

    for prefix in ["re", "ca", "res"]:
        people, _ = word_expansions(data, prefix)
        assert len(people) == MAX_EXPANSIONS and PREFIX in {e.kind for e in people}, prefix
    assert kinds("wellnes")[0] == {TYPO} and len("wellnes") < 9
    assert kinds("pediatrcis")[0] == {TYPO} and len("pediatrcis") >= 9
    assert kinds("pedaitrics")[0] == {TYPO}
    assert word_expansions(data, "qellness") == ([], [])  # "wellness" is one edit away, but not the q
    for word in ["research", "hiking", "rural"]:
        people, _ = word_expansions(data, word)
        assert people[0].kind == EXACT and TYPO not in {e.kind for e in people}, word
    assert query_words("the and of", data.stop_words) == []
    assert query_words("émigré São Paulo Zúñiga") == ["emigre", "sao", "paulo", "zuniga"]


def test_a_word_loads_its_first_characters_term_file_and_few_shards(
    realistic: tuple[DirectoryExport, Path], tmp_path: Path
) -> None:
    _, search_dir = realistic
    terms, _ = read_search_files(search_dir)
    assert terms["shardCount"] >= 10 and len(terms["termFiles"]) >= 20
    node = _node(search_dir, ["pediatrics", "research", "re", "qellness", "the"], {}, tmp_path)
    for query in ["pediatrics", "research"]:
        read = node["fresh"][query]["read"]
        assert read[:2] == [TERMS_FILE, term_file(query[0])], (query, read)
        assert len(read) == 3 and read[2].startswith("people/"), (query, read)  # exact: one term, one shard
    read = node["fresh"]["re"]["read"]
    assert read[:2] == [TERMS_FILE, term_file("r")]
    assert 1 <= len(read) - 2 <= 12 and len(read) - 2 < terms["shardCount"] // 2, read
    assert node["fresh"]["qellness"]["read"] == [TERMS_FILE, term_file("q")]  # no expansion: no shard
    assert node["fresh"]["the"]["read"] == [TERMS_FILE]  # a stop word only: no word at all


def test_repeating_the_benchmark_queries_fetches_and_builds_nothing(
    realistic: tuple[DirectoryExport, Path], tmp_path: Path
) -> None:
    """benchmarks/bench_site.py runs its 16 queries, then the same 16 again: the repeats must
    cost no fetch and no per-word index (issue 19: the old cache evicted on repeats)."""
    _, search_dir = realistic
    queries = BENCH_QUERIES
    assert len(queries) == 16
    node = _node(search_dir, queries, {}, tmp_path)
    repeat = node["repeat"]
    assert repeat["first"]["fetches"] > 16 and repeat["first"]["builds"] >= 10, repeat
    assert repeat["again"] == repeat["first"], repeat
    assert repeat["same"], "the repeated queries gave other results"
    # the caches are bounded: with bounds of nothing, the repeats fetch and build again
    tight = node["tightStats"]
    assert tight["again"]["fetches"] - tight["first"]["fetches"] >= 16, tight
    assert tight["again"]["builds"] - tight["first"]["builds"] >= 10, tight


def _mutations(word: str, rng: random.Random) -> list[str]:
    """A word, a prefix of it, and a typo of it (one or two edits, first character kept or not)."""
    out = [word, word[: rng.randint(1, len(word))]]
    typo = list(word)
    for _ in range(rng.choice([1, 2])):
        position = rng.randrange(len(typo))
        kind = rng.choice(["substitute", "delete", "insert", "swap"])
        letter = rng.choice("abcdefghijklmnopqrstuvwxyzé")
        if kind == "substitute":
            typo[position] = letter
        elif kind == "delete" and len(typo) > 1:
            del typo[position]
        elif kind == "insert":
            typo.insert(position, letter)
        elif position + 1 < len(typo):
            typo[position], typo[position + 1] = typo[position + 1], typo[position]
    out.append("".join(typo))
    return out


def test_search_js_expands_words_exactly_like_python(
    realistic: tuple[DirectoryExport, Path], tmp_path: Path
) -> None:
    """The query rules on 600 words of the network's bios, their prefixes and typos: the same
    terms, in the same order, with the same boosts (both tie-breaks included)."""
    export, search_dir = realistic
    data = load_search(search_dir)
    rng = random.Random(19)
    vocabulary_words = sorted(
        {w for m in export.mentors[:80] for w in query_words(m.bio or "", data.stop_words)}
    )
    words = sorted({w for word in rng.sample(vocabulary_words, 200) for w in _mutations(word, rng)})
    words = [w for w in words if query_words(w, data.stop_words) == [w]]
    assert len(words) >= 400
    node = _node(search_dir, [], {}, tmp_path, words)
    kinds: set[str] = set()
    for word in words:
        people, catalog = word_expansions(data, word)
        kinds.update(e.kind for e in [*people, *catalog])
        expected = {
            "people": [[e.term, e.boost] for e in people],
            "catalog": [[e.term, e.boost] for e in catalog],
        }
        assert node["expansions"][word] == expected, word
    assert kinds == {EXACT, PREFIX, TYPO}


#: Words on which lunr.js's stemmer and lunr.py's disagree (a terminal "y"), and short ones.
STEMMER_EDGES = [
    "always",
    "play",
    "plays",
    "played",
    "day",
    "try",
    "tries",
    "sky",
    "bby",
    "boys",
    "ies",
    "eed",
    "a",
    "ab",
]


def test_search_js_stems_query_words_like_lunr_py(
    realistic: tuple[DirectoryExport, Path], tmp_path: Path
) -> None:
    """The index's terms were stemmed by lunr.py, whose Porter stemmer differs from lunr.js's
    on a terminal "y" ("always": "alwai" in lunr.py, "alway" in lunr.js): search.js stems query
    words with its port of lunr.py's, equal on every word of the network's names and bios."""
    from generator.content.render import plain_text

    export, search_dir = realistic
    words = sorted(
        {t for m in export.mentors for t in tokenize(f"{m.name} {plain_text(m.bio)}")} | set(STEMMER_EDGES)
    )
    assert len(words) > 3000
    node = _node(search_dir, [], {}, tmp_path, words)
    wrong = {w: (node["stems"][w], stem(w)) for w in words if node["stems"][w] != stem(w)}
    assert not wrong, wrong
    assert node["stems"]["always"] == "alwai" and node["stems"]["try"] == "try"


def test_usmle_comlex_is_two_words_in_the_browser_too(small_search_dir: Path, tmp_path: Path) -> None:
    node = _node(small_search_dir, ["USMLE/COMLEX", "José Núñez"], {}, tmp_path)
    assert node["fresh"]["USMLE/COMLEX"]["words"] == ["usmle", "comlex"]
    assert node["fresh"]["José Núñez"]["words"] == ["jose", "nunez"]


# --------------------------------------------------------------------------- files


def _full_people_index(export: DirectoryExport) -> dict[str, Any]:
    from generator.search.index import people_documents

    serialized: dict[str, Any] = build_people_index(people_documents(export)).serialize()
    return serialized


@pytest.mark.parametrize("network", ["small", "1000"])
def test_shards_reassemble_to_the_full_people_index(
    network: str,
    small_export: DirectoryExport,
    small_search_dir: Path,
    demo_1000: tuple[DirectoryExport, Path],
) -> None:
    export, search_dir = (small_export, small_search_dir) if network == "small" else demo_1000
    terms, shards = read_search_files(search_dir)
    full = _full_people_index(export)
    assert json.dumps(reassemble(terms, shards, len(export.mentors)), sort_keys=True) == json.dumps(
        full, sort_keys=True
    )
    assert read_ids(search_dir) == [m.id for m in ref_order(export.mentors)]
    assert len(shards) > 1
    # the term files: every people term once, under its first character, with its shard and
    # its document frequency
    files = read_term_files(search_dir)
    assert sorted(t for f in files.values() for t in f["terms"]) == [t for t, _ in full["invertedIndex"]]
    shard_of = term_shards(search_dir)
    for key, payload in files.items():
        assert payload["terms"] == sorted(payload["terms"]) and {term_key(t) for t in payload["terms"]} == {
            key
        }
        for term, number, df in zip(payload["terms"], payload["shard"], payload["df"], strict=True):
            assert term in dict(shards[number]["invertedIndex"]), term
            posting = dict(full["invertedIndex"])[term]
            assert df == len(posting["n"]) + len(posting["b"]), term  # lunr's count, for its idf
    assert len(shard_of) == len(full["invertedIndex"])
    for shard in shards:
        shard_terms = [term for term, _ in shard["invertedIndex"]]
        assert shard_terms and shard_terms == sorted(shard_terms)
        indexes = {posting["_index"] for _, posting in shard["invertedIndex"]}
        for ref, elements in shard["fieldVectors"]:
            assert elements and set(elements[::2]) <= indexes, ref
        assert set(shard) == {"version", "fields", "pipeline", "invertedIndex", "fieldVectors"}
    search_files = sorted(str(p.relative_to(search_dir)) for p in search_dir.rglob("*") if p.is_file())
    assert search_files == sorted(
        [TERMS_FILE, IDS_FILE, *(shard_file(n) for n in range(len(shards))), *(term_file(k) for k in files)]
    )


def test_shards_are_about_the_target_size(demo_1000: tuple[DirectoryExport, Path]) -> None:
    _, search_dir = demo_1000
    sizes = sorted(p.stat().st_size for p in (search_dir / "people").glob("*.json"))
    assert sizes[len(sizes) // 2] < 60_000  # the median; one huge posting can make a shard bigger


def test_rebuilding_removes_stale_shards(small_export: DirectoryExport, tmp_path: Path) -> None:
    search_dir = tmp_path / "search"
    many = write_search_files(search_dir, small_export, vocabulary(), target_bytes=200)
    (search_dir / "index.json").write_text("{}")
    few = write_search_files(search_dir, small_export, vocabulary())
    assert len(few.shard_bytes) < len(many.shard_bytes)
    assert sorted(p.name for p in (search_dir / "people").iterdir()) == [
        f"{n}.json" for n in range(len(few.shard_bytes))
    ]
    assert not (search_dir / "index.json").exists()


def test_terms_json_layout(small_export: DirectoryExport, small_search_dir: Path) -> None:
    terms, _ = read_search_files(small_search_dir)
    assert set(terms) == {
        "version",
        "separator",
        "fields",
        "pipeline",
        "catalog",
        "catalogRefs",
        "stopWords",
        "exact",
        "termFiles",
        "shardCount",
    }  # no per-mentor data (ids, programs of mentors), no people term
    assert terms["fields"] == ["n", "b"] and terms["pipeline"] == ["stemmer"]
    assert "program:quillfield-som" in terms["catalogRefs"]
    assert terms["catalogRefs"][0].startswith("affinity:")  # in facet-group order


def test_a_network_without_mentors(small_export: DirectoryExport, tmp_path: Path) -> None:
    empty = small_export.model_copy(update={"mentors": [], "vocabulary": {}})
    files = write_search_files(tmp_path / "search", empty, vocabulary())
    assert files.shard_bytes == []
    data = load_search(tmp_path / "search")
    assert data.ids == [] and data.catalog_refs == []
    assert search(data, "cardiology", mentors_with_export(empty)) == []
    node = _node(tmp_path / "search", ["cardiology", "zz"], {}, tmp_path)
    assert node["fresh"]["cardiology"] == {"words": ["cardiology"], "results": [], "read": [TERMS_FILE]}
