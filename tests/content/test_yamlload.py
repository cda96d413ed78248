"""The strict loader: YAML 1.2 scalars, positions, and every hazard reported with its line."""

from __future__ import annotations

import pytest

from generator.content.yamlload import MAX_BYTES, load_bytes, load_text


def codes(text: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in load_text(text, "f.yml").problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 42\n", 42),
        ("a: -7\n", -7),
        ("a: 0x1F\n", 31),
        ("a: 1.5\n", 1.5),
        ("a: true\n", True),
        ("a: False\n", False),
        ("a: ~\n", None),
        ("a:\n", None),
        ("a: 2025-01-02\n", "2025-01-02"),  # dates stay text: the models parse them
        ("a: 'no'\n", "no"),
        ('a: "012"\n', "012"),
        ("a: |\n  two\n  lines\n", "two\nlines\n"),
        ("a: café\n", "café"),
    ],
)
def test_scalars_follow_yaml_1_2(text: str, expected: object) -> None:
    result = load_text(text, "f.yml")
    assert result.problems == []
    assert result.data == {"a": expected}


def test_positions_of_keys_and_values_are_recorded() -> None:
    result = load_text("a:\n  b: [1, {c: 2}]\n", "f.yml")
    assert result.positions[("a", "b", 1, "c")] == (2, 14)
    assert result.key_positions[("a", "b")] == (2, 3)
    assert result.where(("a", "b", 5)) == (2, 6)  # falls back to the nearest known node
    assert result.where(("a", "b"), key=True) == (2, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", [(3, 1, "duplicate-key")]),
        ("a:\t1\n", [(1, 3, "tab")]),
        ("a: &x [1]\nb: *x\n", [(1, 4, "yaml-anchor"), (2, 4, "yaml-alias")]),
        ("a: !!python/object:os.system x\n", [(1, 4, "yaml-tag")]),
        ("a: !!str 3\n", [(1, 4, "yaml-tag")]),
        ("a: [en, no]\n", [(1, 9, "yaml11-boolean")]),
        ("a: Yes\n", [(1, 4, "yaml11-boolean")]),
        ("a: 012\n", [(1, 4, "yaml11-number")]),
        ("a: 0o12\n", [(1, 4, "yaml11-number")]),
        ("a: 12:30\n", [(1, 4, "yaml11-number")]),
        ("a: 1_000\n", [(1, 4, "yaml11-number")]),
        ("<<: {a: 1}\n", [(1, 1, "yaml-merge")]),
        ("a: 1\n---\nb: 2\n", [(2, 1, "multiple-documents")]),
        ("- a\n- b\n", [(1, 1, "not-a-mapping")]),
        ("a: b: c\n", [(1, 5, "yaml-syntax")]),
        ("# just a comment\n", [(1, 1, "empty-file")]),
        ("", [(1, 1, "empty-file")]),
        ("a: x\x07y\n", [(1, 5, "control-character")]),
    ],
)
def test_hazards_are_reported_with_line_and_column(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert codes(text) == expected


def test_every_hazard_in_a_file_is_reported_not_only_the_first() -> None:
    found = codes("a: yes\nb: &x 1\nc: 012\na: 2\n")
    assert [c for _, _, c in found] == ["yaml11-boolean", "yaml-anchor", "yaml11-number", "duplicate-key"]


def test_deep_nesting_is_an_error_not_a_recursion_error() -> None:
    text = "a: " + "[" * 50_000 + "]" * 50_000 + "\n"
    (problem,) = load_text(text, "f.yml").problems
    assert problem.code == "too-deep"


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(
            f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]"
        )
    result = load_text("\n".join(lines) + "\n", "bomb.yml")
    assert {p.code for p in result.problems} == {"yaml-anchor", "yaml-alias"}
    assert len(str(result.data)) < 10_000


def test_non_utf8_byte_points_at_its_line_and_column() -> None:
    (problem,) = load_bytes(b"a: 1\nname: Jos\xe9\n", "f.yml").problems
    assert (problem.line, problem.col, problem.code) == (2, 10, "not-utf8")
    assert "UTF-8" in problem.message


def test_bom_and_crlf_are_accepted() -> None:
    result = load_bytes(b"\xef\xbb\xbfa: 1\r\nb: two\r\n", "f.yml")
    assert result.problems == []
    assert result.data == {"a": 1, "b": "two"}


def test_oversized_file_is_refused_before_parsing() -> None:
    (problem,) = load_bytes(b"a: " + b"x" * MAX_BYTES + b"\n", "big.yml").problems
    assert problem.code == "file-too-large"
    assert "32 KiB" in problem.message
