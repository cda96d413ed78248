"""The directory's server-rendered pages: who is on each, their addresses, the links between them."""

from __future__ import annotations

from generator.site.pagination import Pagination, directory_pages, page_path


def test_pages_split_at_the_page_size_and_keep_the_order() -> None:
    items = list(range(49))
    pages = directory_pages(items, size=24)
    assert [len(p) for p in pages] == [24, 24, 1]
    assert [i for page in pages for i in page] == items
    assert directory_pages(list(range(48)), size=24) == [list(range(24)), list(range(24, 48))]
    assert directory_pages(list(range(24)), size=24) == [list(range(24))]


def test_no_mentor_still_makes_one_empty_page() -> None:
    assert directory_pages([], size=24) == [[]]


def test_page_addresses() -> None:
    assert page_path(1) == "directory/"
    assert page_path(2) == "directory/page/2/"
    assert page_path(417) == "directory/page/417/"


def test_pagination_window() -> None:
    assert Pagination(1, 1).window == [1]
    assert Pagination(1, 3).window == [1, 2, 3]
    assert Pagination(1, 417).window == [1, 2, 3, None, 417]
    assert Pagination(2, 417).window == [1, 2, 3, 4, None, 417]
    assert Pagination(200, 417).window == [1, None, 198, 199, 200, 201, 202, None, 417]
    assert Pagination(417, 417).window == [1, None, 415, 416, 417]
    assert Pagination(4, 7).window == [1, 2, 3, 4, 5, 6, 7]
