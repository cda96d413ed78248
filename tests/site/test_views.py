"""The pages' views: one shared link per term, mentors in the directory's order, programs with
their mentors, the request link, the counts and the specialties."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from generator.content.export import DirectoryExport
from generator.content.vocabulary import vocabulary
from generator.search.order import default_order
from generator.site.views import TermLink, TermTable, directory_views
from tests.support.site import REPOSITORY_URL


def test_a_term_table_shares_one_link_per_term() -> None:
    vocab = vocabulary()
    terms = TermTable(vocab)
    specialty = vocab.ids("specialties")[0]
    link = terms.link("specialties", specialty)
    assert link == TermLink(specialty, vocab.label("specialties", specialty))
    assert terms.link("specialties", specialty) is link
    assert terms.links("specialties", [specialty, specialty]) == [link, link]
    assert terms.links("specialties", [specialty])[0] is link
    assert terms.link("specialties", "not-a-specialty") == TermLink("not-a-specialty", "not-a-specialty")
    assert TermTable(vocab).link("specialties", specialty) is not link, "one table per build"


def test_mentors_in_the_directory_order_and_programs_with_theirs(sample_export: DirectoryExport) -> None:
    views = directory_views(sample_export, TermTable(vocabulary()), REPOSITORY_URL)
    order = [m.id for m in default_order(sample_export.mentors)]
    assert [v.id for v in views.mentors] == order
    accepting = [v.record.accepting for v in views.mentors]
    assert accepting == sorted(accepting, reverse=True), "accepting mentors first"
    assert [p.id for p in views.programs] == [p.id for p in sample_export.programs]
    for program in views.programs:
        assert program.mentors == [v for v in views.mentors if v.record.program == program.id]
        assert program.accepting == sum(1 for v in program.mentors if v.record.accepting)
    assert sum(len(p.mentors) for p in views.programs) == len(views.mentors)


def test_views_share_term_links_and_label_them(sample_export: DirectoryExport) -> None:
    vocab = vocabulary()
    views = directory_views(sample_export, TermTable(vocab), REPOSITORY_URL)
    by_profession: dict[str, TermLink] = {}
    for view in views.mentors:
        shared = by_profession.setdefault(view.record.profession, view.profession)
        assert view.profession is shared
        assert [t.id for t in view.specialties] == view.record.specialties
        assert [t.label for t in view.areas] == [vocab.label("areas", a) for a in view.record.areas]


def test_a_mentor_without_a_state_shows_the_program_state(sample_export: DirectoryExport) -> None:
    mentor = sample_export.mentors[0]
    export = sample_export.model_copy(update={"mentors": [mentor.model_copy(update={"state": None})]})
    view = directory_views(export, TermTable(vocabulary()), REPOSITORY_URL).mentors[0]
    program = next(p for p in export.programs if p.id == mentor.program)
    assert view.state is not None and view.state.id == program.state


def test_the_request_link_names_the_mentor_and_no_needs(sample_export: DirectoryExport) -> None:
    """Issue 14: the mentor's areas are not the mentee's needs (mentor.js adds those chosen)."""
    views = directory_views(sample_export, TermTable(vocabulary()), REPOSITORY_URL + "/")
    for view in views.mentors:
        url = urlsplit(view.request_url)
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPOSITORY_URL}/issues/new"
        assert parse_qs(url.query) == {"template": ["mentor-request.yml"], "mentors": [view.id]}


def test_counts_and_specialties(sample_export: DirectoryExport) -> None:
    vocab = vocabulary()
    terms = TermTable(vocab)
    views = directory_views(sample_export, terms, REPOSITORY_URL)
    mentors = sample_export.mentors
    assert views.counts() == {
        "mentors": len(mentors),
        "accepting": sum(1 for m in mentors if m.accepting),
        "programs": len(sample_export.programs),
        "specialties": len({s for m in mentors for s in m.specialties}),
        "languages": len({lang for m in mentors for lang in m.languages}),
    }
    specialties = views.specialties(terms)
    ids = [term.id for term, _ in specialties]
    assert ids == [i for i in vocab.ids("specialties") if i in set(ids)], "vocabulary order"
    assert len(ids) == views.counts()["specialties"]
    for term, listed in specialties:
        assert term is terms.link("specialties", term.id)
        assert listed == [v for v in views.mentors if term.id in v.record.specialties]


def test_counts_are_printed_with_thousands_separators_as_directory_state_js_prints_them() -> None:
    from generator.site.plugin import number

    # the same values and texts as tests/site/directory_state.test.js ("status texts")
    assert [number(n) for n in (0, 999, 1000, 123456789)] == ["0", "999", "1,000", "123,456,789"]
