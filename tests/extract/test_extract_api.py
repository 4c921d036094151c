"""extract_draft / extract_paths: claims, sources, scopes, ids, locations and input errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.extract import extract_draft, extract_paths, find_drafts
from claimgraph.models import Claim, Project


def claim_on(project: Project, fragment: str) -> Claim:
    matches = [c for c in project.claims if fragment in c.text]
    assert len(matches) == 1, [c.text for c in project.claims]
    return matches[0]


def extra(claim: Claim) -> dict[str, object]:
    return dict(claim.model_extra or {})


PAPER = b"""# Omega-3 and the heart

Fish oil is among the most used supplements in Europe [1]. Fish eaters have a lower risk of
heart disease than others [2,3].

Large trials of omega-3 supplements have mostly been neutral. A review of 86 trials found no
effect on mortality [4].

Omega-3 raises the risk of atrial fibrillation [9].

## References

1. Moreno LA, Tran QH. Use of supplements in adults. Public Health Nutr. 2018;21(4):612-620.
2. Whitfield KR, Osei A. Fish and coronary mortality. Am J Clin Nutr. 2004;79(3):412-419. PMID: 99000201
3. Lindqvist M, Berg S. Fish intake and coronary disease. Eur J Epidemiol. 2009;24(8):455-462.
4. Abdelhamid AS, Brown TJ. Omega-3 fatty acids for prevention. Cochrane Database Syst Rev. 2020;3:CD003177. doi:10.5555/omega
"""


def test_numbered_citations_link_to_the_reference_list() -> None:
    project = extract_draft(Path("omega.md"), PAPER)
    sources = project.source_map()
    first = claim_on(project, "among the most used")
    assert first.sources == ["moreno-2018"]
    assert sources["moreno-2018"].journal == "Public Health Nutr"
    assert sources["moreno-2018"].kind == "journal-article"
    assert claim_on(project, "Fish eaters").sources == ["whitfield-2004", "lindqvist-2009"]
    assert sources["whitfield-2004"].pmid == "99000201"
    assert sources["abdelhamid-2020"].doi == "10.5555/omega"


def test_a_citation_covers_only_the_sentence_it_closes() -> None:
    project = extract_draft(Path("omega.md"), PAPER)
    # the uncited sentence before a cited one in the same paragraph stays uncited
    assert claim_on(project, "mostly been neutral").sources == []
    assert claim_on(project, "86 trials").sources == ["abdelhamid-2020"]


def test_a_number_with_no_reference_entry_points_at_an_undefined_source() -> None:
    project = extract_draft(Path("omega.md"), PAPER)
    claim = claim_on(project, "atrial fibrillation")
    assert claim.sources == ["omega-ref-9"]
    assert "omega-ref-9" not in project.source_map()


def test_locations_are_file_line_column() -> None:
    project = extract_draft(Path("drafts/omega.md"), PAPER)
    location = claim_on(project, "Fish eaters").location
    assert location is not None
    assert (location.file, location.line, location.column) == ("drafts/omega.md", 3, 60)
    source = project.source_map()["moreno-2018"]
    assert source.location is not None and source.location.line == 13


SITE = b"""Iron & Energy


Learn more about iron.

Iron deficiency affects about 1.2 billion people. Studies show that it causes fatigue.


In this magazine piece, iron is listed as a top supplement for tiredness.

Source: 7 signs you need more iron, Good Health, New Zealand, 2016


This case report described a runner whose anaemia caused heart palpitations.
The palpitations stopped after iron treatment.

Authors: K. Mbeki, L. Santos, et al,
Published: Iron deficiency anaemia presenting as palpitations, Clinical Case Reports, 2018.


My neighbour says that cast-iron pans cure anaemia.

Source: conversation with my neighbour, 2020
"""


def test_seed_style_source_blocks_cover_the_paragraphs_before_them() -> None:
    project = extract_draft(Path("iron.txt"), SITE)
    sources = project.source_map()
    magazine = claim_on(project, "top supplement")
    assert magazine.sources == ["good-health-2016"]
    assert sources["good-health-2016"].kind == "magazine"
    case = claim_on(project, "runner whose anaemia")
    assert case.sources == ["mbeki-2018"]
    assert claim_on(project, "palpitations stopped").sources == ["mbeki-2018"]
    assert sources["mbeki-2018"].authors == ["Mbeki K", "Santos L"]
    neighbour = claim_on(project, "cast-iron pans")
    assert [sources[s].kind for s in neighbour.sources] == ["personal-communication"]


def test_uncited_claims_are_flagged_with_their_attribution() -> None:
    project = extract_draft(Path("iron.txt"), SITE)
    prevalence = claim_on(project, "1.2 billion")
    assert prevalence.sources == [] and "attribution" not in extra(prevalence)
    studies = claim_on(project, "Studies show")
    assert studies.sources == []
    assert extra(studies)["attribution"] == "Studies show"
    assert "reasons" in extra(studies)


def test_navigation_and_titles_are_not_claims() -> None:
    project = extract_draft(Path("iron.txt"), SITE)
    texts = " ".join(c.text for c in project.claims)
    assert "Learn more" not in texts
    assert "Iron & Energy" not in texts


def test_a_source_block_under_a_heading_covers_its_section() -> None:
    draft = b"""# Sleep

## Magnesium and sleep

Source: Abbasi B, Kimiagar M. Magnesium and insomnia. J Res Med Sci. 2012;17(12):1161-9.

Magnesium shortens the time it takes to fall asleep.

Older adults slept 17 minutes longer with magnesium.

## Melatonin

Melatonin reduces jet lag.
"""
    project = extract_draft(Path("sleep.md"), draft)
    assert claim_on(project, "shortens").sources == ["abbasi-2012"]
    assert claim_on(project, "17 minutes").sources == ["abbasi-2012"]
    assert claim_on(project, "jet lag").sources == []


def test_author_year_footnotes_and_links() -> None:
    draft = b"""# Coffee

Caffeine blocks adenosine receptors (Fredholm et al., 1999). Coffee lowers diabetes risk
(Carlstrom & Larsson, 2018).[^note] A [trial](https://doi.org/10.5555/Trial) found more.
Read [our guide](/guides/coffee).

[^note]: Personal communication with a barista, 2021.

## References

Fredholm, B. B., & Battig, K. (1999). Actions of caffeine in the brain. Pharmacological Reviews, 51(1), 83-133.

Carlstrom, M., & Larsson, S. C. (2018). Coffee and type 2 diabetes. Nutrition Reviews, 76(6), 395-417.
"""
    project = extract_draft(Path("coffee.md"), draft)
    assert claim_on(project, "adenosine").sources == ["fredholm-1999"]
    lowers = claim_on(project, "lowers diabetes")
    assert lowers.sources == ["carlstrom-2018", "personal-communication-with-2021"]
    assert claim_on(project, "found more").sources == ["doi-10-5555-trial"]
    assert project.source_map()["doi-10-5555-trial"].doi == "10.5555/trial"
    assert "guide" not in " ".join(c.text for c in project.claims)


HTML = b"""<html><body><article>
<h1>Water</h1>
<p>Water is about 60% of body weight.<sup><a href="#fn1">1</a></sup> Mild dehydration
impairs mood, according to a <a href="https://www.nejm.org/doi/full/10.5555/water">study</a>.</p>
<p>Buy our bottle at <a href="https://shop.example.com/bottle">our shop</a>.</p>
<ol><li id="fn1">Institute of Medicine. Dietary Reference Intakes for Water. Washington, DC: National Academies Press; 2005.</li></ol>
</article></body></html>"""


def test_html_notes_and_journal_links() -> None:
    project = extract_draft(Path("water.html"), HTML)
    sources = project.source_map()
    water = claim_on(project, "60% of body weight")
    assert water.sources == ["institute-of-medicine-2005"]
    assert sources["institute-of-medicine-2005"].kind == "book"
    mood = claim_on(project, "impairs mood")
    assert [sources[s].doi for s in mood.sources] == ["10.5555/water"]
    assert water.location is not None and water.location.line == 3


def test_same_draft_same_ids() -> None:
    first = extract_draft(Path("omega.md"), PAPER)
    second = extract_draft(Path("omega.md"), PAPER)
    assert [c.id for c in first.claims] == [c.id for c in second.claims]
    assert [s.id for s in first.sources] == [s.id for s in second.sources]
    assert all(c.id.startswith("omega-") for c in first.claims)


def test_ids_survive_edits_elsewhere_in_the_draft() -> None:
    before = extract_draft(Path("omega.md"), PAPER)
    after = extract_draft(Path("omega.md"), b"# A new title\n\nIntro line.\n\n" + PAPER)
    assert {c.id for c in before.claims} <= {c.id for c in after.claims}


def test_paths_folder_recursion_and_unique_ids(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    text = b"Magnesium reduces cramps in 40% of adults.\n"
    (tmp_path / "a" / "post.md").write_bytes(text)
    (tmp_path / "b" / "post.md").write_bytes(text)
    (tmp_path / "b" / "notes.txt").write_bytes(text)
    (tmp_path / ".hidden" / "x.md").write_bytes(text)
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG")
    assert [p.relative_to(tmp_path).as_posix() for p in find_drafts([tmp_path])] == [
        "a/post.md",
        "b/notes.txt",
        "b/post.md",
    ]
    project = extract_paths([tmp_path])
    ids = [c.id for c in project.claims]
    assert len(ids) == 3 == len(set(ids))
    assert ids[0].startswith("post-") and ids[2].startswith("b-post-")


def test_non_utf8_input_is_named_with_its_offset() -> None:
    with pytest.raises(InputError) as info:
        extract_draft(Path("latin1.md"), b"Line one\nCaf\xe9 au lait\n")
    error = info.value
    assert (error.file, error.line, error.column) == ("latin1.md", 2, 4)
    assert "offset 12" in error.message and "0xe9" in error.message


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\xff\xfeh\x00i\x00", "UTF-16"),
        (b"Some text\x00\x01binary", "NUL"),
    ],
)
def test_other_unreadable_input(raw: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        extract_draft(Path("bad.txt"), raw)


def test_missing_files_folders_and_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        extract_draft(tmp_path / "missing.md")
    with pytest.raises(InputError, match="not an article draft"):
        extract_draft(tmp_path / "claims.json", b"{}")
    with pytest.raises(InputError, match="no drafts"):
        extract_paths([tmp_path])
    with pytest.raises(InputError, match="file not found"):
        extract_paths([tmp_path / "nope"])


def test_bom_and_windows_newlines() -> None:
    project = extract_draft(
        Path("win.txt"), b"\xef\xbb\xbfTitle\r\n\r\nZinc lowers colds by 33%.\r\n"
    )
    claim = claim_on(project, "33%")
    assert claim.location is not None and claim.location.line == 3


def test_empty_draft() -> None:
    project = extract_draft(Path("empty.md"), b"")
    assert project.claims == [] and project.sources == []
