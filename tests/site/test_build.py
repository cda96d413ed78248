"""`mentormemed build`: the pages, their links, the export, and the safety of the swap."""

from __future__ import annotations

import json
import math
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.content.export import DirectoryExport
from generator.content.validation import load_network, validate_content
from generator.content.vocabulary import vocabulary
from generator.search.facets import (
    CARD_GROUPS,
    FACET_GROUPS,
    PAGE_SIZE,
    decode_refs,
    load_facet_files,
    mentor_values,
    value_file,
)
from generator.site import sitemap as site_sitemap
from generator.site.build import Network, SiteBuildError, build, build_site
from generator.site.data_files import BUILD_MARKER
from tests.support.htmlscan import RESOURCE_ATTRIBUTES, html_pages, local_file, parse, urls
from tests.support.paths import ROOT
from tests.support.site import REPOSITORY_URL, SITE_URL

CSP_DIRECTIVES = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "base-uri": "'none'",
}


def _export(site: Path) -> DirectoryExport:
    return DirectoryExport.model_validate_json((site / "directory.json").read_text(encoding="utf-8"))


def test_every_page_is_built(built_site: Path, sample_content: Path) -> None:
    result = validate_content(sample_content)
    for page in ["index.html", "directory/index.html", "programs/index.html", "specialties/index.html"]:
        assert (built_site / page).is_file(), page
    for page in ["add-mentors/index.html", "about/index.html", "404.html", "sitemap.xml", "directory.json"]:
        assert (built_site / page).is_file(), page
    for name in ["facets.json", "terms.json", "people/0.json", "lunr.min.js"]:
        assert (built_site / "search" / name).stat().st_size > 0
    for mentor_id in result.mentors:
        assert (built_site / "mentors" / mentor_id / "index.html").is_file()
    for program_id in result.programs:
        assert (built_site / "programs" / program_id / "index.html").is_file()
    lunr_js = (built_site / "search" / "lunr.min.js").read_text(encoding="utf-8")
    assert "2.3.9" in lunr_js
    assert lunr_js == (ROOT / "node_modules" / "lunr" / "lunr.min.js").read_text(encoding="utf-8")


def test_no_broken_internal_link_and_no_third_party_resource(any_site: Path) -> None:
    checked = 0
    for file in html_pages(any_site):
        page = parse(any_site, file)
        for element, attribute, value in urls(page):
            if value.startswith("#"):
                assert value[1:] in page.ids, f"{page.path}: no element with id {value}"
                continue
            target = local_file(any_site, page, value)
            if target is None:
                assert (element.tag, attribute) not in RESOURCE_ATTRIBUTES, f"{page.path}: loads {value}"
                assert element.tag == "a" and value.startswith("https://"), f"{page.path}: {value}"
                continue
            assert target.is_file(), f"{page.path}: broken link {value} -> {target}"
            checked += 1
    assert checked > 100


def test_csp_first_no_inline_script_no_event_attribute(any_site: Path) -> None:
    for file in html_pages(any_site):
        page = parse(any_site, file)
        first = page.head[0]
        assert first.tag == "meta" and first.get("http-equiv") == "Content-Security-Policy", page.path
        policy = dict(part.strip().split(" ", 1) for part in (first.get("content") or "").split(";"))
        for directive, expected in CSP_DIRECTIVES.items():
            assert policy.get(directive) == expected, (page.path, directive)
        assert "".join(page.script_text).strip() == "", f"{page.path}: inline script"
        for script in page.all("script"):
            assert script.get("src"), f"{page.path}: script without src"
        for element in page.elements:
            for name, value in element.attrs:
                assert not name.lower().startswith("on"), f"{page.path}: <{element.tag} {name}=…>"
                assert not (value or "").strip().lower().startswith("javascript:"), page.path
                assert name != "style", f"{page.path}: inline style on <{element.tag}>"


def test_landmarks_and_labelled_controls(built_site: Path) -> None:
    for file in html_pages(built_site):
        page = parse(built_site, file)
        tags = [e.tag for e in page.elements]
        assert tags.count("main") == 1 and "header" in tags and "footer" in tags, page.path
        assert tags.count("h1") == 1, page.path
        assert page.all("html")[0].get("lang") == "en"
        labels = {e.get("for") for e in page.all("label")}
        for control in page.all("input"):
            assert control.get("id") in labels, f"{page.path}: unlabelled input {control.attrs}"


def test_sitemap_lists_every_page(built_site: Path) -> None:
    text = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = [line.split("<loc>")[1].split("</loc>")[0] for line in text.splitlines() if "<loc>" in line]
    pages = {f.relative_to(built_site).as_posix() for f in html_pages(built_site)} - {"404.html"}
    listed = set()
    for loc in locs:
        assert loc.startswith(SITE_URL + "/")
        path = loc[len(SITE_URL) + 1 :]
        listed.add(path + "index.html" if path == "" or path.endswith("/") else path)
    assert listed == pages


def test_export_matches_its_schema_and_the_content(built_site: Path, sample_content: Path) -> None:
    data = json.loads((built_site / "directory.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / "directory.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    export = _export(built_site)
    result = validate_content(sample_content)
    assert export.version == 1
    assert export.site == SITE_URL + "/"
    assert [m.id for m in export.mentors] == sorted(
        result.mentors, key=lambda i: (result.mentors[i].program, i)
    )
    ana = next(m for m in export.mentors if m.id == "ana-example")
    assert ana.affinities == ["first-generation", "hispanic-latino"]
    assert ana.url == f"{SITE_URL}/mentors/ana-example/"
    assert export.vocabulary["specialties"]["emergency-medicine"] == "Emergency Medicine"


def test_home_counts_are_live(built_site: Path) -> None:
    export = _export(built_site)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    accepting = sum(1 for m in export.mentors if m.accepting)
    specialties = {s for m in export.mentors for s in m.specialties}
    languages = {lang for m in export.mentors for lang in m.languages}
    assert f"<strong>{accepting}</strong> mentors accepting" in home
    assert f"<strong>{len(export.programs)}</strong> programs" in home
    assert f"<strong>{len(specialties)}</strong> specialties" in home
    assert f"<strong>{len(languages)}</strong> languages" in home


def _directory_pages(site: Path) -> list[Path]:
    pages = [site / "directory" / "index.html"]
    number = 2
    while (site / "directory" / "page" / str(number) / "index.html").is_file():
        pages.append(site / "directory" / "page" / str(number) / "index.html")
        number += 1
    return pages


def test_directory_pages_list_every_mentor_once_without_javascript(any_site: Path) -> None:
    export = _export(any_site)
    files = _directory_pages(any_site)
    assert len(files) == max(1, math.ceil(len(export.mentors) / PAGE_SIZE))
    assert not (any_site / "directory" / "page" / "1").exists()  # page 1 is /directory/
    cards: list[str] = []
    for number, file in enumerate(files, start=1):
        page = parse(any_site, file)
        ids = [str(e.get("id"))[2:] for e in page.all("li") if e.get("class") == "card"]
        assert len(ids) == (
            PAGE_SIZE if number < len(files) else len(export.mentors) - PAGE_SIZE * (number - 1)
        )
        cards += ids
        forms = [e for e in page.all("form") if e.get("id") == "filters"]
        assert len(forms) == (1 if number == 1 else 0), "only the first page has the filter form"
        navs = [e for e in page.all("nav") if e.get("aria-label") == "Pages"]
        assert len(navs) == (1 if len(files) > 1 else 0)
        text = file.read_text(encoding="utf-8")
        if len(files) > 1:
            assert f"Page {number} of {len(files)}" in text
            here = "directory/" if number == 1 else f"directory/page/{number}/"
            assert (
                f'{here}" aria-current="page"><span class="visually-hidden">Page </span>{number}</a>' in text
            )
    assert sorted(cards) == sorted(m.id for m in export.mentors)
    assert len(cards) == len(set(cards))
    by_id = {m.id: m for m in export.mentors}
    accepting = [by_id[c].accepting for c in cards]
    assert accepting == sorted(accepting, reverse=True), "accepting mentors come first"
    facets = load_facet_files(any_site / "search")
    assert facets.directory_order() == cards, "the browser's order (from facets.json) is the pages' order"


def test_the_filter_form_is_hidden_only_without_javascript(built_site: Path) -> None:
    page = parse(built_site, built_site / "directory" / "index.html")
    form = next(e for e in page.all("form") if e.get("id") == "filters")
    assert not any(name == "hidden" for name, _ in form.attrs), "visible from the first paint"
    text = (built_site / "directory" / "index.html").read_text(encoding="utf-8")
    head = text.split("</head>")[0]
    assert '<noscript><link rel="stylesheet" href="../theme/css/noscript.css?v=' in head
    assert "#filters { display: none; }" in (built_site / "theme" / "css" / "noscript.css").read_text()


def test_facet_files_v3(built_site: Path) -> None:
    from generator.search.order import ref_order

    export = _export(built_site)
    vocab = vocabulary()
    search = built_site / "search"
    facets = load_facet_files(search)
    meta = facets.meta
    assert meta["version"] == 3 and meta["pageSize"] == PAGE_SIZE and meta["accepting"] == "accepting"
    assert meta["total"] == len(export.mentors) == len(facets.cards)
    assert [g["param"] for g in meta["groups"]] == [g.param for g in FACET_GROUPS]
    assert meta["cardGroups"] == [g.param for g in CARD_GROUPS]
    kinds = {g.param: g.kind for g in FACET_GROUPS}
    for group in meta["groups"]:
        assert group["labels"] == [vocab.label(kinds[group["param"]], v) for v in group["values"]]
    assert meta["programs"] == [[p.id, p.name] for p in export.programs]
    # refs: the ref order of the ids (the people index's numbering too)
    refs = ref_order(export.mentors)
    assert [row[0] for row in facets.cards] == [m.id for m in refs]
    assert facets.accepting == [r for r, m in enumerate(refs) if m.accepting]
    values = {g["param"]: g["values"] for g in meta["groups"]}
    card_index = {param: i for i, param in enumerate(meta["cardGroups"])}
    programs = {p.id: p for p in export.programs}
    for ref, (mentor, row) in enumerate(zip(refs, facets.cards, strict=True)):
        mentor_id, name, pronouns, program, card_values, stale = row
        assert stale == ""  # the suite's clock (tests/conftest.py): no sample profile is stale yet
        assert (mentor_id, name, pronouns) == (mentor.id, mentor.name, mentor.pronouns or "")
        assert meta["programs"][program][0] == mentor.program
        assert ref in facets.programs[program]
        specialties = [values["specialty"][p] for p in card_values[card_index["specialty"]]]
        assert specialties == mentor.specialties  # the record's order
        assert [values["affinity"][p] for p in card_values[card_index["affinity"]]] == mentor.affinities
        for group in FACET_GROUPS:  # every value of every group has the mentor in its posting
            having = mentor_values(mentor, group, programs[mentor.program])
            assert {
                v
                for v, refs_of in zip(values[group.param], facets.postings[group.param], strict=True)
                if ref in refs_of
            } == set(having), (mentor.id, group.param)
    # one value alone is the same posting as in its group's file (postings, or a column for a
    # group in which no mentor has two values)
    columns = []
    for group in meta["groups"]:
        whole = json.loads((search / f"facets/{group['param']}.json").read_text(encoding="utf-8"))
        if isinstance(whole, dict):
            columns.append(group["param"])
        for i in range(len(group["values"])):
            alone = json.loads((search / value_file(group["param"], i)).read_text(encoding="utf-8"))
            assert decode_refs(alone, meta["total"]) == facets.postings[group["param"]][i]
            assert isinstance(whole, dict) or alone == whole[i]
    assert {"stage", "profession", "state"} <= set(columns) and "area" not in columns


def test_sitemap_becomes_an_index_above_the_protocol_limit(
    base_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site_sitemap, "SITEMAP_MAX_URLS", 5)
    output = tmp_path / "site"
    build(base_content, output, site_url=SITE_URL, repository_url=REPOSITORY_URL)
    index = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index and "<urlset" not in index
    parts = [line.split("<loc>")[1].split("</loc>")[0] for line in index.splitlines() if "<loc>" in line]
    assert parts == [f"{SITE_URL}/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    assert len(parts) >= 2
    locs: list[str] = []
    for n in range(1, len(parts) + 1):
        text = (output / f"sitemap-{n}.xml").read_text(encoding="utf-8")
        found = [line.split("<loc>")[1].split("</loc>")[0] for line in text.splitlines() if "<loc>" in line]
        assert 0 < len(found) <= 5
        locs += found
    pages = {f.relative_to(output).as_posix() for f in html_pages(output)} - {"404.html"}
    assert {loc[len(SITE_URL) + 1 :] + "index.html" for loc in locs} == pages
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")


def test_mentor_page_shows_public_fields_and_request_link(built_site: Path) -> None:
    page_text = (built_site / "mentors" / "ana-example" / "index.html").read_text(encoding="utf-8")
    for text in ["Ana Example, MD", "(she/her)", "Emergency Medicine", "First-generation college", "Spanish"]:
        assert text in page_text
    assert "<em>residency\napplications</em>" in page_text
    page = parse(built_site, built_site / "mentors" / "ana-example" / "index.html")
    link = next(e for e in page.all("a") if e.get("id") == "request-link")
    url = urlsplit(str(link.get("href")))
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPOSITORY_URL}/issues/new"
    params = parse_qs(url.query)
    # issue 14: no needs pre-filled from the mentor's own areas (mentor.js adds the mentee's)
    assert params == {"template": ["mentor-request.yml"], "mentors": ["ana-example"]}


def test_program_page_lists_its_mentors_and_maintainers(built_site: Path) -> None:
    export = _export(built_site)
    for program in export.programs:
        text = (built_site / "programs" / program.id / "index.html").read_text(encoding="utf-8")
        mentors = [m for m in export.mentors if m.program == program.id]
        assert f"Mentors ({len(mentors)})" in text
        for mentor in mentors:
            assert f'href="../../mentors/{mentor.id}/"' in text
        for handle in program.maintainers:
            assert f'href="https://github.com/{handle}"' in text
    index = (built_site / "programs" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="../programs/{p.id}/"' in index for p in export.programs)


def test_specialty_pages_are_compact_lists(built_site: Path) -> None:
    export = _export(built_site)
    vocab = vocabulary()
    cards = parse(built_site, built_site / "directory" / "index.html")
    order = load_facet_files(built_site / "search").directory_order()
    programs = {p.id: p.name for p in export.programs}
    assert any(e.get("class") == "card" for e in cards.all("li"))
    for specialty in {s for m in export.mentors for s in m.specialties}:
        file = built_site / "specialties" / specialty / "index.html"
        text = file.read_text(encoding="utf-8")
        page = parse(built_site, file)
        assert f"{vocab.label('specialties', specialty)} mentors" in text
        assert not [e for e in page.all("li") if e.get("class") == "card"], "no full cards"
        assert f'href="../../directory/?specialty={specialty}"' in text
        linked = [
            str(e.get("href"))[len("../../mentors/") : -1]
            for e in page.all("a")
            if str(e.get("href")).startswith("../../mentors/")
        ]
        having = [m for m in order if specialty in next(x for x in export.mentors if x.id == m).specialties]
        assert linked == having, "in the default order"
        for mentor in export.mentors:
            if mentor.id in having:
                assert programs[mentor.program] in text


def test_not_found_page_links_from_the_site_root(built_site: Path) -> None:
    text = (built_site / "404.html").read_text(encoding="utf-8")
    assert 'href="/directory/theme/css/site.css' in text
    assert 'href="/directory/directory/"' in text


def test_about_page_lists_published_and_private_fields(built_site: Path) -> None:
    text = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    published, private = text.split("What this site never publishes")
    assert "<code>private_affinities</code>" in private and "<code>contact.orcid</code>" in private
    assert "<code>private_affinities</code>" not in published
    for name in ["name", "affinities", "bio", "contact.github", "contact.url", "accepting"]:
        assert f"<code>{name}</code>" in published


# --------------------------------------------------------------------------- the command


def test_build_command_refuses_invalid_content_and_keeps_old_output(
    base_content: Path, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--content", str(base_content), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Built 1 mentor(s), 1 program(s)" in result.output
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    mentor = base_content / "mentors" / "lakeshore-som" / "ana-example.yml"
    mentor.write_text(mentor.read_text().replace("[emergency-medicine]", "[cardiolgy]"))
    result = runner.invoke(cli, ["build", "--content", str(base_content), "--output", str(output)])
    assert result.exit_code == 1
    assert "error[unknown-term]" in result.output and "Did you mean 'cardiology'" in result.output
    assert "Nothing was published" in result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_failed_build_leaves_old_output_untouched(base_content: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    build(base_content, output)
    result = load_network(base_content)
    network = Network(result.programs, result.mentors)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    with pytest.raises(SiteBuildError, match="npm ci"):
        build_site(network, output, node_modules=tmp_path / "no-node-modules")
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], "staging folder left behind"


def test_build_refuses_to_replace_a_folder_it_did_not_make(base_content: Path, tmp_path: Path) -> None:
    output = tmp_path / "precious"
    output.mkdir()
    (output / "notes.txt").write_text("keep me")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--content", str(base_content), "--output", str(output)])
    assert result.exit_code == 1
    assert "error[build-failed]" in result.output and "not made by `mentormemed build`" in result.output
    assert (output / "notes.txt").read_text() == "keep me"
    assert not (output / BUILD_MARKER).exists()


def test_build_rejects_a_relative_site_url(base_content: Path, tmp_path: Path) -> None:
    network = Network({}, {})
    with pytest.raises(SiteBuildError, match="absolute"):
        build_site(network, tmp_path / "out", site_url="/directory")
