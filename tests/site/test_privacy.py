"""Nothing private reaches the output: not in HTML, JSON, the search index or a filter count."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content.export import UNPUBLISHED_MENTOR_FIELDS, PublicContact, PublicMentor
from generator.content.models import Contact, Mentor
from generator.content.vocabulary import vocabulary
from generator.search.index import index_terms, mentors_with_export, search
from generator.search.shards import load_search
from generator.site.build import build
from tests.support.htmlscan import parse
from tests.support.paths import BASE_NETWORK
from tests.support.site import REPOSITORY_URL, SITE_URL

#: Affinities that only ever appear in private_affinities in this network.
PRIVATE_ONLY = ["sikh", "daca", "tcu-alumni"]


def _orcid(body: str) -> str:
    """A valid ORCID iD from 15 digits (ISO 7064 11,2 check digit)."""
    total = 0
    for digit in body:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    digits = body + ("X" if check == 10 else str(check))
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


ORCIDS = [_orcid("000000031415926"), _orcid("000000027182818"), _orcid("000000016180339")]


def _mentor(
    mentor_id: str, name: str, public: list[str], private: list[str], orcid: str
) -> dict[str, object]:
    return {
        "id": mentor_id,
        "name": name,
        "program": "quillfield-som",
        "profession": "md",
        "stage": "resident",
        "specialties": ["family-medicine"],
        "areas": ["wellness"],
        "affinities": public,
        "private_affinities": private,
        "languages": ["en"],
        "meeting": ["virtual"],
        "capacity": 2,
        "accepting": True,
        "contact": {"github": f"mmm-test-{mentor_id}", "orcid": orcid},
        "bio": "I like long walks and quiet mornings.",
        "last_confirmed": "2025-01-15",
    }


@pytest.fixture(scope="module")
def private_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("private") / "content"
    (content / "programs").mkdir(parents=True)
    shutil.copy(BASE_NETWORK, content / "network.yml")
    (content / "mentors" / "quillfield-som").mkdir(parents=True)
    program = {
        "id": "quillfield-som",
        "name": "Quillfield Mentoring Network",
        "institution": "Quillfield University",
        "profession": "md",
        "state": "OR",
        "website": "https://quillfield.example.edu/mentoring",
        "maintainers": ["mmm-test-quillfield-coord"],
        "description": "A fictional program for the privacy test.",
    }
    (content / "programs" / "quillfield-som.yml").write_text(yaml.safe_dump(program))
    mentors = [
        _mentor(
            "ora-testperson", "Ora Testperson", ["first-generation", "lgbtq"], ["sikh", "daca"], ORCIDS[0]
        ),
        _mentor("pim-testperson", "Pim Testperson", ["first-generation"], ["lgbtq", "tcu-alumni"], ORCIDS[1]),
        _mentor("quin-testperson", "Quin Testperson", [], ["sikh"], ORCIDS[2]),
    ]
    for mentor in mentors:
        path = content / "mentors" / "quillfield-som" / f"{mentor['id']}.yml"
        path.write_text(yaml.safe_dump(mentor, sort_keys=False))
    output = tmp_path_factory.mktemp("private-site") / "output"
    build(content, output, site_url=SITE_URL, repository_url=REPOSITORY_URL)
    return output


def _secrets() -> list[str]:
    vocab = vocabulary()
    words = list(ORCIDS)
    for affinity in PRIVATE_ONLY:
        term = vocab.terms["affinities"][affinity]
        words += [term.id, term.label, *term.synonyms]
    return words


def test_no_private_value_in_any_output_byte(private_site: Path) -> None:
    files = [p for p in private_site.rglob("*") if p.is_file()]
    assert len(files) > 10
    secrets = [s.lower().encode() for s in _secrets()]
    for file in files:
        data = file.read_bytes().lower()
        for secret in secrets:
            assert secret not in data, f"{secret!r} found in {file.relative_to(private_site)}"


def test_public_values_are_there(private_site: Path) -> None:
    """The test above would pass on an empty site: check the public side is published."""
    page = (private_site / "mentors" / "ora-testperson" / "index.html").read_text(encoding="utf-8")
    assert "LGBTQ+" in page and "First-generation college" in page
    assert "mmm-test-ora-testperson" in (private_site / "directory.json").read_text(encoding="utf-8")


def test_filter_counts_do_not_count_private_affinities(private_site: Path) -> None:
    """Pim's private lgbtq must not turn the public LGBTQ+ count from 1 into 2."""
    directory = parse(private_site, private_site / "directory" / "index.html")
    labels = "".join(directory.text)
    assert "LGBTQ+ (1)" in " ".join(labels.split())
    assert "First-generation college (2)" in " ".join(labels.split())
    from generator.search.facets import load_facet_files

    facets = load_facet_files(private_site / "search")
    affinity = next(g for g in facets.meta["groups"] if g["param"] == "affinity")
    assert facets.meta["version"] == 3
    assert affinity["values"] == ["first-generation", "lgbtq"]
    assert affinity["labels"] == ["First-generation college", "LGBTQ+"]
    position = affinity["values"].index("lgbtq")
    having = [facets.cards[ref][0] for ref in facets.postings["affinity"][position]]
    assert having == ["ora-testperson"]
    card_group = facets.meta["cardGroups"].index("affinity")
    cards = {row[0]: row for row in facets.cards}
    assert cards["quin-testperson"][4][card_group] == []  # private affinities only: none published


def test_search_index_finds_public_affinities_only(private_site: Path) -> None:
    from generator.content.export import DirectoryExport

    export_file = private_site / "directory.json"
    export = DirectoryExport.model_validate_json(export_file.read_text(encoding="utf-8"))
    data = load_search(private_site / "search")
    mentors_with = mentors_with_export(export)
    queer = search(data, "queer", mentors_with)  # a synonym of LGBTQ+
    assert [ref for ref, _ in queer] == ["ora-testperson"]
    assert search(data, "Dreamer", mentors_with) == []
    assert search(data, "sikhism", mentors_with) == []


def test_search_files_name_no_private_affinity(private_site: Path) -> None:
    """terms.json (catalog), every term file and every shard: no private-only affinity id,
    label or synonym."""
    search_dir = private_site / "search"
    files = [
        search_dir / "terms.json",
        *sorted((search_dir / "terms").glob("*.json")),
        *sorted((search_dir / "people").glob("*.json")),
    ]
    assert len(files) >= 3
    assert len(files) >= 2
    refs = json.loads(files[0].read_text(encoding="utf-8"))["catalogRefs"]
    assert {r for r in refs if r.startswith("affinity:")} == {"affinity:first-generation", "affinity:lgbtq"}
    vocab = vocabulary()
    for file in files:
        text = file.read_text(encoding="utf-8").lower()
        for affinity in PRIVATE_ONLY:
            term = vocab.terms["affinities"][affinity]
            for secret in [term.id, term.label, *term.synonyms]:
                assert secret.lower() not in text, f"{secret!r} in {file.name}"
        public = {t for a in ("first-generation", "lgbtq") for t in _words(vocab.terms["affinities"][a])}
        for word in {t for a in PRIVATE_ONLY for t in _words(vocab.terms["affinities"][a])} - public:
            assert f'"{word}"' not in text, f"the term {word!r} in {file.name}"


def _words(term: Any) -> list[str]:
    """The index terms (stemmed tokens) of a vocabulary term's label and synonyms."""
    return [w for text in [term.label, *term.synonyms] for w in index_terms(text) if len(w) > 3]


def test_every_mentor_field_is_either_published_or_listed_private() -> None:
    """A new field in the model must be decided on: published (copied) or private."""
    public = set(PublicMentor.model_fields) - {"url"}
    private = {f for f in UNPUBLISHED_MENTOR_FIELDS if "." not in f}
    assert set(Mentor.model_fields) == public | private
    assert not public & private
    contact_private = {f.split(".", 1)[1] for f in UNPUBLISHED_MENTOR_FIELDS if f.startswith("contact.")}
    assert set(Contact.model_fields) == set(PublicContact.model_fields) | contact_private
