"""HTML: eCFR section pages and NCD/LCD coverage pages without front matter."""

from pathlib import Path

from retrieval.chunk import chunk_document
from retrieval.documents import DocType
from retrieval.loaders import load_documents

MB = 1_000_000
NCD = """<!DOCTYPE html><html><head><title>NCD - CPAP Therapy (240.4) | Coverage</title>
<link rel="canonical" href="https://www.cms.gov/coverage/ncd/240.4"></head>
<body><header><a href="/">Agency</a> Home</header>
<nav class="breadcrumb"><a>Home</a> › <a>Coverage</a> › <a>NCD</a></nav>
<div class="alert">You are viewing a version that is not the current one.</div>
<main>
<h1>National Coverage Determination (NCD) for CPAP Therapy for Obstructive Sleep Apnea (240.4)</h1>
<h2>Indications and Limitations of Coverage</h2>
<h3>A. General</h3><p>CPAP is a <b>non-invasive</b> technique.</p>
<h3>B. Nationally Covered Indications</h3>
<p>CPAP is covered for adults if all of the following are met:</p>
<ol><li>A face-to-face evaluation before the test; and</li>
<li>A positive sleep test:<ul><li>AHI of 15 or more, or</li>
<li>AHI 5 to 14 with symptoms.</li></ul></li>
</ol>
<table><tr><th>Test</th><th>Threshold</th></tr><tr><td>AHI</td><td>15</td></tr></table>
<p><a href="#top">Back to top</a></p>
</main><footer><p>A website managed by the agency</p></footer>
<script>track()</script></body></html>"""
CFR = """<html><head><title>eCFR :: 29 CFR 2560.503-1 -- Claims procedure.</title></head>
<body><nav><a>Previous</a> <a>Next</a></nav><header>eCFR</header>
<div class="section"><h4>§ 2560.503-1 Claims procedure.</h4>
<p id="p-2560.503-1(a)">(a) <em>Scope and purpose.</em> Every plan sets up claims procedures.</p>
<p class="indent-1">(1) Urgent care claims are decided within 72 hours.</p>
<p>eCFR content is from the Electronic Code of Federal Regulations and is updated daily.</p>
</div><footer>Footer links</footer></body></html>"""


def _load(tmp_path: Path, name: str, html: str) -> list:
    (tmp_path / name).write_text(html)
    return load_documents(tmp_path / name, MB)


def test_ncd_page_is_criteria_named_by_its_number(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "cpap.html", NCD)
    assert doc.meta.doc_id == doc.meta.citation == "NCD 240.4"
    assert doc.meta.doc_type is DocType.criteria
    assert doc.meta.title.startswith("National Coverage Determination (NCD) for CPAP")
    assert doc.meta.source_url == "https://www.cms.gov/coverage/ncd/240.4"
    assert doc.meta.version_warning == "You are viewing a version that is not the current one."


def test_ncd_page_keeps_lettered_headings_and_nested_lists_after_their_lead_in(
    tmp_path: Path,
) -> None:
    (doc,) = _load(tmp_path, "cpap.html", NCD)
    assert doc.text.startswith("# National Coverage Determination")
    assert "## Indications and Limitations of Coverage" in doc.text
    assert "### B. Nationally Covered Indications" in doc.text
    assert (
        "CPAP is covered for adults if all of the following are met:\n\n"
        "1. A face-to-face evaluation before the test; and\n"
        "2. A positive sleep test:\n"
        "  - AHI of 15 or more, or\n"
        "  - AHI 5 to 14 with symptoms.\n"
    ) in doc.text
    assert "- AHI — Threshold: 15" in doc.text  # a table row names its column
    assert "CPAP is a non-invasive technique." in doc.text


def test_page_navigation_header_footer_and_scripts_are_not_text(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "cpap.html", NCD)
    for furniture in ("Back to top", "Home", "managed by", "track()", "not the current one"):
        assert furniture not in doc.text


def test_ecfr_section_page_is_a_regulation_with_designated_paragraphs(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "claims.html", CFR)
    assert doc.meta.doc_id == doc.meta.citation == "29 CFR 2560.503-1"
    assert doc.meta.doc_type is DocType.regulation
    assert doc.meta.title == "§ 2560.503-1 Claims procedure."
    assert doc.text == (
        "# § 2560.503-1 Claims procedure.\n\n"
        "(a) Scope and purpose. Every plan sets up claims procedures.\n\n"
        "(1) Urgent care claims are decided within 72 hours.\n"
    )
    assert doc.warnings == ()


def test_lcd_page_is_criteria_named_by_its_lcd_id(tmp_path: Path) -> None:
    html = (
        "<html><head><title>LCD - Glucose Monitors (L33822)</title></head><body>"
        "<h1>Local Coverage Determination: Glucose Monitors (L33822)</h1>"
        "<h2>Coverage Indications, Limitations, and/or Medical Necessity</h2>"
        "<p>Monitors are covered when the member uses insulin.</p></body></html>"
    )
    (doc,) = _load(tmp_path, "cgm.html", html)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("LCD L33822", DocType.criteria)


def test_ordinary_page_without_front_matter_is_not_skipped(tmp_path: Path) -> None:
    html = "<html><head><title>Visiting hours</title></head><body><p>Open daily.</p></body></html>"
    (doc,) = _load(tmp_path, "visiting.html", html)
    assert (doc.meta.doc_id, doc.meta.title) == ("visiting", "Visiting hours")
    assert doc.text == "Open daily.\n"


COVERAGE_PAGE = """<html><head><title>HBO therapy (20.29)</title></head><body>
<div class="cookie-banner" role="dialog" aria-label="Cookie notice"><p>We use cookies to
improve this site.</p><button>Accept</button></div>
<div id="cookie-notice" class="cookie-consent"><p>This site stores small files.</p></div>
<main><h1>Hyperbaric Oxygen Therapy (NCD 20.29)</h1>
<ul class="nav-tabs"><li><a href="#coverage">Coverage</a></li><li><a>Downloads</a></li></ul>
<h3>A. Covered Conditions</h3>
<p>Diabetic wounds are covered when all of these are met:</p>
<ol type="a"><li>type 1 or type 2 diabetes;</li><li>Wagner grade III or higher;</li>
<li>a failed course of standard wound therapy.</li></ol>
<p>Failed, in criterion c, means no measurable healing for 30 days.</p>
<h3>B. Screening tests</h3>
<p>The tests at a glance (details follow):</p>
<table><caption>Covered tests</caption>
<tr><th>Test</th><th>Who</th><th>How often</th></tr>
<tr><td>Stool DNA test</td><td>ages 45 to 85</td><td>once every 3 years</td></tr>
<tr><td>CT colonography</td><td>age 45 and over</td><td>once every 5 years</td></tr></table>
<table class="doc-info"><tr><th>NCD ID</th><td>20.29</td></tr>
<tr><th>Version</th><td>4</td></tr></table>
</main></body></html>"""


def test_consent_banners_and_tab_strips_are_not_text(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "hbo.html", COVERAGE_PAGE)
    for chrome in ("cookies", "small files", "Accept", "Downloads", "Coverage\n"):
        assert chrome not in doc.text


def test_lettered_list_keeps_its_letters(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "hbo.html", COVERAGE_PAGE)
    assert (
        "Diabetic wounds are covered when all of these are met:\n\n"
        "- a. type 1 or type 2 diabetes;\n"
        "- b. Wagner grade III or higher;\n"
        "- c. a failed course of standard wound therapy.\n"
    ) in doc.text


def test_table_rows_name_their_columns_and_follow_the_lead_in(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "hbo.html", COVERAGE_PAGE)
    assert (
        "The tests at a glance (details follow):\n\n"
        "- Stool DNA test — Who: ages 45 to 85; How often: once every 3 years\n"
        "- CT colonography — Who: age 45 and over; How often: once every 5 years\n"
    ) in doc.text  # the caption adds nothing to a lead-in that introduces the table
    # A table of labels and values is a list of its own ("Version: 4" is read as metadata).
    assert doc.text.endswith("once every 5 years\n\n- NCD ID: 20.29\n")
    [section] = [c for c in chunk_document(doc) if c.citation == "NCD 20.29 §B"]
    lead, *rows = section.units
    assert lead.lead_in and [u.parent for u in rows[:2]] == [lead.index, lead.index]


def test_a_caption_introduces_rows_that_have_no_lead_in(tmp_path: Path) -> None:
    page = COVERAGE_PAGE.replace("<p>The tests at a glance (details follow):</p>", "")
    (doc,) = _load(tmp_path, "hbo.html", page)
    assert "Covered tests:\n\n- Stool DNA test — Who: ages 45 to 85" in doc.text


LEGAL_SITE = """<html><head>
<title>42 CFR § 422.590 - Timeframes for reconsiderations. | Law Site</title></head>
<body><div id="header"><a class="site-logo" href="/">Law Site</a>
<span class="site-slogan">free legal information</span></div>
<h1>42 CFR § 422.590 - Timeframes for reconsiderations.</h1>
<div class="prev-next"><a rel="prev">‹ prev</a> | <a rel="up">up</a> |
<a rel="next">next ›</a></div>
<div class="subsect indent1"><span class="enumbered">(a)</span> Standard reconsideration.</div>
<div class="subsect indent2"><span class="enumbered">(1)</span> The plan decides within 30
calendar days.</div></body></html>"""


def test_section_titled_with_its_cfr_citation_is_a_regulation(tmp_path: Path) -> None:
    (doc,) = _load(tmp_path, "42-cfr-422.590.html", LEGAL_SITE)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("42 CFR 422.590", DocType.regulation)
    cites = [u.citation for c in chunk_document(doc) for u in c.units]
    assert cites == ["42 CFR 422.590(a)", "42 CFR 422.590(a)(1)"]  # no site name, no prev/next


NCD_WINDOW_TITLE_PAGE = """<!DOCTYPE html><html><head>
<title>NCD - Test Brain Stimulation for Tremor (160.99) | Medicare Coverage Database</title>
</head><body>
<h1>National Coverage Determination (NCD)</h1>
<p class="doc-title">Test Brain Stimulation for Tremor</p>
<table class="ncd-info">
<tr><td>Publication Number</td><td>100-3</td></tr>
<tr><td>Manual Section Number</td><td>160.99</td></tr>
</table>
<h2>Indications and Limitations of Coverage</h2>
<h3>A. Covered Indications</h3>
<p>Medicare covers unilateral or bilateral stimulation for tremor.</p>
</body></html>
"""


def test_an_ncd_page_whose_heading_only_names_the_kind_takes_its_window_title(
    tmp_path: Path,
) -> None:
    (doc,) = _load(tmp_path, "ncd.html", NCD_WINDOW_TITLE_PAGE)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("NCD 160.99", DocType.criteria)
    # The window title, without the site it ends with.
    assert doc.meta.title == "NCD - Test Brain Stimulation for Tremor (160.99)"
