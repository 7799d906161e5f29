# Round r11, author P, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r11_P.py
"""Generate round r11 author P documents (deterministic: same bytes every run).

docs/title42-part422-422.202.xml            42 CFR 422.202 as GPO eCFR XML
docs/ecfr-42-cfr-422.204.txt                42 CFR 422.204 saved from a web page as text
docs/ecfr-42-cfr-422.111.html               42 CFR 422.111 selected paragraphs, eCFR HTML
docs/PR-1810-provider-termination-notices.docx  synthetic plan procedure (python-docx)

Regulation text below is a restatement in the author's own words, not a copy.
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
import datetime
import html
import io
import os
import textwrap
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs", "tuning")

# ---------------------------------------------------------------------------
# Regulation content: list of (designation, run-in heading or None, text)
# One designation per paragraph; the designation is the last label of the path.
# ---------------------------------------------------------------------------

S422_202 = [
    (
        "(a)",
        "Notice and appeal rights.",
        "An MA organization that offers a coordinated care plan or a network MSA plan must let "
        "individual physicians, and the managers and members of physician groups, take part in the "
        "plan under reasonable procedures. Those procedures must include the following:",
    ),
    (
        "(1)",
        None,
        "Giving physicians the rules of participation in writing, among them the terms of payment, "
        "credentialing, and any other rules that bear directly on decisions about participation.",
    ),
    (
        "(2)",
        None,
        "Telling physicians in writing about material changes to the participation rules before "
        "those changes take effect.",
    ),
    (
        "(3)",
        None,
        "Telling a physician in writing about any participation decision that goes against the "
        "physician (an adverse participation decision).",
    ),
    (
        "(4)",
        None,
        "A way to appeal adverse participation decisions, under which physicians may present "
        "information and their own views on the decision. When the MA organization suspends or "
        "terminates a provider contract, this appeal process must follow the rules in paragraph (d) "
        "of this section.",
    ),
    (
        "(b)",
        "Consultation.",
        "The MA organization must set up a formal mechanism for consulting the physicians who have "
        "agreed to furnish services under its MA plan about the organization's medical policy, its "
        "quality improvement programs and its medical management procedures, and must make sure that "
        "the standards in this paragraph are met.",
    ),
    ("(1)", None, "Practice guidelines and utilization management guidelines\u2014"),
    (
        "(i)",
        None,
        "Rest on reasonable medical evidence or on a consensus of health care professionals in the "
        "particular field;",
    ),
    ("(ii)", None, "Take into account the needs of the enrolled population;"),
    ("(iii)", None, "Are developed in consultation with contracting physicians; and"),
    ("(iv)", None, "Are reviewed and updated periodically."),
    (
        "(2)",
        None,
        "The guidelines are communicated to providers and, where appropriate, to enrollees.",
    ),
    (
        "(3)",
        None,
        "Decisions on utilization management, enrollee education, coverage of services, and any "
        "other area to which the guidelines apply are consistent with the guidelines.",
    ),
    (
        "(c)",
        "Treatment of subcontracted networks.",
        "When an MA organization runs an MA plan through subcontracted physician groups, the "
        "participation procedures of this section apply in the same way to the physicians who "
        "practice within those subcontracted groups.",
    ),
    (
        "(d)",
        "Suspension or termination of contract.",
        "An MA organization that offers a coordinated care plan or a network MSA plan furnishing "
        "benefits through contracting providers must meet the following requirements:",
    ),
    (
        "(1)",
        "Notice to physician.",
        "When the MA organization suspends or terminates an agreement under which a physician "
        "furnishes services to MA plan enrollees, it must give the affected physician a written "
        "notice that states\u2014",
    ),
    (
        "(i)",
        None,
        "The reasons for the action, including, where relevant, the standards and profiling data "
        "used to evaluate the physician and the numbers and mix of physicians the MA organization "
        "needs; and",
    ),
    (
        "(ii)",
        None,
        "The physician's right to appeal the action, and the process and timing for requesting a "
        "hearing.",
    ),
    (
        "(2)",
        "Composition of hearing panel.",
        "The MA organization must make sure that a majority of the members of the hearing panel are "
        "peers of the affected physician.",
    ),
    (
        "(3)",
        "Informing licensing bodies.",
        "When the MA organization suspends or terminates a contract with a physician because of "
        "deficiencies in the quality of care, it must report that action in writing to licensing or "
        "disciplinary bodies or to other appropriate authorities.",
    ),
    (
        "(4)",
        "Timeframes.",
        "Before either of them ends the contract without cause, the MA organization and the "
        "contracting provider must each give the other at least 60 days written notice. Notice to "
        "enrollees of the provider's departure is governed separately by \u00a7 422.111(e).",
    ),
]

S422_204 = [
    (
        "(a)",
        "General rule.",
        "An MA organization must have written policies and procedures for choosing and evaluating "
        "the providers it contracts with, covering both the decision to admit a provider to the "
        "network and the review of participating providers over time. Those policies must satisfy the credentialing and "
        "recredentialing requirements set out in paragraph (b) of this section, and they must also "
        "satisfy the antidiscrimination provisions of \u00a7 422.205.",
    ),
    (
        "(b)",
        "Basic requirements.",
        "For the providers and suppliers that have signed contracts or participation agreements "
        "with it, an MA organization must follow a documented process that\u2014",
    ),
    (
        "(1)",
        None,
        "For providers other than physicians and other health care professionals, requires a determination "
        "when the provider joins, and a fresh determination at specified intervals after that, "
        "that each provider is\u2014",
    ),
    (
        "(i)",
        None,
        "Licensed to operate in the State, and in compliance with any other State or Federal "
        "requirements that apply to it; and",
    ),
    (
        "(ii)",
        None,
        "Reviewed and approved by an accrediting body, or else meets the standards that the MA "
        "organization has established for itself.",
    ),
    (
        "(2)",
        None,
        "For physicians and other health care professionals, including the members of physician "
        "groups, covers\u2014",
    ),
    (
        "(i)",
        None,
        "Initial credentialing, which includes a written application; verification from primary "
        "sources of the applicant's licensure or certification; the applicant's disciplinary "
        "status; the applicant's eligibility for payment under Medicare; and site visits as "
        "appropriate. The applicant must sign and date the application and must attest that the "
        "application, and all of the other information submitted in support of it, is correct and "
        "complete.",
    ),
    (
        "(ii)",
        None,
        "Recredentialing at least every 3 years. Recredentialing brings up to date the information "
        "that was gathered at initial credentialing; takes into account performance indicators, such as those "
        "collected through the quality improvement program required under subpart D of this part, "
        "the utilization management system, the grievance system, and enrollee satisfaction "
        "surveys; and includes the professional's attestation that the new information is correct "
        "and complete.",
    ),
    (
        "(iii)",
        None,
        "A process for consulting the contracting health care professionals about the criteria "
        "that are used for credentialing and recredentialing.",
    ),
    (
        "(3)",
        None,
        "Provides that basic benefits are furnished through, and payments are made to, only "
        "providers that meet the applicable requirements of title XVIII and part A of title XI of "
        'the Act. A provider that falls within the definition of "provider of services" in '
        "section 1861(u) of the Act may furnish basic benefits only if it holds a provider "
        "agreement with CMS that permits it to furnish services under original Medicare.",
    ),
    (
        "(4)",
        None,
        "Ensures compliance with \u00a7 422.752(a)(8), which bars the MA organization from employing "
        "or contracting with individuals excluded from participation under Medicare, or with an "
        "entity that employs or contracts with such an excluded individual, and with the rules in "
        "\u00a7 422.220 on physicians and practitioners who have opted out of Medicare.",
    ),
]

S422_111 = [
    (
        "(a)",
        "Detailed description.",
        "An MA organization must disclose the information listed in paragraph (b) of this "
        "section\u2014",
    ),
    ("(1)", None, "To each enrollee who elects an MA plan that the organization offers;"),
    ("(2)", None, "In a clear, accurate and standardized form; and"),
    (
        "(3)",
        None,
        "At the time of enrollment and at least once a year after that, no later than the first "
        "day of the annual coordinated election period.",
    ),
    (
        "(b)",
        "Content of plan description.",
        "The description must include the following information about the MA plan. (Only "
        "paragraph (b)(3) is reproduced in this excerpt.)",
    ),
    (
        "(3)",
        "Access.",
        "The number, mix and distribution (addresses) of the providers from whom enrollees can "
        "reasonably expect to obtain services; any coverage outside the network; any "
        "point-of-service option, including the supplemental premium charged for it; and how the "
        "MA organization meets the access requirements of \u00a7\u00a7 422.112 and 422.114.",
    ),
    (
        "(d)",
        "Changes to rules.",
        "An MA organization that plans to change the rules of one of its MA plans must\u2014",
    ),
    (
        "(1)",
        None,
        "Submit the changes for CMS review under the procedures of subpart V of this part;",
    ),
    (
        "(2)",
        None,
        "For changes that take effect on January 1, notify all enrollees at least 15 days before "
        "the annual coordinated election period begins; and",
    ),
    (
        "(3)",
        None,
        "For any other change, notify all enrollees at least 30 days before the date the change is "
        "meant to take effect.",
    ),
    ("(e)", "Changes to provider network.", ""),
    (
        "(1)",
        None,
        "Notwithstanding paragraph (d) of this section, when the contract of a contracted provider "
        "ends, the MA organization must notify enrollees as set out below, whether the contract was "
        "terminated for cause or without cause:",
    ),
    (
        "(i)",
        "Primary care and behavioral health providers.",
        "When the departing provider is a primary care provider or a behavioral health provider, "
        "the MA organization must\u2014",
    ),
    (
        "(A)",
        None,
        "Send written notice to every enrollee who is currently assigned to that primary care "
        "provider, and to every enrollee who has been a patient of that primary care or behavioral "
        "health provider within the past 3 years; and",
    ),
    (
        "(B)",
        None,
        "Send that written notice at least 45 calendar days before the termination effective date.",
    ),
    (
        "(ii)",
        "All other provider types.",
        "When the departing provider is a specialist or any other type of provider, the MA "
        "organization must send written notice, at least 30 calendar days before the termination "
        "effective date, to every enrollee who is assigned to the provider, is currently receiving "
        "care from the provider, or has received care from the provider within the past 3 months.",
    ),
    ("(2)", None, "The notice to enrollees must include all of the following:"),
    (
        "(i)",
        None,
        "The names and phone numbers of in-network providers the enrollee may use for continued "
        "care, which may be supplemented by directions for using the plan's provider directory;",
    ),
    (
        "(ii)",
        None,
        "How the enrollee may ask for continuation of ongoing medical treatment or therapies with "
        "the current provider;",
    ),
    (
        "(iii)",
        None,
        "Information about the election periods during which the enrollee may make changes to "
        "Medicare coverage; and",
    ),
    (
        "(iv)",
        None,
        "The telephone number of the MA plan's call center, its TTY number, and its days and hours "
        "of operation.",
    ),
    (
        "(3)",
        None,
        "When a contract is terminated for cause on a date that does not allow the timeframes in "
        "paragraph (e)(1) of this section to be met, the MA organization must make a good faith "
        "effort to notify affected enrollees as early as practicable before the termination "
        "effective date. A termination without cause is not excused from the timeframes, because "
        "the provider contract already calls for at least 60 days written notice between the "
        "parties (see \u00a7 422.202(d)(4)).",
    ),
]

ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


def paths(section):
    """Yield (path, designation, heading, text) with the full paragraph path."""
    stack = []
    for des, head, text in section:
        lab = des.strip("()")
        if lab.isdigit():
            lvl = 2
        elif lab in ROMAN and len(stack) >= 2:
            lvl = 3
        elif lab.isupper():
            lvl = 4
        else:
            lvl = 1
        stack = [*stack[: lvl - 1], des]
        yield "".join(stack), des, head, text


# ---------------------------------------------------------------------------
# 1. GPO eCFR XML for 42 CFR 422.202
# ---------------------------------------------------------------------------


def x(s):
    return html.escape(s, quote=False)


def make_xml():
    out = []
    out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append("<ECFR>")
    out.append("<AMDDATE>Feb. 11, 2026</AMDDATE>")
    out.append('<DIV1 N="42" NODE="42" TYPE="TITLE">')
    out.append("<HEAD>Title 42\u2014Public Health</HEAD>")
    out.append('<DIV3 N="IV" NODE="42:3" TYPE="CHAPTER">')
    out.append(
        "<HEAD>CHAPTER IV\u2014CENTERS FOR MEDICARE &amp; MEDICAID SERVICES, DEPARTMENT OF "
        "HEALTH AND HUMAN SERVICES</HEAD>"
    )
    out.append('<DIV4 N="B" NODE="42:3.0.1" TYPE="SUBCHAP">')
    out.append("<HEAD>SUBCHAPTER B\u2014MEDICARE PROGRAM</HEAD>")
    out.append('<DIV5 N="422" NODE="42:3.0.1.1.9" TYPE="PART">')
    out.append("<HEAD>PART 422\u2014MEDICARE ADVANTAGE PROGRAM</HEAD>")
    out.append("<AUTH>")
    out.append(
        "<HED>Authority:</HED><PSPACE>42 U.S.C. 1302, 1306, 1395w-21 through 1395w-28, "
        "and 1395hh.</PSPACE>"
    )
    out.append("</AUTH>")
    out.append("<SOURCE>")
    out.append(
        "<HED>Source:</HED><PSPACE>63 FR 35068, June 26, 1998, unless otherwise noted.</PSPACE>"
    )
    out.append("</SOURCE>")
    out.append('<DIV6 N="E" NODE="42:3.0.1.1.9.5" TYPE="SUBPART">')
    out.append("<HEAD>Subpart E\u2014Relationships With Providers</HEAD>")
    out.append('<DIV8 N="\u00a7 422.202" NODE="42:3.0.1.1.9.5.25.3" TYPE="SECTION">')
    out.append("<HEAD>\u00a7 422.202 Participation procedures.</HEAD>")
    for _path, des, head, text in paths(S422_202):
        if head:
            out.append(f"<P>{des} <I>{x(head)}</I> {x(text)}</P>")
        else:
            out.append(f"<P>{des} {x(text)}</P>")
    out.append(
        "<CITA>[63 FR 35068, June 26, 1998, as amended at 64 FR 7980, Feb. 17, 1999; "
        "65 FR 40320, June 29, 2000; 70 FR 4740, Jan. 28, 2005]</CITA>"
    )
    out.append("</DIV8>")
    out.append("</DIV6>")
    out.append("</DIV5>")
    out.append("</DIV4>")
    out.append("</DIV3>")
    out.append("</DIV1>")
    out.append("</ECFR>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# 2. 42 CFR 422.204 saved from a web page as text
# ---------------------------------------------------------------------------


def make_txt():
    L = []
    L.append(
        "Source: https://www.ecfr.gov/current/title-42/chapter-IV/subchapter-B/part-422/"
        "subpart-E/section-422.204"
    )
    L.append("Retrieved: 2026-02-14 09:41 EST")
    L.append("")
    L.append("eCFR :: 42 CFR 422.204 -- Provider selection and credentialing.")
    L.append("Skip to main content    Home | Browse | Search | Reader Aids | My eCFR")
    L.append("")
    L.append("Displaying title 42, up to date as of 2/12/2026. Title 42 was last amended 2/9/2026.")
    L.append("view historical versions")
    L.append("")
    L.append("Title 42 > Chapter IV > Subchapter B > Part 422 > Subpart E > \u00a7 422.204")
    L.append("")
    L.append("< Previous: \u00a7 422.202 Participation procedures.")
    L.append("Next: \u00a7 422.205 Provider antidiscrimination. >")
    L.append("")
    L.append("Enhanced Content - Table of Contents | Details | Print/PDF | Subscribe | Timeline")
    L.append("")
    L.append("\u00a7 422.204 Provider selection and credentialing.")
    L.append("")
    indent = {1: "", 2: "    ", 3: "        ", 4: "            "}
    for path, des, head, text in paths(S422_204):
        lvl = path.count("(")
        body = des + " " + ((head + " ") if head else "") + text
        w = textwrap.fill(
            body, width=88, initial_indent=indent[lvl], subsequent_indent=indent[lvl] + "  "
        )
        L.append(w)
        L.append("")
    L.append("[63 FR 35068, June 26, 1998, as amended at 64 FR 7980, Feb. 17, 1999; 65 FR 40320,")
    L.append("June 29, 2000; 70 FR 4740, Jan. 28, 2005]")
    L.append("")
    L.append("< Previous: \u00a7 422.202 Participation procedures.")
    L.append("Next: \u00a7 422.205 Provider antidiscrimination. >")
    L.append("")
    L.append("Was this helpful?  Yes / No")
    L.append("")
    L.append("The Electronic Code of Federal Regulations (eCFR) is an editorial compilation of CFR")
    L.append("material and Federal Register amendments produced by the Office of the Federal")
    L.append("Register and the Government Publishing Office. It is not an official legal edition")
    L.append("of the CFR.")
    L.append("About | Accessibility | Privacy | Contact Us | Developer Tools | FOIA | USA.gov")
    L.append("")
    return "\n".join(L)


# ---------------------------------------------------------------------------
# 3. eCFR HTML excerpt for 42 CFR 422.111
# ---------------------------------------------------------------------------


def make_html():
    H = []
    H.append("<!DOCTYPE html>")
    H.append('<html lang="en">')
    H.append("<head>")
    H.append('<meta charset="utf-8">')
    H.append("<title>eCFR :: 42 CFR 422.111 -- Disclosure requirements.</title>")
    H.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    H.append('<link rel="stylesheet" href="/assets/application.css">')
    H.append("</head>")
    H.append("<body>")
    H.append(
        '<div id="cookie-banner" class="banner">This site uses cookies to remember your '
        "preferences and to measure traffic. <button>Accept</button> <button>Decline"
        "</button></div>"
    )
    H.append(
        '<header class="site-header"><a href="/">eCFR</a> <span>The Electronic Code of '
        "Federal Regulations</span></header>"
    )
    H.append(
        '<nav class="top-nav"><ul><li><a href="/">Home</a></li><li><a href="/browse">Browse'
        '</a></li><li><a href="/search">Search</a></li><li><a href="/reader-aids">Reader Aids'
        '</a></li><li><a href="/my/subscriptions">My eCFR</a></li></ul></nav>'
    )
    H.append(
        '<div class="content-notice">Displaying title 42, up to date as of 2/12/2026. Title '
        "42 was last amended 2/9/2026.</div>"
    )
    H.append(
        '<nav class="breadcrumbs" aria-label="breadcrumb"><a href="/current/title-42">Title '
        '42</a> &gt; <a href="/current/title-42/chapter-IV">Chapter IV</a> &gt; <a href="/'
        'current/title-42/chapter-IV/subchapter-B">Subchapter B</a> &gt; <a href="/current/'
        'title-42/chapter-IV/subchapter-B/part-422">Part 422</a> &gt; <a href="/current/'
        'title-42/chapter-IV/subchapter-B/part-422/subpart-C">Subpart C</a> &gt; '
        "\u00a7 422.111</nav>"
    )
    H.append(
        '<div class="section-nav"><a href="/current/title-42/section-422.110">&lt; Previous: '
        '\u00a7 422.110 Discrimination against beneficiaries prohibited.</a> | <a href="/'
        'current/title-42/section-422.112">Next: \u00a7 422.112 Access to services. &gt;</a>'
        "</div>"
    )
    H.append('<main id="content">')
    H.append("<h1>Title 42 \u2014 Public Health</h1>")
    H.append("<h2>Part 422 \u2014 Medicare Advantage Program</h2>")
    H.append("<h2>Subpart C \u2014 Benefits and Beneficiary Protections</h2>")
    H.append(
        '<div class="excerpt-note"><p><strong>Excerpt.</strong> This saved page shows selected '
        "paragraphs of \u00a7 422.111 only: paragraphs (a), (b)(3), (d) and (e). Paragraphs "
        "(b)(1), (b)(2), (b)(4) through the end of (b), (c), and (f) and later are omitted. "
        "Consult the full section for the omitted text.</p></div>"
    )
    H.append('<div class="section" id="422.111">')
    H.append("<h2>\u00a7 422.111 Disclosure requirements.</h2>")
    for path, des, head, text in paths(S422_111):
        pid = "p-422.111" + path
        lvl = path.count("(")
        inner = html.escape(des)
        if head:
            inner += f" <em>{html.escape(head)}</em>"
        if text:
            inner += " " + html.escape(text)
        H.append(f'<p id="{html.escape(pid)}" class="indent-{lvl}">{inner}</p>')
    H.append(
        '<p class="citation">[63 FR 35068, June 26, 1998, as amended at 65 FR 40320, June '
        "29, 2000; 83 FR 16725, Apr. 16, 2018; 88 FR 22328, Apr. 12, 2023]</p>"
    )
    H.append("</div>")
    H.append("</main>")
    H.append(
        '<div class="section-nav"><a href="/current/title-42/section-422.110">&lt; Previous'
        '</a> | <a href="/current/title-42/section-422.112">Next &gt;</a></div>'
    )
    H.append(
        '<footer class="site-footer"><p>The eCFR is an editorial compilation of CFR material '
        "and Federal Register amendments. It is not an official legal edition of the CFR.</p>"
        '<ul><li><a href="/about">About</a></li><li><a href="/accessibility">Accessibility'
        '</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/contact">Contact Us'
        "</a></li></ul></footer>"
    )
    H.append("</body>")
    H.append("</html>")
    return "\n".join(H) + "\n"


# ---------------------------------------------------------------------------
# 4. PR-1810 DOCX (synthetic plan procedure)
# ---------------------------------------------------------------------------

PLAN = "Aspen Ridge Example Health Plan (synthetic)"
TITLE = "PR-1810 Provider Termination Notices and Continuity of Care"

# Items: ("h1"|"h2"|"h3", text) | ("p", text) | ("b", text) bullet | ("n", text) numbered |
#        ("table", rows)
POLICY = [
    ("h1", "1 Purpose"),
    (
        "p",
        "This procedure tells Provider Relations (PR) and Utilization Management (UM) at "
        + PLAN
        + " what to do when a contracted provider leaves the Medicare Advantage (MA) "
        "network: which members are told, when the letters go out, what the letters say, how "
        "members who are in the middle of treatment are protected, and how a physician may "
        "appeal a suspension or termination that the plan starts. It carries out 42 CFR "
        "422.111(e), 42 CFR 422.202(d) and 42 CFR 422.204.",
    ),
    ("h1", "2 Scope"),
    ("h2", "2.1 In scope"),
    (
        "p",
        "All Aspen Ridge MA plans (HMO, HMO-POS and PPO) and every contracted practitioner, "
        "group, facility and ancillary provider in the MA network, whether the departure is "
        "started by the provider or by the plan, and whether it is for cause or without "
        "cause.",
    ),
    ("h2", "2.2 Out of scope"),
    (
        "p",
        "Changes to the Part D pharmacy network, which Pharmacy Network Management handles; "
        "termination or nonrenewal of the plan's own contract with CMS; and routine changes "
        "to a provider's address or hours that do not end the contract.",
    ),
    ("h1", "3 Definitions"),
    (
        "p",
        "Termination effective date: the first date on which the provider is no longer in network.",
    ),
    ("p", "Departing provider: the practitioner, group or facility whose contract is ending."),
    (
        "p",
        "Plan-initiated termination: a suspension or termination decided by the Credentialing "
        "Committee (quality or program-integrity reasons) or by Network Management (without "
        "cause).",
    ),
    ("p", "Affected member: a member who must receive the notice described in section 4.4."),
    ("h1", "4 Procedure"),
    ("h2", "4.1 Intake and logging"),
    (
        "p",
        "PR logs every departure in the Network Change Log within 1 business day after the "
        "provider's notice is received or the plan's decision is made, and records the date of "
        "receipt and the termination effective date. Aspen Ridge provider agreements require "
        "either party to give at least 60 days written notice before ending the agreement "
        "without cause, as 42 CFR 422.202(d)(4) requires. When a provider's notice arrives "
        "with less time than that, PR escalates it to Compliance on the same business day. "
        "For a plan-initiated termination of a physician, Credentialing also sends the "
        "physician notice described in section 4.6.",
    ),
    ("h2", "4.2 Building the member notice list"),
    (
        "p",
        "Within 3 business days after the departure is logged, PR Analytics pulls the "
        "affected-member list. The list must include:",
    ),
    ("b", "every member currently assigned to the departing provider as primary care provider;"),
    (
        "b",
        "for a primary care or behavioral health provider, every member with a paid claim or "
        "encounter with that provider in the 3 years before the pull date;",
    ),
    (
        "b",
        "for any other provider type, every member with a paid claim or encounter in the "
        "3 months before the pull date and every member currently receiving care;",
    ),
    (
        "b",
        "every member with an open or pending authorization that names the departing provider "
        "as servicing provider or facility;",
    ),
    (
        "b",
        "every member whom UM has flagged as in active treatment with the departing provider "
        "(see section 4.5).",
    ),
    (
        "p",
        "Duplicates are removed. A member who is losing more than one provider in the same "
        "month receives one combined letter. PR re-runs the pull 10 business days before the "
        "termination effective date to catch new patients and sends the letter to any member "
        "added by the re-run.",
    ),
    ("h2", "4.3 Notice timing"),
    (
        "p",
        "The regulatory minimum in 42 CFR 422.111(e)(1) is counted back from the termination "
        "effective date. Aspen Ridge sets earlier internal mail-by targets. Missing an internal "
        "target is a performance issue; missing the regulatory minimum is a compliance "
        "incident that PR reports to Compliance within 1 business day.",
    ),
    (
        "table",
        [
            [
                "Provider type",
                "Regulatory minimum before effective date",
                "Aspen Ridge mail-by target",
                "Telephone outreach",
            ],
            [
                "Primary care provider",
                "45 calendar days",
                "60 calendar days",
                "Member Services makes one call attempt to each assigned member",
            ],
            [
                "Behavioral health provider",
                "45 calendar days",
                "60 calendar days",
                "BH care coordinator calls members seen in the past 6 months",
            ],
            [
                "Specialist, facility or ancillary provider",
                "30 calendar days",
                "40 calendar days",
                "Calls only to members in active treatment",
            ],
            [
                "For-cause termination too close to meet the above",
                "Good faith effort, as early as practicable",
                "Within 2 business days after the decision",
                "Same-day calls to members in active treatment",
            ],
        ],
    ),
    ("h2", "4.4 Member letter"),
    (
        "p",
        "PR uses the approved provider-termination letter in the Communications Library. The "
        "letter must carry every element listed in 42 CFR 422.111(e)(2). In addition, Aspen "
        "Ridge lists at least three in-network providers of the same specialty who are "
        "accepting new patients, names a UM contact for members in active treatment, and "
        "sends the letter in the member's preferred language or alternate format when one is "
        "on file. For a departing primary care provider, the letter also states the new "
        "primary care provider the plan will assign if the member does not choose one.",
    ),
    ("h2", "4.5 Continuity of care for members in active treatment"),
    ("h3", "4.5.1 Identifying members"),
    (
        "p",
        "UM runs the open-authorization and inpatient census reports against the notice list. "
        "A UM nurse reviews each flagged member within 5 business days after the list is "
        "pulled and contacts the member or the treating provider when the record is unclear.",
    ),
    ("h3", "4.5.2 Active treatment criteria"),
    (
        "p",
        "A member is in active treatment with the departing provider when any one of the "
        "following applies on the termination effective date:",
    ),
    (
        "b",
        "the member is receiving chemotherapy or radiation therapy from, or directed by, the "
        "departing provider, or is scheduled to start it within 30 days;",
    ),
    (
        "b",
        "the member is pregnant and in the second or third trimester, or has a pregnancy the "
        "treating provider has documented as high risk;",
    ),
    (
        "b",
        "the member had surgery performed by the departing provider within the past 90 days "
        "and is still in post-operative follow-up;",
    ),
    (
        "b",
        "the member is in an authorized course of treatment with a defined end date, such as "
        "a therapy series, wound care or an infusion series;",
    ),
    (
        "b",
        "the member is an inpatient in a hospital, skilled nursing facility or inpatient "
        "rehabilitation facility that is the departing provider;",
    ),
    ("b", "the member has a terminal illness documented by the departing provider."),
    ("h3", "4.5.3 Transition decisions"),
    (
        "p",
        "A member who meets section 4.5.2, or that member's provider, may ask to keep seeing "
        "the departing provider for a transition period. A UM nurse may approve the request "
        "when the criteria are clearly met. Only a UM medical director may deny a "
        "continuity-of-care request or approve less than the full transition period asked "
        "for. A denial is handled as an organization determination: the member receives the "
        "written denial notice with appeal rights within the timeframes that apply to "
        "organization determinations. An approved transition lasts through the end of the "
        "course of treatment or 120 calendar days after the termination effective date, "
        "whichever comes first; for a pregnant member it lasts through the postpartum visit. "
        "Provider Contracting arranges the terms with the departing provider.",
    ),
    ("h3", "4.5.4 Existing authorizations"),
    (
        "p",
        "An authorization approved before the termination effective date stays valid for its "
        "approved dates of service while the member is in an approved transition. Otherwise UM "
        "moves the authorization to an in-network provider the member chooses, without "
        "requiring a new clinical review when the service and dates are unchanged.",
    ),
    ("h2", "4.6 Physician notice and appeal of a plan-initiated suspension or termination"),
    ("h3", "4.6.1 Notice to the physician"),
    (
        "p",
        "Credentialing sends the notice by certified mail and by email. The notice states the "
        "reasons for the action, including, where they apply, the standards and profiling data "
        "used and the numbers and mix of physicians the network needs, and it explains the "
        "physician's right to appeal and how and by when to request a hearing (42 CFR "
        "422.202(d)(1)). The appeal rights in this section do not apply when the provider "
        "chose to leave the network.",
    ),
    ("h3", "4.6.2 Requesting a hearing"),
    (
        "p",
        "The physician has 30 calendar days after receiving the notice to request a hearing "
        "in writing to the Credentialing Department. A request that arrives late is referred "
        "to the Chief Medical Officer, who may accept it for good cause.",
    ),
    ("h3", "4.6.3 Hearing panel"),
    (
        "p",
        "The Chief Medical Officer appoints a panel of three. At least two panel members, a "
        "majority, must be peers of the physician: practitioners of the same or a similar "
        "specialty who took no part in the decision and are not in direct economic competition "
        "with the physician.",
    ),
    ("h3", "4.6.4 Hearing and decision"),
    (
        "p",
        "The hearing is held within 45 calendar days after the request is received. The "
        "physician may present information and views and may bring a representative. The "
        "panel issues a written decision within 10 business days after the hearing. A "
        "suspension stays in effect while the appeal is pending.",
    ),
    ("h3", "4.6.5 Reporting"),
    (
        "p",
        "When a suspension or termination is based on deficiencies in the quality of care, "
        "Credentialing reports the action in writing to the state licensing board and to other "
        "appropriate authorities (42 CFR 422.202(d)(3)) and files any report required by the "
        "National Practitioner Data Bank rules.",
    ),
    ("h3", "4.6.6 Nondiscrimination"),
    (
        "p",
        "Aspen Ridge does not decline, suspend or terminate a health care professional acting "
        "within the scope of a license or certification solely because of that license or "
        "certification (42 CFR 422.205). Credentialing and recredentialing follow 42 CFR "
        "422.204.",
    ),
    ("h1", "5 Responsibilities"),
    (
        "b",
        "Provider Relations: intake, logging, notice list, member letters, timeliness reporting.",
    ),
    (
        "b",
        "Utilization Management: active treatment review, transition decisions, moving "
        "authorizations.",
    ),
    ("b", "Credentialing: physician notices, hearings, external reporting."),
    ("b", "Compliance: oversight of late notices and corrective action."),
    ("h1", "6 References"),
    (
        "p",
        "42 CFR 422.111(e); 42 CFR 422.202; 42 CFR 422.204; 42 CFR 422.205. Internal: Network "
        "Change Log desk guide; Communications Library provider-termination letter.",
    ),
    ("h1", "7 Revision history"),
    (
        "p",
        "v1.0 01/01/2023 new procedure. v2.0 01/01/2024 split timing for primary care and "
        "behavioral health providers. v3.0 11/15/2025 added section 4.5.4 and the re-run "
        "pull in section 4.2.",
    ),
]

FIXED_DT = datetime.datetime(2025, 11, 15, 9, 0, 0)
ZIP_DT = (2025, 11, 15, 9, 0, 0)


def make_docx(path):
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Calibri"
    st.font.size = Pt(11)

    sec = doc.sections[0]
    hdr = sec.header
    hdr.is_linked_to_previous = False
    hp = hdr.paragraphs[0]
    hp.text = PLAN + " | Provider Relations & Utilization Management | PR-1810 v3.0"
    hp2 = hdr.add_paragraph("Confidential \u2013 internal use only")
    hp2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    ftr = sec.footer
    ftr.is_linked_to_previous = False
    ftr.paragraphs[0].text = (
        "PR-1810 Provider Termination Notices and Continuity of Care | "
        "Printed copies are uncontrolled"
    )

    doc.add_heading(TITLE, level=0)
    for line in [
        PLAN,
        "Line of business: Medicare Advantage",
        "Policy owner: Director, Provider Relations; co-owner: Director, Utilization Management",
        "Approved by: Provider Network Committee",
        "Effective date: 01/01/2025    Last reviewed: 11/15/2025    Version: 3.0",
    ]:
        doc.add_paragraph(line)

    for kind, val in POLICY:
        if kind == "h1":
            doc.add_heading(val, level=1)
        elif kind == "h2":
            doc.add_heading(val, level=2)
        elif kind == "h3":
            doc.add_heading(val, level=3)
        elif kind == "p":
            doc.add_paragraph(val)
        elif kind == "b":
            doc.add_paragraph(val, style="List Bullet")
        elif kind == "table":
            t = doc.add_table(rows=len(val), cols=len(val[0]))
            t.style = "Table Grid"
            for r, row in enumerate(val):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
                    if r == 0:
                        for run in t.cell(r, c).paragraphs[0].runs:
                            run.bold = True
            doc.add_paragraph("")

    cp = doc.core_properties
    cp.author = "Aspen Ridge Provider Relations"
    cp.last_modified_by = "Aspen Ridge Provider Relations"
    cp.title = TITLE
    cp.subject = "Medicare Advantage provider terminations"
    cp.keywords = "PR-1810; provider termination; continuity of care"
    cp.comments = "Synthetic document for evaluation."
    cp.created = FIXED_DT
    cp.modified = FIXED_DT
    cp.last_printed = FIXED_DT
    cp.revision = 3

    buf = io.BytesIO()
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 3
            z.writestr(zi, data)
    with open(path, "wb") as f:
        f.write(out.getvalue())


def main():
    os.makedirs(DOCS, exist_ok=True)
    with open(
        os.path.join(DOCS, "title42-part422-422.202.xml"), "w", encoding="utf-8", newline="\n"
    ) as f:
        f.write(make_xml())
    with open(
        os.path.join(DOCS, "ecfr-42-cfr-422.204.txt"), "w", encoding="utf-8", newline="\n"
    ) as f:
        f.write(make_txt())
    with open(
        os.path.join(DOCS, "ecfr-42-cfr-422.111.html"), "w", encoding="utf-8", newline="\n"
    ) as f:
        f.write(make_html())
    make_docx(os.path.join(DOCS, "PR-1810-provider-termination-notices.docx"))


if __name__ == "__main__":
    main()
