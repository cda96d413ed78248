"""The match page's packed data (issue 19): ``match/mentors.json`` and ``match/names/<k>.json``
decode, in Python and with the page's ``match-data.js``, to exactly the unpacked payload; the
main file holds no id and no name (mentors are numbered by rank)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.content.export import build_export
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.site.match_pack import (
    NAMES_PER_FILE,
    MatchPackError,
    derived_id,
    pack_match_mentors,
    unpack_match_mentors,
)
from generator.site.match_payload import LIST_FIELDS, MATCHER_MENTOR_FIELDS, match_mentors_payload
from tests.support.paths import ROOT

NODE = shutil.which("node")
MATCH_DATA_JS = ROOT / "theme" / "static" / "js" / "match-data.js"
DECODE = """
const matchData = require(process.argv[1]);
const files = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const decoded = matchData.decode(files.main);
const ranked = decoded.mentors.every((m, rank) => m.id === rank && m.name === null);
const people = matchData.people(decoded.mentors.length);
files.names.forEach((file, k) => matchData.setNames(people, k, decoded.perFile, file));
const mentors = matchData.withIds(decoded.mentors, people.ids);
mentors.forEach((m, rank) => { m.name = people.names[rank]; });
const needed = matchData.namesFiles([0, decoded.perFile + 1, 1, 2 * decoded.perFile], decoded.perFile);
const errors = files.broken.map((main) => {
  try { matchData.decode(main); return null; } catch (e) { return e.message; }
});
console.log(JSON.stringify({ ranked, mentors, decoded, needed, errors }));
"""


@pytest.fixture(scope="module")
def payload() -> dict[str, Any]:
    """The sample network, a stale mentor left out, many more mentors (several names files),
    and a peer network's mentor (issue 18)."""
    result = validate_content(ROOT / "content")
    export = build_export(result.programs, result.mentors, "https://site.invalid/", vocabulary())
    first = export.mentors[0]
    # half of the clones' ids are not what their names give (written out), half are (null)
    clones = [
        first.model_copy(
            update={
                "id": f"clone-{i:03d}" if i % 2 else f"clone-numero-{i}",
                "name": f"Clone Número {i}, MD",
                "state": None,
            }
        )
        for i in range(2 * NAMES_PER_FILE + 7)
    ]
    peer = first.model_copy(update={"id": "river--ana-peer", "name": "Ana Peer", "timezone": None})
    export = export.model_copy(update={"mentors": [*export.mentors, *clones, peer]})
    data = match_mentors_payload(export, excluded={export.mentors[1].id}, networks={"river": "River Network"})
    assert len(data["mentors"]) == len(export.mentors) - 1
    return data


def test_the_payload_is_in_the_matchers_order(payload: dict[str, Any]) -> None:
    """By id (the matcher's order), each list field sorted: the matcher reads them as sets."""
    ids = [m["id"] for m in payload["mentors"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for m in payload["mentors"]:
        assert all(m[f] == sorted(set(m[f])) for f in LIST_FIELDS)
    assert any(len(m["areas"]) > 1 for m in payload["mentors"])


def test_python_decode_is_the_unpacked_payload(payload: dict[str, Any]) -> None:
    main, names, ids = pack_match_mentors(payload)
    assert len(names) == 3 and all(len(n["ids"]) == len(n["names"]) <= NAMES_PER_FILE for n in names)
    assert unpack_match_mentors(json.loads(json.dumps(main)), lambda k: names[k]) == payload
    assert ids == [m["id"] for m in payload["mentors"]]
    written: list[str | None] = [i for n in names for i in n["ids"]]
    named = [n for file in names for n in file["names"]]
    assert [derived_id(n) if w is None else w for w, n in zip(written, named, strict=True)] == ids
    # an id is written only where the name does not give it
    assert [w for w in written if w is not None] == [
        i for i, n in zip(ids, named, strict=True) if derived_id(n) != i
    ]
    assert (
        written.count(None) > len(written) / 2 and "clone-001" in written and "clone-numero-2" not in written
    )
    assert main["networks"] == {"river": "River Network"} and main["count"] == len(ids)
    text = json.dumps(main, ensure_ascii=False)
    assert "Clone Número" not in text  # names only in the names files
    assert not any(f'"{i}"' in text for i in ids)  # and ids
    assert set(payload["mentors"][0]) == set(MATCHER_MENTOR_FIELDS)


def test_any_order_packs_the_same(payload: dict[str, Any]) -> None:
    """The packer sorts: mentors in another order, lists in another order, the same files."""
    shuffled = json.loads(json.dumps(payload))
    random.Random(19).shuffle(shuffled["mentors"])
    for m in shuffled["mentors"]:
        for f in LIST_FIELDS:
            m[f] = m[f][::-1]
    assert pack_match_mentors(shuffled) == pack_match_mentors(payload)


def test_gaps_of_any_length_round_trip() -> None:
    """Rows far apart (gaps of several base-32 digits) and a value every mentor has."""
    base = {"program": "p", "profession": "md", "stage": "ms1", "state": None, "timezone": None}
    mentors = [
        {
            **base,
            "id": f"m-{i:05d}",
            "name": f"M {i}",
            "program": f"p{i % 3}",
            "capacity": i % 4,
            "accepting": i % 5 > 0,
            "specialties": ["far"] if i in (0, 40, 2000, 33000) else [],
            "areas": ["all"],
            "affinities": [],
            "languages": ["en", "es"] if i % 7 == 0 else ["en"],
            "meeting": [],
        }
        for i in range(33001)
    ]
    payload = {"version": 1, "vocabulary": {}, "mentors": mentors}
    main, names, _ = pack_match_mentors(payload)
    assert main["columns"]["specialties"]["values"] == ["far"]
    assert len(main["columns"]["specialties"]["rows"][0]) > 4  # 4 rows: some gaps take 2+ digits
    assert unpack_match_mentors(json.loads(json.dumps(main)), lambda k: names[k]) == payload


def _broken_files(main: dict[str, Any]) -> list[dict[str, Any]]:
    """Copies of ``main`` each broken one way: a cut scalar column, a cut gap, a stray
    character, a row past the last mentor, another format."""
    broken = []
    for change in ("scalar", "gap", "stray", "past", "format"):
        copy = json.loads(json.dumps(main))
        columns = copy["columns"]
        if change == "scalar":
            columns["stage"]["data"] = columns["stage"]["data"][:-1]
        elif change == "gap":
            columns["areas"]["rows"][0] += "W"  # a digit that says more follow, then nothing
        elif change == "stray":
            columns["areas"]["rows"][0] = "*" + columns["areas"]["rows"][0]
        elif change == "past":
            columns["areas"]["rows"][0] += "V" * 40  # 40 gaps of 31 rows: past the last mentor
        else:
            copy["format"] = 2
        broken.append(copy)
    return broken


def _run_with_match_data(script: str, data: Any, tmp_path: Path) -> Any:
    """What ``script`` prints (JSON), run by Node with the page's match-data.js's path and a
    file holding ``data`` as its arguments."""
    assert NODE, "node is required: it runs the page's match-data.js"
    given = tmp_path / "data.json"
    given.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [NODE, "-e", script, str(MATCH_DATA_JS), str(given)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_pages_decoder_gives_the_same_mentors(payload: dict[str, Any], tmp_path: Path) -> None:
    main, names, _ = pack_match_mentors(payload)
    out = _run_with_match_data(
        DECODE, {"main": main, "names": names, "broken": _broken_files(main)}, tmp_path
    )
    assert out["ranked"] is True  # numbered by rank, no name until its file is loaded
    assert out["mentors"] == payload["mentors"]
    assert out["decoded"]["networks"] == payload["networks"]
    assert out["decoded"]["vocabulary"] == payload["vocabulary"]
    assert out["needed"] == [0, 1, 2]
    assert all(out["errors"]), f"a broken file decoded: {out['errors']}"
    assert "format" in out["errors"][-1]


#: Names and the ids they give (None: none, the id is written out), in Python and in the page.
NAMES = {
    "Grace Whitfield, MD": "grace-whitfield",
    "Héctor Galván, MD": "hector-galvan",
    "Miguel Ángel Herrera, DDS": "miguel-angel-herrera",
    "Nguyễn Thị Ánh, MD": "nguyen-thi-anh",
    "Renée O'Connor-Díaz, PhD, MPH": "renee-o-connor-diaz",
    "  Dr. Ana   Peña  ": "dr-ana-pena",
    "İlkay Çelik": "ilkay-celik",
    "Søren Åberg, MD": "s-ren-aberg",
    "Łucja Wróbel": "ucja-wrobel",
    "Straße Groß": "stra-e-gro",
    "ǅemal Džeko": "dzemal-dzeko",
    "Æsa Ðorđević": "sa-or-evic",
    "Zoë ﬁeld": None,  # the ligature is outside Unicode 1.1's Latin ranges
    "Σοφία Παππά": None,
    "Αlex (Greek capital alpha)": None,
    "李 Wei": None,
    "Amara 🌱 Obi": None,
    "Kofi\u0301 Mensah": None,  # a combining accent written apart
    "---, MD": None,
    "": None,
}


def test_a_name_gives_an_id_the_same_way_in_python_and_in_the_page(tmp_path: Path) -> None:
    assert {n: derived_id(n) for n in NAMES} == NAMES
    script = (
        "const m = require(process.argv[1]);"
        "const names = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));"
        "console.log(JSON.stringify(names.map((n) => m.derivedId(n))));"
    )
    assert _run_with_match_data(script, list(NAMES), tmp_path) == list(NAMES.values())


def test_a_broken_file_is_refused_with_a_reason(payload: dict[str, Any]) -> None:
    main, names, _ = pack_match_mentors(payload)
    reasons = ["'stage' has", "'areas' ends early", "'areas' has '*'", "'areas' gives", "format 2"]
    for broken, reason in zip(_broken_files(main), reasons, strict=True):
        with pytest.raises(MatchPackError, match=reason):
            unpack_match_mentors(broken, lambda k: names[k])
    with pytest.raises(MatchPackError, match="ids in match/names"):
        unpack_match_mentors(main, lambda k: {"ids": names[k]["ids"][1:], "names": names[k]["names"][1:]})
    with pytest.raises(MatchPackError, match="one name per id"):
        unpack_match_mentors(main, lambda k: {"ids": names[k]["ids"], "names": names[k]["names"][1:]})
    with pytest.raises(MatchPackError, match="gives no id for 'Σοφία'"):
        unpack_match_mentors(
            main, lambda k: {"ids": [None] * len(names[k]["ids"]), "names": ["Σοφία"] * len(names[k]["ids"])}
        )
    twice = json.loads(json.dumps(payload))
    twice["mentors"].append(twice["mentors"][0])
    with pytest.raises(MatchPackError, match="twice"):
        pack_match_mentors(twice)
