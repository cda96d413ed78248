"""Search: lunr.py builds the index, lunr.js (in Node) must return the same results for it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.export import DirectoryExport, PublicMentor, PublicProgram
from generator.search_index import (
    build_index,
    documents,
    fold,
    index_payload,
    load_index,
    query_words,
    search,
    tokenize,
)
from generator.vocabulary import vocabulary

from ..conftest import ROOT

NODE = shutil.which("node")
PARITY_SCRIPT = Path(__file__).with_name("lunr_parity.js")
APP_JS = ROOT / "theme" / "static" / "js" / "directory.js"
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
    return DirectoryExport(
        version=1, site="https://site.invalid/directory/", vocabulary={}, programs=[program], mentors=mentors
    )


@pytest.fixture(scope="module")
def small_index_file(small_export: DirectoryExport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    payload = index_payload(build_index(documents(small_export, vocabulary())))
    path = tmp_path_factory.mktemp("index") / "index.json"
    path.write_text(json.dumps(payload))
    return path


def _python(index_file: Path) -> dict[str, list[str]]:
    index = load_index(json.loads(index_file.read_text(encoding="utf-8")))
    return {q: [ref for ref, _ in search(index, q)] for q in QUERIES}


def test_text_is_folded_and_split_like_the_browser_does() -> None:
    assert tokenize("USMLE/COMLEX") == ["usmle", "comlex"]
    assert tokenize("  José Núñez, M.D. (she/her) ") == ["jose", "nunez", "m.d", "she", "her"]
    assert fold("Zúñiga") == "zuniga"
    assert query_words("the Pediatrics of the ICU") == ["pediatrics", "icu"]


def test_prefix_typo_separator_and_accents(small_index_file: Path) -> None:
    results = _python(small_index_file)
    assert results["cardio"] == ["cara-heart"]
    assert results["pediatrcs"][0] == "pablo-kids"
    assert set(results["pediatrcs"]) == {"pablo-kids", "olive-obrien"}  # Internal Medicine-Pediatrics too
    assert results["USMLE"] == ["bea-boards"]  # in the bio as "USMLE/COMLEX", and a synonym of Board exams
    assert results["COMLEX"] == ["bea-boards"]
    assert results["jose"] == results["José"] == ["jose-nunez"]
    assert results["nunez"] == ["jose-nunez"]
    assert results["O'Brien"] == ["olive-obrien"]
    assert results["Spanish"] == []  # languages are a filter, not search text
    assert results["quillfield"] and len(results["quillfield"]) == 6
    assert results["walks mornings"] == ["dee-derm"]
    assert results["the"] == [] and results[""] == [] and results["zzzzqqq"] == []
    assert results["dermatolgy"] == ["dee-derm"]


def test_every_word_must_match() -> None:
    index = load_index(
        index_payload(build_index([_doc("a", "Ann Alpha", "cardiology"), _doc("b", "Ben", "x")]))
    )
    assert [r for r, _ in search(index, "ann")] == ["a"]
    assert search(index, "ann ben") == []


def _doc(ref: str, name: str, specialty: str) -> dict[str, str]:
    fields = ["specialties", "affinities", "areas", "program", "institution", "bio"]
    return {"id": ref, "name": name, **dict.fromkeys(fields, "")} | {"specialties": specialty}


def _node(index_file: Path, tmp_path: Path) -> dict[str, Any]:
    assert NODE, "node is required (Node 20): it runs lunr.js for the parity test"
    assert (LUNR_JS / "lunr.js").is_file(), "run `npm ci` (make install) first"
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps(QUERIES, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [NODE, str(PARITY_SCRIPT), str(LUNR_JS), str(APP_JS), str(index_file), str(queries)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _assert_same(index_file: Path, tmp_path: Path) -> int:
    index = load_index(json.loads(index_file.read_text(encoding="utf-8")))
    node = _node(index_file, tmp_path)
    found = 0
    for query in QUERIES:
        expected = search(index, query)
        got = node[query]
        assert got["version"] == "2.3.9"
        assert got["words"] == query_words(query), query
        assert [ref for ref, _ in got["results"]] == [ref for ref, _ in expected], query
        for (_, js_score), (_, py_score) in zip(got["results"], expected, strict=True):
            assert js_score == pytest.approx(py_score, rel=1e-9), query
        found += len(expected)
    return found


def test_lunr_js_gives_the_same_results_as_lunr_py(small_index_file: Path, tmp_path: Path) -> None:
    assert _assert_same(small_index_file, tmp_path) > 20


def test_lunr_js_parity_on_the_built_sites(any_site: Path, tmp_path: Path) -> None:
    assert _assert_same(any_site / "search" / "index.json", tmp_path) > 50
