"""A CFR section saved from a web page as text, and plain-text policies."""

from pathlib import Path

from retrieval.chunk import chunk_document
from retrieval.documents import DocType, LineOfBusiness
from retrieval.loaders import load_documents

MB = 1_000_000
SAVED_PAGE = """Source: https://www.ecfr.gov/current/title-42/chapter-IV/part-422/section-422.568
Retrieved: 2026-10-02
Table of Contents
Previous
Next
Details
Print
Enhanced Content
This is a historical version of this section; it was in effect until 2025-12-31.
Title 42 › Chapter IV › Subchapter B › Part 422 › Subpart M › § 422.568

§ 422.568 Standard timeframes and notice requirements for organization determinations.

(a) Method and place for filing a request. An enrollee asks the plan for a standard
determination.

(b) Timeframe. The plan notifies the enrollee no later than 14 calendar days after receipt,
except:
(1) The plan may extend by up to 14 calendar days if either of the following occur:
(i) The enrollee requests the extension.
(ii) The extension is justified.

eCFR content is from the Electronic Code of Federal Regulations and is updated daily.
Back to top
"""


def _load(tmp_path: Path, name: str, text: str) -> list:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return load_documents(path, MB)


def test_saved_cfr_page_is_a_regulation_named_by_its_section(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "422-568.txt", SAVED_PAGE)
    assert doc.meta.doc_id == doc.meta.citation == "42 CFR 422.568"
    assert doc.meta.doc_type is DocType.regulation
    assert doc.meta.title.startswith("§ 422.568 Standard timeframes")
    assert doc.warnings == ()


def test_saved_cfr_page_keeps_source_and_version_warning_as_metadata_only(
    tmp_path: Path,
) -> None:
    (doc,) = _load(tmp_path, "422-568.txt", SAVED_PAGE)
    assert doc.meta.source_url == (
        "https://www.ecfr.gov/current/title-42/chapter-IV/part-422/section-422.568"
    )
    assert doc.meta.version_warning and "historical version" in doc.meta.version_warning
    for furniture in (
        "Source:",
        "Retrieved",
        "Table of Contents",
        "Previous",
        "Enhanced Content",
        "historical version",
        "Title 42 ›",
        "eCFR content",
        "Back to top",
    ):
        assert furniture not in doc.text


def test_saved_cfr_page_has_one_paragraph_per_designation(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "422-568.txt", SAVED_PAGE)
    paragraphs = doc.text.strip().split("\n\n")
    assert paragraphs[0].startswith("# § 422.568 ")
    assert paragraphs[1] == (
        "(a) Method and place for filing a request. An enrollee asks the plan for a standard "
        "determination."
    )
    assert paragraphs[2].startswith("(b) Timeframe.") and paragraphs[2].endswith("except:")
    assert paragraphs[3].startswith("(1) The plan may extend")
    assert paragraphs[4:] == [
        "(i) The enrollee requests the extension.",
        "(ii) The extension is justified.",
    ]


def test_text_policy_lines_become_metadata_and_lists_follow_their_lead_in(
    tmp_path: Path,
) -> None:
    text = (
        "Home Health Services\n\nPolicy Number: UM-777\nEffective Date: March 1, 2026\n"
        "Version: 4\nLine of Business: Medicare Advantage\n\n"
        "1 Purpose\n\nThis synthetic policy covers home health.\n\n"
        "2.1 Homebound status\n\nThe member is homebound when all of the following apply:\n"
        "1. Leaving home takes a considerable effort\n2. Absences are infrequent\n"
        "  - for medical care\n"
    )
    (doc,) = _load(tmp_path / "policies", "hh.txt", text)
    meta = doc.meta
    assert (meta.doc_id, meta.citation, meta.version) == ("UM-777", "UM-777", "4")
    assert meta.effective_date.isoformat() == "2026-03-01"  # type: ignore[union-attr]
    assert meta.line_of_business is LineOfBusiness.medicare_advantage
    assert "Policy Number" not in doc.text and "Version" not in doc.text
    assert "## 1 Purpose" in doc.text
    assert "### 2.1 Homebound status" in doc.text
    assert (
        "The member is homebound when all of the following apply:\n\n"
        "1. Leaving home takes a considerable effort\n2. Absences are infrequent\n"
        "  - for medical care"
    ) in doc.text


def test_superseded_policy_version_gets_its_end_date(tmp_path: Path) -> None:
    text = (
        "Policy ID: UM-778\nVersion: 2\nEffective: 01/01/2025\nSuperseded: Dec. 31, 2025\n\n"
        "1 Rule\n\nOld rule.\n"
    )
    (doc,) = _load(tmp_path, "old.txt", text)
    assert doc.key == "UM-778@2"
    assert doc.meta.end_date.isoformat() == "2025-12-31"  # type: ignore[union-attr]


def test_markdown_front_matter_still_wins_over_what_the_text_says(tmp_path: Path) -> None:
    text = "---\ndoc_id: UM-1\ntitle: Front\n---\n# Body title\n\nPolicy Number: UM-999\n"
    (doc,) = _load(tmp_path, "a.md", text)
    assert (doc.meta.doc_id, doc.meta.title) == ("UM-1", "Front")


def test_paragraph_c_is_not_mistaken_for_a_copyright_line(tmp_path: Path) -> None:
    text = "§ 1.1 Scope.\n\n(b) Second.\n\n(c) Who can request a determination.\n\n(1) Member.\n"
    (doc,) = _load(tmp_path, "s.txt", text + "\n[65 FR 70265, Nov. 21, 2000]\n© 2026 Example\n")
    assert "(c) Who can request a determination." in doc.text.split("\n\n")
    assert "65 FR" not in doc.text and "©" not in doc.text


def test_unnumbered_headings_of_a_saved_page_become_headings(tmp_path: Path) -> None:
    text = (
        "Source: https://www.example.gov/rule\n\nExample Prior Authorization Rule: summary\n\n"
        "Who the rule applies to\n\nIt applies to every plan.\n\nThe metrics include:\n\n"
        "- one metric;\n- another.\n\nDrugs are excluded\n\nNo drug is covered.\n"
    )
    (doc,) = _load(tmp_path, "rule.txt", text)
    headings = [line for line in doc.text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Example Prior Authorization Rule: summary",
        "## Who the rule applies to",
        "## Drugs are excluded",
    ]
    assert doc.meta.title == "Example Prior Authorization Rule: summary"


def test_historical_and_current_copies_of_a_section_are_two_versions(tmp_path: Path) -> None:
    old = SAVED_PAGE.replace("/current/", "/on/2025-06-01/")
    current = "\n".join(
        line for line in SAVED_PAGE.splitlines() if "historical version" not in line
    )
    (hist,) = _load(tmp_path, "old.txt", old)
    (now,) = _load(tmp_path, "new.txt", current)
    assert (hist.meta.doc_id, now.meta.doc_id) == ("42 CFR 422.568", "42 CFR 422.568")
    assert hist.key == "42 CFR 422.568@2025-06-01" and now.key == "42 CFR 422.568@1"
    assert hist.meta.end_date.isoformat() == "2025-12-31"  # type: ignore[union-attr]
    assert now.meta.end_date is None and now.meta.version_warning is None


HARD_WRAPPED = """Displaying title 42, up to date as of 10/01/2026.
Title 42 was last amended 9/28/2026.

eCFR :: 42 CFR 438.56 -- Disenrollment: requirements and limitations.

Previous / Next / Top

§ 438.56 Disenrollment: requirements and limitations.
(d) Procedures for disenrollment. (1) The beneficiary asks the State in writing.
(2) Cause for disenrollment. These are the causes to disenroll under paragraph
(c)(1) of this section:
(i) The enrollee moves out of the plan's service area; or
(ii) The plan does not cover the service the enrollee seeks.
"""


def test_hard_wrapped_cross_reference_is_no_new_paragraph(tmp_path: Path) -> None:
    (tmp_path / "438.56.txt").write_text(HARD_WRAPPED)
    (doc,) = load_documents(tmp_path / "438.56.txt", MB)
    units = {u.citation: u for c in chunk_document(doc) for u in c.units}
    lead = units["42 CFR 438.56(d)(2)"]
    assert lead.text.endswith("under paragraph (c)(1) of this section:") and lead.lead_in
    assert units["42 CFR 438.56(d)(2)(ii)"].parent == lead.index  # "; or" still ends an item
    for furniture in ("Displaying title", "last amended", "eCFR ::", "Previous"):
        assert furniture not in doc.text


# Hanging indents: a paragraph's first line is indented, its wrapped lines are not, and a
# wrap may leave a reference's last designation alone on a line; "--" is a typed dash.
HANGING_INDENT = """§ 149.420 Balance billing for non-emergency services.

   (a) In general. A nonparticipating provider may not bill above the amounts set under
§ 149.110(b)(3)(ii) and
(iii).

   (b) Exception--(1) In general. Paragraph (a) does not apply when notice is given.

   (2) Never available. The exception cannot be used for the following:

   (i) Ancillary services, which are--

   (A) Emergency medicine and anesthesiology; and

   (B) Diagnostic services.

   (c) Notice. The provider gives notice 72 hours ahead.
"""


def test_a_designation_left_alone_by_the_wrap_and_a_typed_dash(tmp_path: Path) -> None:
    (tmp_path / "149.420.txt").write_text(HANGING_INDENT)
    (doc,) = load_documents(tmp_path / "149.420.txt", MB)
    units = {u.citation: u for c in chunk_document(doc) for u in c.units}
    assert units["45 CFR 149.420(a)"].text.endswith("§ 149.110(b)(3)(ii) and (iii).")
    assert "45 CFR 149.420(b)(1)" in units and "45 CFR 149.420(b)(2)(i)(B)" in units
    lead = units["45 CFR 149.420(b)(2)(i)"]
    assert lead.text.endswith("which are—") and lead.lead_in
    assert "45 CFR 149.420(c)" in units


# --- the fifth tuning round's saved pages ------------------------------------------------------

RUN_TOGETHER = """Source: https://www.ecfr.gov/current/title-45/part-164/section-164.528
Retrieved: 2026-11-03

eCFR :: 45 CFR 164.528 -- Accounting of disclosures of protected health information.
An official website of the United States government
Menu: Browse | Search | Reader Aids | Recent Changes
Content as of 10/30/2026; Title 45 last amended 10/21/2026.
Home > Browse > Title 45 > Part 164 > Subpart E > 164.528

Subpart E - Privacy of Individually Identifiable Health Information

§ 164.528 Accounting of disclosures of protected health information.

(a) Standard. (1) An individual may receive an accounting of disclosures made in the six years
before the request, except for disclosures made to the individual, as
§ 164.502 provides; or under an authorization. (2) The entity acts on a request — (i) Within
60 days after receipt; or (ii) Within 30 more days, once, as paragraph (a)(2)(i) of this
section allows after a written statement.

(b) Content. Each entry gives the date of the disclosure.
"""


def test_designations_run_together_are_cut_into_units_and_a_wrapped_section_sign_is_text(
    tmp_path: Path,
) -> None:
    (doc,) = _load(tmp_path, "164.528.txt", RUN_TOGETHER)
    # "§ 164.502 provides; ..." is the wrap of a sentence, not a second section heading.
    assert doc.meta.doc_id == doc.meta.citation == "45 CFR 164.528"
    units = {u.citation: u.text for c in chunk_document(doc) for u in c.units}
    assert set(units) == {
        "45 CFR 164.528(a)(1)",
        "45 CFR 164.528(a)(2)",
        "45 CFR 164.528(a)(2)(i)",
        "45 CFR 164.528(a)(2)(ii)",
        "45 CFR 164.528(b)",
    }
    assert units["45 CFR 164.528(a)(1)"].endswith(
        "as § 164.502 provides; or under an authorization."
    )
    # The cross-reference "(a)(2)(i) of this section" inside (ii) did not cut it.
    assert units["45 CFR 164.528(a)(2)(ii)"].startswith("(ii) Within 30 more days, once, as par")
    for furniture in ("official website", "Menu:", "Content as of", "Home >", "eCFR ::"):
        assert furniture not in doc.text


NCD_PAGE = """Source: https://www.cms.gov/medicare-coverage-database/view/ncd.aspx?ncdid=269
CMS.gov   Centers for Medicare & Medicaid Services
MCD Home  >  Search  >  NCD Results  >  National Coverage Determination
Print   |   Email   |   Download PDF   |   Back to Search Results

National Coverage Determination (NCD)

Home Prothrombin Time/International Normalized Ratio (PT/INR) Monitoring

Tracking Information
  NCD ID: 190.11
  Effective Date of this Version: 03/19/2008

Indications and Limitations of Coverage

B. Nationally Covered Indications

Home INR monitoring is covered for patients with mechanical heart valves.
"""


def test_a_saved_coverage_database_page_names_its_ncd(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "home-inr.txt", NCD_PAGE)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("NCD 190.11", DocType.criteria)
    assert (
        doc.meta.title == "Home Prothrombin Time/International Normalized Ratio (PT/INR) Monitoring"
    )
    cited = {c.citation for c in chunk_document(doc)}
    assert "NCD 190.11 §B" in cited
    for furniture in ("CMS.gov", "MCD Home", "Download PDF"):
        assert furniture not in doc.text


FR_TITLE = (
    "Medicare and Medicaid Programs; Patient Protection and Affordable Care Act; Advancing "
    "Interoperability and Improving Prior Authorization Processes"
)
FR_PAGE = f"""FEDERAL REGISTER
The Daily Journal of the United States Government
Home  |  Sections  |  Browse  |  Search  |  Public Inspection  |  Reader Aids

{FR_TITLE}

Document Details
  Document Citation: 89 FR 8758
  Document Number: 2024-00895

-----------------------------------------------------------------------

DEPARTMENT OF HEALTH AND HUMAN SERVICES

42 CFR Parts 422, 431, and 438

45 CFR Part 156

[CMS-0057-F]

RIN 0938-AU87

AGENCY: Centers for Medicare & Medicaid Services (CMS), HHS.

ACTION: Final rule.

SUMMARY: This final rule sets prior authorization decision timeframes.

2. Items and services affected; drugs excluded

The decision timeframes apply to items and services other than drugs.
"""


def test_a_federal_register_rule_is_a_regulation_named_by_its_docket(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "fr-excerpt.txt", FR_PAGE)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("CMS-0057-F", DocType.regulation)
    assert doc.meta.title.startswith("Medicare and Medicaid Programs; Patient Protection")
    assert "Public Inspection" not in doc.text and "Daily Journal" not in doc.text
    # The heading block is metadata: no "§45" section from "45 CFR Part 156", no rule line.
    for line in ("45 CFR Part 156", "42 CFR Parts", "RIN 0938", "[CMS-0057-F]", "-----", "DEPART"):
        assert line not in doc.text
    units = {u.text: u.citation for c in chunk_document(doc) for u in c.units}
    assert units["ACTION: Final rule."] == "CMS-0057-F"
    # A numbered heading may join two phrases with ";".
    assert units["The decision timeframes apply to items and services other than drugs."] == (
        "CMS-0057-F §2"
    )
    # Without a docket line the rule is named by its first page.
    (doc,) = _load(tmp_path, "other.txt", FR_PAGE.replace("[CMS-0057-F]", ""))
    assert doc.meta.doc_id == "89 FR 8758"


TEXT_POLICY = """FAIRMONT EXAMPLE HEALTH PLAN (SYNTHETIC)
Clinical Operations Policy Library

Policy Number:     UM-810
Title:             Care Coordination Program

4. Policy

4.1 Health risk screening of new members
The screening is completed within 90 calendar days after enrollment.

4.2 Closing a case
A case is closed when:
- the member asks to leave the program;
- the member leaves the plan.
The coordinator sends the member a closing letter.

5. Procedure

5.1 Referrals arrive in the work queue from the HRS system, the UM system, the provider portal,
the member or by telephone.
"""


def test_a_text_policy_title_line_and_numbered_headings_above_their_text(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "um-810.txt", TEXT_POLICY)
    assert (doc.meta.doc_id, doc.meta.title) == ("UM-810", "Care Coordination Program")
    units = {u.text: u.citation for c in chunk_document(doc) for u in c.units}
    assert units["The screening is completed within 90 calendar days after enrollment."] == (
        "UM-810 §4.1"
    )
    # The sentence after the list is a paragraph of its own, and "5. Procedure" a heading.
    assert units["The coordinator sends the member a closing letter."] == "UM-810 §4.2"
    assert "- the member leaves the plan." in {f"- {t}" for t in units}
    # A wrapped numbered paragraph ("5.1 Referrals arrive ... portal,") is no heading, but a
    # pinpoint of its own.
    assert any(
        t.startswith("5.1 Referrals arrive") and c == "UM-810 §5.1" for t, c in units.items()
    )


CURRENT_BANNER = """Source: https://www.ecfr.gov/current/title-42/part-422/section-422.138
Enhanced Content: Cross Reference · Timeline · Published Edition

*** Version information ***
You are viewing the version of this section currently in force. This text
reflects the changes that apply from January 1, 2024; the wording that applied
before then can be opened from the Timeline in Enhanced Content.
*** ***

§ 422.138 Prior authorization.

(a) Applicability. This section governs prior authorization.
"""


def test_a_banner_about_the_current_version_is_furniture_not_a_warning(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "422.138.txt", CURRENT_BANNER)
    assert doc.meta.version_warning is None and doc.meta.end_date is None
    # The whole banner paragraph goes, not only its first line; the menu line too.
    for furniture in (
        "Version information",
        "currently in force",
        "reflects the changes",
        "Timeline",
        "Cross Reference",
    ):
        assert furniture not in doc.text
    assert "(a) Applicability. This section governs prior authorization." in doc.text


NCD_TRACKING_PAGE = """Medicare Coverage Database
Skip to main content    Search    Reports    Downloads    Help    Contact Us

National Coverage Determination (NCD)
Test Rehabilitation Programs
20.99
Expand All | Collapse All       Print | Share | Download PDF

Tracking Information
  Publication Number          100-3
  Manual Section Number       20.99
  Manual Section Title        Test Rehabilitation Programs
  Version Number              2

Indications and Limitations of Coverage
1. Qualifying conditions. Medicare covers the program after one of the following:
   a. a qualifying event within the preceding 12 months;
   b. a qualifying procedure.
2. Session limits. No more than two sessions per day.
"""

NCD_PRINTER_PAGE = """NCD - Test Nerve Stimulation (TNS) (160.99)
Printer-friendly version generated from the coverage database. Links in the
original page are shown as plain text.

Publication Number: 100-3 | Manual Section Number: 160.99 | Version Number: 3

A. General
Test nerve stimulation sends pulses to a nerve from an implanted generator.

B. Nationally Covered Indications
1. TNS is reasonable and necessary for refractory partial onset seizures.
2. TNS for depression is covered only in an approved study.
"""


def test_an_ncd_page_is_named_by_its_tracking_lines(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "ncd-page.txt", NCD_TRACKING_PAGE)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("NCD 20.99", DocType.criteria)
    assert doc.meta.title == "Test Rehabilitation Programs"
    # The tracking lines are metadata and the menu bars furniture, not answer text.
    for line in ("Publication Number", "Manual Section", "Reports", "Collapse All"):
        assert line not in doc.text
    units = {u.text: u.citation for c in chunk_document(doc) for u in c.units}
    # A heading right above the list it heads ("Indications ..." then "1. ...").
    assert units["2. Session limits. No more than two sessions per day."] == (
        "NCD 20.99, Indications and Limitations of Coverage"
    )


def test_a_printer_friendly_ncd_has_its_title_line_and_lettered_sections(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "ncd-160.txt", NCD_PRINTER_PAGE)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("NCD 160.99", DocType.criteria)
    assert doc.meta.title == "NCD - Test Nerve Stimulation (TNS) (160.99)"
    units = {u.text: u.citation for c in chunk_document(doc) for u in c.units}
    # "A. General" right above its text, "B. ..." right above its list: lettered sections.
    assert (
        units["Test nerve stimulation sends pulses to a nerve from an implanted generator."]
        == "NCD 160.99 §A"
    )
    assert (
        units["1. TNS is reasonable and necessary for refractory partial onset seizures."]
        == "NCD 160.99 §B"
    )


INTRANET_POLICY = """Policy Number: UM-991
Title: Test Rehabilitation Review

3. Definitions
a) Session: up to one hour of services on a single day.
b) ITP: the treatment plan signed by the program physician.

4. Review criteria
4.1 Cardiac rehabilitation
a) The record documents a qualifying condition, with the date of the
event or procedure.
b) A signed physician order is attached.

5. Procedure
5.1 Requests arrive through the provider portal or by fax. If a required
document is missing, the reviewer asks for it once.
5.2 A denial notice must name the criterion that was not met and give the
reviewer's name and specialty.
"""


def test_a_text_policy_with_headings_over_lettered_lists_and_numbered_paragraphs(
    tmp_path: Path,
) -> None:
    (doc,) = _load(tmp_path, "um-991.txt", INTRANET_POLICY)
    units = {u.text: u.citation for c in chunk_document(doc) for u in c.units}
    # "3. Definitions" over "a) ..." heads a lettered list; "4.1 ..." right under "4. ..." is a
    # heading too, so its items are cited to it.
    assert units["a. Session: up to one hour of services on a single day."] == "UM-991 §3"
    assert units["b. A signed physician order is attached."] == "UM-991 §4.1"
    # Numbered paragraphs in one block stay apart ...
    assert (
        units[
            "5.1 Requests arrive through the provider portal or by fax. If a required document is "
            "missing, the reviewer asks for it once."
        ]
        == "UM-991 §5.1"
    )
    assert any(t.startswith("5.2 A denial notice must name") for t in units)


CMS_MANUAL_TEXT = """50 - Reconsiderations

50.1 - Who May Request a Reconsideration

An enrollee, the enrollee's representative or a physician treating the enrollee may
request a reconsideration.
  • A physician may ask without being appointed.

50.2 - Who Must Conduct the Reconsideration

A physician with expertise in the field decides a medical necessity reconsideration.

6. TRAINING
6.1 New review staff complete orientation within 30 days of hire.
6.2 Nurses and physician reviewers take a reliability test every year.
6.2.1 A reviewer who scores below 90% retakes the test within 60 days.
"""


def test_manual_headings_with_a_dash_and_deeper_numbered_paragraphs(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "guidance-50.txt", CMS_MANUAL_TEXT)
    units = {u.text: u.citation for c in chunk_document(doc) for u in c.units}
    # "50.1 - Who May ..." is a numbered heading, as a CMS manual sets it.
    assert (
        units[
            "An enrollee, the enrollee's representative or a physician treating the enrollee may "
            "request a reconsideration."
        ]
        == "guidance-50 §50.1"
    )
    # ... also alone right after a list: "50.2" never numbers the list's next item.
    assert (
        units[
            "A physician with expertise in the field decides a medical necessity reconsideration."
        ]
        == "guidance-50 §50.2"
    )
    # A numbered paragraph ending in a period starts a unit; "6.2.1" is cited under §6.
    assert (
        units["6.2 Nurses and physician reviewers take a reliability test every year."]
        == "guidance-50 §6.2"
    )
    assert (
        units["6.2.1 A reviewer who scores below 90% retakes the test within 60 days."]
        == "guidance-50 §6.2.1"
    )


def test_a_wrapped_breadcrumb_a_pager_and_a_share_bar_are_not_text(tmp_path: Path) -> None:
    page = (
        "Source: https://www.example.gov/guidance/section-50\n"
        "Example Agency > Medicare > Appeals > Medicare Advantage (Part C) >\n"
        "Guidance\n"
        "Print | Share | Download full guidance (PDF)\n"
        "< Previous: 40 - Organization Determinations\n"
        "\n"
        "50 - Reconsiderations\n"
        "\n"
        "A reconsideration is the first level of appeal after an adverse determination.\n"
        "\n"
        "Next: 60 - Effectuation >\n"
    )
    (doc,) = _load(tmp_path, "guidance-section-50.txt", page)
    assert doc.meta.title == "50 - Reconsiderations"
    text = " ".join(u.text for c in chunk_document(doc) for u in c.units)
    assert "first level of appeal" in text
    for furniture in ("Guidance", "Share", "Previous", "Next: 60"):
        assert furniture not in text
