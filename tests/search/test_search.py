"""Search: lunr.py builds a catalog and a sharded people index; search.js (lunr.js, in Node)
must return exactly what the Python twin returns on the unsharded indexes."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from generator.content.export import DirectoryExport, PublicMentor, PublicProgram, build_export
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.demo.network import write_network
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
    tokenize,
)
from generator.search.order import ref_order
from generator.search.shards import (
    TERMS_FILE,
    load_search,
    read_search_files,
    reassemble,
    shard_file,
    shards_for,
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


def _having(search_dir: Path, mentors_with: MentorsWith) -> dict[str, list[str]]:
    terms, _ = read_search_files(search_dir)
    return {ref: list(mentors_with(*ref.split(":", 1))) for ref in terms["catalogRefs"]}


def _node(
    search_dir: Path, queries: Sequence[str], having: dict[str, list[str]], tmp_path: Path
) -> dict[str, Any]:
    assert NODE, "node is required (Node 20): it runs search.js with lunr.js for the parity test"
    assert (LUNR_JS / "lunr.js").is_file(), "run `npm ci` (make install) first"
    queries_file = tmp_path / "queries.json"
    queries_file.write_text(json.dumps(list(queries), ensure_ascii=False), encoding="utf-8")
    having_file = tmp_path / "having.json"
    having_file.write_text(json.dumps(having, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [
            NODE,
            str(PARITY_SCRIPT),
            str(LUNR_JS),
            str(SEARCH_JS),
            str(search_dir),
            str(queries_file),
            str(having_file),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _same(got: list[list[Any]], expected: list[tuple[str, float]], query: str) -> None:
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
    node = _node(search_dir, queries, _having(search_dir, mentors_with), tmp_path)
    assert node["version"] == "2.3.9"
    found = 0
    for query in queries:
        expected = search(data, query, mentors_with)
        got = node["fresh"][query]
        assert got["words"] == query_words(query, data.stop_words), query
        _same(got["results"], expected, query)
        _same(node["shared"][query], expected, query)
        _same(node["shared"][query + " (again)"], expected, query)
        _same(node["noProgram"][query], expected, query)
        needed = shards_for(data, terms["shards"], query_words(query, data.stop_words))
        assert got["read"][0] == TERMS_FILE, query
        assert sorted(got["read"][1:]) == sorted(shard_file(n) for n in needed), query
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


def test_one_word_reads_only_the_shards_it_needs(
    demo_1000: tuple[DirectoryExport, Path], tmp_path: Path
) -> None:
    _, search_dir = demo_1000
    terms, _ = read_search_files(search_dir)
    assert len(terms["shards"]) >= 5
    node = _node(search_dir, ["pediatrics", "usmle", "zzzzqqq", "the"], {}, tmp_path)
    for query in ["pediatrics", "usmle"]:
        read = node["fresh"][query]["read"]
        assert read[0] == TERMS_FILE and 1 <= len(read) - 1 < len(terms["shards"]), (query, read)
    assert node["fresh"]["zzzzqqq"]["read"] == [TERMS_FILE]  # no expansion: no shard
    assert node["fresh"]["the"]["read"] == [TERMS_FILE]  # a stop word only: no word at all


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
    assert json.dumps(reassemble(terms, shards), sort_keys=True) == json.dumps(full, sort_keys=True)
    assert terms["terms"] == [term for term, _ in full["invertedIndex"]]
    assert terms["ids"] == [m.id for m in ref_order(export.mentors)]
    assert len(shards) > 1
    for number, shard in enumerate(shards):
        shard_terms = [term for term, _ in shard["invertedIndex"]]
        assert shard_terms and shard_terms == sorted(shard_terms)
        assert shard_terms[0] == terms["shards"][number]
        indexes = {posting["_index"] for _, posting in shard["invertedIndex"]}
        for ref, elements in shard["fieldVectors"]:
            assert elements and set(elements[::2]) <= indexes, ref
        assert set(shard) == {"version", "fields", "pipeline", "invertedIndex", "fieldVectors"}
    search_files = sorted(str(p.relative_to(search_dir)) for p in search_dir.rglob("*") if p.is_file())
    assert search_files == sorted([TERMS_FILE, *(shard_file(n) for n in range(len(shards)))])


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
        "ids",
        "fields",
        "pipeline",
        "terms",
        "shards",
        "catalog",
        "catalogRefs",
        "programOf",
        "stopWords",
        "exact",
    }
    assert terms["fields"] == ["n", "b"] and terms["pipeline"] == ["stemmer"]
    assert len(terms["programOf"]) == len(terms["ids"])
    assert {terms["catalogRefs"][n] for n in terms["programOf"]} == {"program:quillfield-som"}
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
