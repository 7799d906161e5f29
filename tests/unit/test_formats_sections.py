"""Pages that hold several CFR sections, GPO's "Sec." headings, and the site chrome above a
section: one document per section, each cited by its own number, and no banner as answer text."""

from pathlib import Path

from retrieval.chunk import chunk_document
from retrieval.documents import DocType
from retrieval.loaders import load_documents

MB = 1_000_000
TWO_SECTIONS_HTML = """<html><head><title>eCFR :: 42 CFR 422.620 -- Discharge notices.</title>
<link rel="canonical" href="https://www.ecfr.gov/current/title-42/part-422/section-422.620"></head>
<body><div class="usa-banner"><p>An official site of the government Here's how you know</p></div>
<div class="reader-toolbar"><a>Table of Contents</a> <a>Details</a>
<span class="pager"><a>&lt; § 422.619</a> | <a>§ 422.624 &gt;</a></span></div>
<div class="section"><h4>§ 422.620 Notices of hospital discharge rights.</h4>
<p id="p-422.620(a)"><span class="paren">(</span>a<span class="paren">)</span> <em>Timing.</em>
The hospital gives the notice within 2 calendar days of admission.</p>
</div><div class="section"><h4>§ 422.622 Immediate QIO review of a discharge.</h4>
<p id="p-422.622(a)"><span class="paren">(</span>a<span class="paren">)</span> <em>Right.</em>
The enrollee may ask the QIO for an immediate review.</p>
<p id="p-422.622(a)(1)" class="indent-1"><span class="paren">(</span>1<span class="paren">)</span>
The request is made by telephone or in writing.</p>
</div></body></html>"""

TWO_SECTIONS_TEXT = """Source: https://www.ecfr.gov/current/title-42/part-422/subpart-M
Displaying title 42, up to date as of 11/20/2026.
Title 42 > Chapter IV > Subchapter B > Part 422 > Subpart M > §§ 422.624 - 422.626
eCFR Browse Search Recent Changes Reader Aids

§ 422.624 Notifying enrollees of termination of provider services.

(a) Applicability. This section applies to SNF, HHA, CORF and hospice services.

(b) Timing. The provider delivers the notice no later than 2 calendar days before services end.

§ 422.626 Fast-track appeals of service terminations.

(a) Timely request. The enrollee asks the QIO by noon of the day before services end.
"""

GPO_TEXT = """Source: https://www.ecfr.gov/current/title-42/part-422/section-422.582
   ELECTRONIC CODE OF FEDERAL REGULATIONS
   e-CFR data is current as of November 16, 2026
   Browse   Search   Reader Aids   Print

Sec. 422.582 Request for a standard reconsideration.

(a) Method and place for filing a request. A party files a written request with the MA
organization.

(b) Withdrawal. The party may withdraw the request before the decision.
"""


def _load(tmp_path: Path, name: str, text: str) -> list:
    (tmp_path / name).write_text(text)
    return load_documents(tmp_path / name, MB)


def _units(doc) -> list:
    return [u for c in chunk_document(doc) for u in c.units]


def test_an_html_page_of_two_sections_is_two_documents_cited_by_their_own_numbers(
    tmp_path: Path,
) -> None:
    docs = _load(tmp_path, "ecfr-42-cfr-422.620-422.622.html", TWO_SECTIONS_HTML)
    assert [d.meta.doc_id for d in docs] == ["42 CFR 422.620", "42 CFR 422.622"]
    assert all(d.meta.doc_type == DocType.regulation for d in docs)
    assert docs[1].meta.title.startswith("§ 422.622 Immediate QIO review")
    first, second = (_units(d) for d in docs)
    assert [u.citation for u in first] == ["42 CFR 422.620(a)"]
    # "<span>(</span>a<span>)</span>" reads "(a)", so the designation is found.
    assert first[0].text.startswith("(a) Timing. The hospital gives the notice")
    assert [u.citation for u in second] == ["42 CFR 422.622(a)", "42 CFR 422.622(a)(1)"]
    text = " ".join(u.text for d in docs for u in _units(d))
    assert "Here's how you know" not in text and "Table of Contents" not in text


def test_a_text_page_of_two_sections_is_two_documents_without_the_site_chrome(
    tmp_path: Path,
) -> None:
    docs = _load(tmp_path, "ecfr-42-cfr-422.624-422.626.txt", TWO_SECTIONS_TEXT)
    assert [d.meta.doc_id for d in docs] == ["42 CFR 422.624", "42 CFR 422.626"]
    assert docs[0].meta.source_url == "https://www.ecfr.gov/current/title-42/part-422/subpart-M"
    units = _units(docs[0])
    assert [u.citation for u in units] == ["42 CFR 422.624(a)", "42 CFR 422.624(b)"]
    assert not any("Browse" in u.text or "https://" in u.text for u in units)
    assert [u.citation for u in _units(docs[1])] == ["42 CFR 422.626(a)"]


def test_a_gpo_sec_heading_names_the_section(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "ecfr-42-cfr-422.582.txt", GPO_TEXT)
    assert doc.meta.doc_id == "42 CFR 422.582" and doc.meta.doc_type == DocType.regulation
    units = _units(doc)
    assert [u.citation for u in units] == ["42 CFR 422.582(a)", "42 CFR 422.582(b)"]
    assert not any("ELECTRONIC CODE" in u.text for u in units)


def test_a_policy_sec_heading_is_no_cfr_section(tmp_path: Path) -> None:
    text = "UM-900 Example Policy (synthetic)\n\nSec. 4.1 Scope\n\nThis policy covers intake.\n"
    (doc,) = _load(tmp_path, "UM-900-example.txt", text)
    assert doc.meta.doc_type != DocType.regulation and "CFR" not in doc.meta.doc_id


# A subpart's page saved as text lists every section of the subpart above the two it holds.
TABLE_OF_CONTENTS_TEXT = """Source: https://www.ecfr.gov/current/title-42/part-438/subpart-C
Title 42 > Chapter IV > Subchapter C > Part 438 > Subpart C > § 438.106
<< Previous: § 438.104 Marketing activities.     Next: § 438.110 Member advisory committee. >>

Table of contents, Subpart C
    § 438.100 Enrollee rights.
    § 438.106 Liability for payment.
    § 438.108 Cost sharing.
    § 438.114 Emergency and poststabilization services.

----------------------------------------------------------------

§ 438.106 Liability for payment.

   Every plan makes sure that no Medicaid enrollee is held liable for any of
   the following:

   (a) The plan's debts, if it becomes insolvent.

§ 438.108 Cost sharing.

   The contract requires that any cost sharing follows §§ 447.50 through
   447.82 of this chapter.

----------------------------------------------------------------
A service of the Office of the Federal Register (OFR) and the Government
Publishing Office (GPO). This content is provided for reference only and
is not an official legal edition of the CFR.
"""


def test_a_table_of_contents_names_no_documents_and_the_footer_is_not_text(
    tmp_path: Path,
) -> None:
    # Read as sections, the contents' entries were six empty documents, and the empty
    # "§ 438.114" stood in for the real one when another file held it.
    docs = _load(tmp_path, "ecfr-42-cfr-438.106-438.108.txt", TABLE_OF_CONTENTS_TEXT)
    assert [d.meta.doc_id for d in docs] == ["42 CFR 438.106", "42 CFR 438.108"]
    assert [u.citation for u in _units(docs[0])][-1] == "42 CFR 438.106(a)"
    text = " ".join(u.text for d in docs for u in _units(d))
    assert "Enrollee rights" not in text and "Emergency and poststabilization" not in text
    assert "Publishing Office" not in text and "reference only" not in text


# ... and a section's page that lists its subpart's sections under the text, then the footer.
CONTENTS_BELOW_TEXT = """Source: https://www.ecfr.gov/current/title-45/part-164/section-164.506

§ 164.506 Uses and disclosures to carry out treatment, payment, or health care operations.

   (a) Standard: Permitted uses and disclosures. A covered entity may use or disclose protected
   health information for its own treatment, payment, or health care operations.

Subpart E contents
  § 164.502 Uses and disclosures of protected health information: General rules.
  § 164.506 Uses and disclosures to carry out treatment, payment, or health care operations.
  § 164.534 Compliance dates for initial implementation of the privacy standards.

-------------------------------------------------------------------------------
About the eCFR  |  Using the eCFR  |  Developer Tools  |  Privacy
The Electronic Code of Federal Regulations is maintained by the Office of the
Federal Register (OFR) of the National Archives and Records Administration (NARA)
and the U.S. Government Publishing Office (GPO).
"""


def test_contents_listed_below_the_section_and_the_footer_after_them_are_not_text(
    tmp_path: Path,
) -> None:
    # The list's last entry headed the footer, so "§ 164.534" was a document of its own.
    docs = _load(tmp_path, "ecfr-45-cfr-164.506.txt", CONTENTS_BELOW_TEXT)
    assert [d.meta.doc_id for d in docs] == ["45 CFR 164.506"]
    text = " ".join(u.text for u in _units(docs[0]))
    assert "General rules" not in text and "Compliance dates" not in text
    assert "maintained by" not in text
