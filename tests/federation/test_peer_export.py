"""A peer's export is untrusted input: the published schema of its major version, then the
same text, address and vocabulary rules as local content, on every field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from generator.content.export import DirectoryExport, export_json
from generator.content.peers import Peer
from generator.federation.errors import ExportRefused
from generator.federation.peer_export import check_export, major_version, read_export
from tests.support.peers import peer_entry

PEER = Peer.model_validate(peer_entry("river", "River Network"))


def _data(export: DirectoryExport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(export_json(export))
    return data


def test_a_demo_export_is_read_back_unchanged(river_export: DirectoryExport) -> None:
    assert read_export(export_json(river_export).encode(), PEER) == river_export


@pytest.mark.parametrize(
    ("value", "major"), [(1, 1), ("1", 1), ("1.4", 1), ("2.0", 2), (True, None), ("x", None)]
)
def test_the_major_version(value: Any, major: int | None) -> None:
    assert major_version(value) == major


def test_a_minor_version_with_new_fields_is_read_and_the_new_fields_dropped(
    river_export: DirectoryExport,
) -> None:
    data = _data(river_export)
    data["version"] = "1.3"
    data["generated_by"] = "a newer mentormemed"
    data["mentors"][0]["office_hours"] = "Tuesdays"
    with_contact = next(m for m in data["mentors"] if m["contact"])
    with_contact["contact"]["mastodon"] = "@x@example.social"
    data["programs"][0]["logo"] = "https://river.invalid/logo.png"
    export = check_export(data, PEER)
    assert export.version == 1
    assert export.mentors == river_export.mentors and export.programs == river_export.programs
    assert "office_hours" not in export.mentors[0].model_dump_json()


def test_another_major_version_is_refused_with_what_to_do(river_export: DirectoryExport) -> None:
    data = _data(river_export)
    data["version"] = 2
    with pytest.raises(ExportRefused) as caught:
        check_export(data, PEER)
    message = caught.value.message
    assert "version 2 of directory.json" in message and "expects version 1" in message
    assert "update export_version" in message


def test_a_truncated_export_is_refused(river_export: DirectoryExport) -> None:
    raw = export_json(river_export).encode()
    with pytest.raises(ExportRefused, match=r"not complete JSON .* cut off"):
        read_export(raw[: len(raw) // 2], PEER)


@pytest.mark.parametrize("raw", [b"\xff\xfe{}", b"[1, 2]", b"[" * 100_000, b'{"mentors": []}'])
def test_what_is_not_an_export_is_refused(raw: bytes) -> None:
    with pytest.raises(ExportRefused):
        read_export(raw, PEER)


def test_a_field_of_the_wrong_type_fails_the_published_schema(river_export: DirectoryExport) -> None:
    data = _data(river_export)
    data["mentors"][3]["capacity"] = "three"
    with pytest.raises(ExportRefused, match="published schema of version 1") as caught:
        check_export(data, PEER)
    assert any(d.startswith("mentors/3/capacity") for d in caught.value.details)


HOSTILE = [
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "ana.example@example.com",
    "Ana\u202eelpmaxE",
    "x\x00y",
    "http://not-https.invalid/",
    "[click](data:text/html,hi)",
    "&#60;img src=x&#62;",
]

#: every field of a mentor and a program, with where its value sits (a list's first item)
MENTOR_FIELDS = [
    ("id",),
    ("name",),
    ("pronouns",),
    ("title",),
    ("program",),
    ("profession",),
    ("stage",),
    ("degrees", 0),
    ("specialties", 0),
    ("areas", 0),
    ("affinities", 0),
    ("languages", 0),
    ("meeting", 0),
    ("state",),
    ("timezone",),
    ("contact", "github"),
    ("contact", "url"),
    ("bio",),
    ("last_confirmed",),
    ("url",),
]
PROGRAM_FIELDS = [
    ("id",),
    ("name",),
    ("institution",),
    ("profession",),
    ("state",),
    ("website",),
    ("maintainers", 0),
    ("description",),
    ("url",),
]


def _put(record: dict[str, Any], path: tuple[str | int, ...], value: str) -> None:
    """Set the value at ``path`` (a field, a nested field, or a list's first item)."""
    field = str(path[0])
    if len(path) == 1:
        record[field] = value
    elif isinstance(path[1], int):
        record[field] = [value, *(record.get(field) or [])[1:]]
    else:
        record[field] = {**(record.get(field) or {}), str(path[1]): value}


@pytest.mark.parametrize("path", MENTOR_FIELDS, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize("hostile", HOSTILE[:4], ids=["html", "javascript", "email", "bidi"])
def test_a_hostile_string_in_any_mentor_field_refuses_the_export(
    river_export: DirectoryExport, path: tuple[str | int, ...], hostile: str
) -> None:
    data = _data(river_export)
    _put(data["mentors"][5], path, hostile)
    with pytest.raises(ExportRefused) as caught:
        check_export(data, PEER)
    assert caught.value.details, caught.value.message
    field = ".".join(str(p) for p in path)
    named = [d for d in caught.value.details if d.startswith("mentors[5]") or d.startswith("mentors/5")]
    assert named, caught.value.details
    assert any(field.split(".")[0] in d for d in named), (field, named)
    for detail in caught.value.details:
        assert detail.isprintable(), detail  # control and direction characters are escaped


@pytest.mark.parametrize("path", PROGRAM_FIELDS, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize(
    "hostile", [HOSTILE[0], HOSTILE[2], HOSTILE[4], HOSTILE[7]], ids=["html", "email", "nul", "entity"]
)
def test_a_hostile_string_in_any_program_field_refuses_the_export(
    river_export: DirectoryExport, path: tuple[str | int, ...], hostile: str
) -> None:
    data = _data(river_export)
    _put(data["programs"][1], path, hostile)
    with pytest.raises(ExportRefused) as caught:
        check_export(data, PEER)
    assert any(d.startswith("programs[1]") or d.startswith("programs/1") for d in caught.value.details)


@pytest.mark.parametrize("field", ["site", "vocabulary"])
def test_a_hostile_string_at_the_top_refuses_the_export(river_export: DirectoryExport, field: str) -> None:
    data = _data(river_export)
    if field == "site":
        data["site"] = "javascript:alert(1)"
    else:
        data["vocabulary"]["areas"] = {"wellness": "<img src=x onerror=alert(1)>"}
    with pytest.raises(ExportRefused, match="breaks the rules"):
        check_export(data, PEER)


def test_hostile_strings_everywhere_at_once_are_refused_and_counted(river_export: DirectoryExport) -> None:
    data = copy.deepcopy(_data(river_export))
    for mentor in data["mentors"]:
        for path in MENTOR_FIELDS:
            _put(mentor, path, HOSTILE[0])
    with pytest.raises(ExportRefused) as caught:
        check_export(data, PEER)
    assert caught.value.details[-1].startswith("… and ") and "more problem(s)" in caught.value.details[-1]


def test_ids_must_be_unique_and_programs_known(river_export: DirectoryExport) -> None:
    data = _data(river_export)
    data["mentors"][1]["id"] = data["mentors"][0]["id"]
    data["mentors"][2]["program"] = "no-such-program"
    with pytest.raises(ExportRefused) as caught:
        check_export(data, PEER)
    details = " | ".join(caught.value.details)
    assert "is listed twice" in details and "'no-such-program' is not a program of the export" in details
