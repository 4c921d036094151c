from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.formats import FormatOptions, render
from claimgraph.formats.junit import xml_text
from claimgraph.levels import ClaimStatus, Severity
from claimgraph.models import Location
from claimgraph.report import EXIT_FINDINGS, ClaimResult, Finding, exit_code
from tests.formats.report_samples import SCRIPT_PAYLOAD, assert_golden, empty_report, sample_report


def _parse(report: Any = None, fail_on: str = "error") -> Element:
    text = render(report or sample_report(), "junit", FormatOptions(fail_on=fail_on))
    root: Element = SafeET.fromstring(text.encode("utf-8"))
    return root


def _cases(root: Element, suite: str) -> dict[str, Element]:
    (element,) = [s for s in root.iter("testsuite") if s.get("name") == suite]
    return {case.get("name", ""): case for case in element.iter("testcase")}


def test_golden() -> None:
    assert_golden("report.junit.xml", render(sample_report(), "junit", FormatOptions()))


def test_one_test_case_per_claim() -> None:
    report = sample_report()
    cases = _cases(_parse(), "claimgraph.claims")
    assert list(cases) == [claim.id for claim in report.claims]
    supported = cases["c-supported"]
    assert supported.get("file") == "articles/draft, v2:final.md"
    assert supported.get("line") == "3"
    assert supported.find("failure") is None


def test_failures_at_or_above_fail_on() -> None:
    cases = _cases(_parse(fail_on="error"), "claimgraph.claims")
    failed = {name for name, case in cases.items() if case.find("failure") is not None}
    # own errors, and errors about cited sources (not found, retracted, undefined)
    assert failed == {"c-anecdotal", "c-unsourced", "c-broken", "c-payload"}
    failure = cases["c-broken"].find("failure")
    assert failure is not None
    assert failure.get("type") == "citation-not-found"
    assert "retracted-source" in (failure.text or "")
    # the warning below --fail-on is reported, not failed
    out = cases["c-unsourced"].find("system-out")
    assert out is not None and "unsupported-attribution" in (out.text or "")


def test_fail_on_warning_and_never() -> None:
    cases = _cases(_parse(fail_on="warning"), "claimgraph.claims")
    failed = {name for name, case in cases.items() if case.find("failure") is not None}
    # c-unverified's finding is an outage: reported, never failed (as the exit code)
    assert failed == {"c-anecdotal", "c-unsourced", "c-broken", "c-payload", "c-depends"}
    skipped = cases["c-unverified"].find("skipped")
    out = cases["c-unverified"].find("system-out")
    assert skipped is not None
    assert out is not None and "unverifiable-source" in (out.text or "")
    root = _parse(fail_on="never")
    assert root.find(".//failure") is None
    assert root.get("failures") == "0"


def test_unverified_claim_without_failure_is_skipped() -> None:
    cases = _cases(_parse(), "claimgraph.claims")
    skipped = cases["c-unverified"].find("skipped")
    assert skipped is not None and skipped.get("message") == "nothing could be checked"


def test_findings_no_claim_shows_get_their_own_case() -> None:
    root = _parse(fail_on="warning")
    cases = _cases(root, "claimgraph.sources")
    assert list(cases) == ["s-orphan"]
    assert cases["s-orphan"].find("failure") is None  # info is below warning
    info_root = _parse(
        sample_report().model_copy(
            update={
                "findings": [
                    f.model_copy(update={"severity": Severity.ERROR})
                    for f in sample_report().findings
                ]
            }
        )
    )
    assert _cases(info_root, "claimgraph.sources")["s-orphan"].find("failure") is not None


def test_counts_add_up() -> None:
    root = _parse()
    suites = list(root.iter("testsuite"))
    for key in ("tests", "failures", "skipped", "errors"):
        assert int(root.get(key, "")) == sum(int(s.get(key, "")) for s in suites)
    for suite in suites:
        cases = list(suite.iter("testcase"))
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == sum(c.find("failure") is not None for c in cases)


def test_markup_is_escaped_and_round_trips() -> None:
    text = render(sample_report(), "junit", FormatOptions())
    assert "<script>" not in text
    cases = _cases(_parse(), "claimgraph.claims")
    out = cases["c-unsourced"].find("system-out")
    assert out is not None and SCRIPT_PAYLOAD in (out.text or "")


def test_empty_report() -> None:
    root = _parse(empty_report())
    assert root.get("tests") == "0"
    assert [s.get("name") for s in root.iter("testsuite")] == ["claimgraph.claims"]


def test_xml_text_shows_what_xml_cannot_carry_escaped() -> None:
    assert xml_text("a\x00b\x1bc\ud800d\ufffee") == "a\\x00b\\x1bc\\ud800d\\ufffee"
    assert xml_text("tab\tnl\ncrlf\r\n ok é 😴") == "tab\tnl\ncrlf\n ok é 😴"


_ANY_CHAR = st.one_of(
    st.characters(),
    st.sampled_from(
        ["\x00", "\x08", "\x1f", "\ud800", "\udfff", "\ufffe", "]", ">", "&", "<", "\r"]
    ),
)


@given(
    claim_id=st.text(_ANY_CHAR, min_size=1, max_size=20),
    text=st.text(_ANY_CHAR, max_size=60),
    message=st.text(_ANY_CHAR, max_size=60),
    file=st.text(_ANY_CHAR, min_size=1, max_size=20),
)
def test_any_text_gives_well_formed_xml(claim_id: str, text: str, message: str, file: str) -> None:
    finding = Finding(
        rule="unsourced-claim", severity=Severity.ERROR, claim=claim_id, message=message
    )
    claim = ClaimResult(
        id=claim_id,
        text=text,
        status=ClaimStatus.UNSOURCED,
        location=Location(file=file, line=1),
        findings=[finding],
    )
    report = empty_report().model_copy(update={"claims": [claim], "findings": [finding]})
    root = _parse(report)
    (case,) = _cases(root, "claimgraph.claims").values()
    assert case.get("name") == xml_text(claim_id)
    assert case.get("file") == xml_text(file)
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == xml_text(message)
    out = case.find("system-out")
    # the text's own line (a CR at its end and the line break make one CRLF, written as LF)
    assert out is not None and xml_text(f"claim: {text}\nstatus:") in (out.text or "")


@pytest.mark.parametrize("fail_on", ["error", "warning", "never"])
@pytest.mark.parametrize(
    "rules",
    [None, {"unverifiable-source"}, {"unverifiable-source", "orphan-source"}],
    ids=["all", "outage-only", "outage-and-info"],
)
def test_fails_exactly_when_the_exit_code_does(fail_on: str, rules: set[str] | None) -> None:
    report = sample_report()
    if rules is not None:
        report = report.model_copy(
            update={"findings": [f for f in report.findings if f.rule in rules]}
        )
    root = _parse(report, fail_on)
    expected = exit_code(report, fail_on) == EXIT_FINDINGS
    assert (int(root.get("failures", "")) > 0) == expected
