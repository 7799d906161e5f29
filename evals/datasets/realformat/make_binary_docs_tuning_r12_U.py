# Round r12, author U, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r12_U.py
"""Build docs/MS-2110-member-disclosures-and-sbc-distribution.docx deterministically.

Run with /work/main/.venv/bin/python (python-docx). The core properties are fixed and
the finished package is rewritten with fixed zip timestamps, so every run gives the
same bytes.
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
import datetime
import io
import os
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning", "MS-2110-member-disclosures-and-sbc-distribution.docx")

PLAN = "Stonebridge Commercial Example Health Plan (synthetic)"
FIXED = datetime.datetime(2026, 1, 15, 9, 0, 0)
ZIP_TIME = (2026, 1, 15, 9, 0, 0)


def para(doc, text, style=None, bold_lead=None):
    p = doc.add_paragraph(style=style)
    if bold_lead:
        r = p.add_run(bold_lead)
        r.bold = True
    p.add_run(text)
    return p


def build():
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Calibri"
    st.font.size = Pt(11)

    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = (
        PLAN + "  |  MS-2110 Member Disclosures and SBC Distribution  |  Internal - Controlled Copy"
    )
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp = sec.footer.paragraphs[0]
    fp.text = "Member Services Policy Manual  |  Version 3.0  |  Printed copies are uncontrolled"
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("MS-2110 Member Disclosures and SBC Distribution", level=0)
    para(doc, PLAN)
    para(doc, "Member Services", bold_lead="Policy owner: ")
    para(doc, "Commercial Compliance Committee", bold_lead="Approved by: ")
    para(doc, "January 1, 2026 (replaces version 2.4)", bold_lead="Effective date: ")
    para(
        doc,
        "Annually, and whenever 45 CFR 147.200 or 147.140 is amended",
        bold_lead="Review cycle: ",
    )

    doc.add_heading("1 Purpose", level=1)
    para(
        doc,
        "This procedure tells Member Services and its partner teams how Stonebridge builds, "
        "delivers and tracks the summary of benefits and coverage (SBC), the uniform glossary, "
        "notices of mid-year benefit modifications and the grandfathered plan statement for its "
        "commercial group products. It puts into practice 45 CFR 147.200 and the disclosure rule "
        "in 45 CFR 147.140(a)(2). Where an internal target below is shorter than a federal "
        "deadline, the internal target is a working goal; the federal deadline remains the outer limit.",
    )

    doc.add_heading("2 Scope", level=1)
    para(
        doc,
        "In scope: fully insured large group and small group products, and self-funded (ASO) "
        "employer clients whose administrative services agreement assigns SBC delivery to "
        "Stonebridge. Grandfathered group benefit packages are in scope. Individual market "
        "products are handled under MS-2115 and are out of scope here.",
    )

    doc.add_heading("3 Definitions", level=1)
    para(
        doc,
        "the federal four-page summary template completed for one benefit package.",
        bold_lead="SBC: ",
    )
    para(
        doc,
        "the federally defined glossary of coverage and medical terms that every SBC points to.",
        bold_lead="Uniform glossary: ",
    )
    para(
        doc,
        "Monday through Friday, excluding Stonebridge-observed holidays. Day 0 is the day a request "
        "is received; day 1 is the next business day.",
        bold_lead="Business day: ",
    )
    para(
        doc,
        "a change to a benefit package, made outside renewal, that would change what the current "
        "SBC says (for example a new visit limit or a higher copay).",
        bold_lead="Mid-year modification: ",
    )
    para(
        doc,
        "a benefit package that Compliance has confirmed keeps grandfathered status under "
        "45 CFR 147.140.",
        bold_lead="Grandfathered package: ",
    )

    doc.add_heading("4 Roles and Responsibilities", level=1)
    doc.add_heading("4.1 Member Services Advocates", level=2)
    para(
        doc,
        "Take SBC and glossary requests by phone, secure message and mail; log each request as "
        "described in section 5.3; send the document or route it to Member Documents the same day.",
    )
    doc.add_heading("4.2 Member Documents Unit", level=2)
    para(
        doc,
        "Owns the SBC library. Builds, proofs and publishes every SBC; prepares modification "
        "notices; keeps the distribution log used in section 6.",
    )
    doc.add_heading("4.3 Benefits Configuration and Account Management", level=2)
    para(
        doc,
        "Benefits Configuration supplies the approved benefit grid for each package. Account "
        "Management tells Member Documents about new groups, renewals and any mid-year change "
        "a group sponsor requests.",
    )
    doc.add_heading("4.4 Compliance Disclosures Analyst", level=2)
    para(
        doc,
        "Approves the annual SBC set, every modification notice and every grandfathered package "
        "review. Decides all questions about whether a change ends grandfathered status.",
    )

    doc.add_heading("5 Procedure", level=1)
    doc.add_heading("5.1 Annual SBC Build", level=2)
    para(
        doc,
        "Member Documents builds one SBC per benefit package on the current federal template and "
        "instructions. Each SBC must fit within four double-sided pages and use no type smaller than "
        "12-point, as required by 45 CFR 147.200(a)(3)(i). Proofing compares every cost-sharing cell "
        "against the Benefits Configuration grid, and the out-of-pocket limit for non-grandfathered "
        "packages is checked against the annual limitation in 45 CFR 156.130(a). Compliance signs off "
        "on the full set no later than 75 days before the earliest January 1 renewal.",
    )

    doc.add_heading("5.2 Distribution Events and Deadlines", level=2)
    para(
        doc,
        "The table lists each event that triggers an SBC, the federal outer limit and the "
        "Stonebridge internal target. Where an SBC was already sent and nothing in it has changed, "
        "the earlier copy counts (45 CFR 147.200(a)(1)(i)(A)).",
    )
    rows = [
        ("Event", "Recipient", "Federal deadline", "Stonebridge target", "Owner"),
        (
            "Group shopping request",
            "Employer / plan sponsor",
            "7 business days after request",
            "3 business days",
            "Account Management",
        ),
        (
            "Group application",
            "Employer / plan sponsor",
            "7 business days after application",
            "5 business days",
            "Account Management",
        ),
        (
            "Open enrollment with written materials",
            "Eligible employees",
            "With the enrollment materials",
            "In the enrollment kit",
            "Member Documents",
        ),
        (
            "Automatic renewal",
            "Sponsor and enrolled members",
            "30 days before plan year starts",
            "45 days before plan year starts",
            "Member Documents",
        ),
        (
            "Benefit change before coverage starts",
            "Sponsor and new enrollees",
            "By first day of coverage",
            "5 business days before coverage",
            "Member Documents",
        ),
        (
            "Special enrollment (birth, marriage, lost coverage)",
            "Special enrollee",
            "90 days from enrollment",
            "With the ID card packet",
            "Enrollment Services",
        ),
        (
            "Member request for an SBC",
            "Participant or beneficiary",
            "7 business days after request",
            "2 business days",
            "Member Services",
        ),
        (
            "Request for the uniform glossary",
            "Any requester",
            "7 business days after request",
            "2 business days",
            "Member Services",
        ),
        (
            "Mid-year modification",
            "Enrolled members",
            "60 days before the change takes effect",
            "75 days before the change takes effect",
            "Member Documents and Compliance",
        ),
    ]
    table = doc.add_table(rows=len(rows), cols=5)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, val in enumerate(row):
            cell = table.cell(i, j)
            cell.text = val
            if i == 0:
                for r in cell.paragraphs[0].runs:
                    r.bold = True

    doc.add_heading("5.3 SBC and Glossary Requests", level=2)
    para(
        doc,
        "Any member, dependent, eligible employee or authorized representative may ask for an SBC "
        "or the uniform glossary, including for a benefit package the caller is eligible for but not "
        "enrolled in. Paper copies are always free. For every request the Advocate records the "
        "following in the member contact record:",
    )
    for item in [
        "the date the request was received (day 0) and the channel (phone, secure message, mail);",
        "the requester's name and relationship to the subscriber;",
        "the benefit package or packages requested;",
        "whether the uniform glossary was also requested;",
        "the delivery format chosen (paper mail or email) and the address used;",
        "the date the document was sent.",
    ]:
        para(doc, item, style="List Bullet")
    para(
        doc,
        "The Advocate sends a library SBC from the member portal the same day. If the package is "
        'not in the library, the request goes to the Member Documents queue marked "SBC request - '
        'day 0" and must be sent within 2 business days. Nothing may be sent later than the 7 '
        "business day limit in 45 CFR 147.200(a)(1)(ii)(F) or, for the glossary, 45 CFR 147.200(c)(3). "
        "A request made while a claim or authorization is under appeal is still handled here; the "
        "Advocate also tells the caller that the appeal continues on its own track.",
    )

    doc.add_heading("5.4 Mid-Year Modification Notices", level=2)
    para(
        doc,
        "Benefits Configuration must give Member Documents the approved change at least 90 calendar "
        "days before it takes effect. Member Documents drafts either an updated SBC or a notice of "
        "modification letter, and Compliance approves the wording. The notice must be mailed or "
        "emailed at least 75 days before the effective date (internal target) and never later than 60 "
        "days before it (45 CFR 147.200(b)). If a change reaches Member Documents too late to meet "
        "the 60-day limit, the Compliance Disclosures Analyst asks Account Management to move the "
        "effective date; the change is not loaded until notice has gone out on time. Changes made as "
        "part of a renewal are covered by the renewal SBC in section 5.2 instead.",
    )

    doc.add_heading("5.5 Grandfathered Group Disclosures", level=2)
    para(
        doc,
        "Every SBC and every other benefit summary for a grandfathered package carries the "
        "grandfathered status statement and the Member Services phone number for questions and "
        "complaints, as 45 CFR 147.140(a)(2)(i) requires. Member Documents uses the Compliance-approved "
        "wording built from the federal model language. Before Account Management quotes any renewal "
        "change for a grandfathered package, it sends the proposed change to the Compliance Disclosures "
        "Analyst, who tests it against the list of status-ending changes in 45 CFR 147.140(g)(1). If "
        "Compliance finds status will be lost, the statement is removed from the next SBC and the "
        "package is rebuilt as non-grandfathered coverage.",
    )

    doc.add_heading("5.6 SBC Errors and Reissue", level=2)
    para(
        doc,
        "If a member or staff member finds that an SBC does not match the benefit grid, the Advocate "
        "opens an SBC Defect ticket to Member Documents within 1 business day. Member Documents "
        "corrects the SBC, reissues it to everyone who received the wrong version and notes the "
        "correction in the distribution log. Claims and authorizations are decided under the "
        "certificate or plan document, not the SBC, because the SBC is only a summary; an Advocate "
        "never promises a benefit based on SBC wording alone.",
    )

    doc.add_heading("6 Monitoring and Audit", level=1)
    para(
        doc,
        "Each quarter the Compliance Disclosures Analyst samples the distribution log and the member "
        "contact records for on-request SBCs, glossary requests and modification notices, and reports "
        "timeliness against both the internal targets and the federal limits to the Commercial "
        "Compliance Committee. Logs are kept under the Stonebridge records retention schedule.",
    )

    doc.add_heading("7 References", level=1)
    for item in [
        "45 CFR 147.200 Summary of benefits and coverage and uniform glossary",
        "45 CFR 147.140 Preservation of right to maintain existing coverage",
        "45 CFR 156.130 Cost-sharing requirements",
        "MS-2115 Individual Market Member Disclosures",
    ]:
        para(doc, item, style="List Bullet")

    cp = doc.core_properties
    cp.author = "Stonebridge Member Services"
    cp.last_modified_by = "Stonebridge Member Services"
    cp.title = "MS-2110 Member Disclosures and SBC Distribution"
    cp.subject = PLAN
    cp.created = FIXED
    cp.modified = FIXED
    cp.last_printed = FIXED
    cp.revision = 3
    return doc


def write_fixed(doc, path):
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    src = zipfile.ZipFile(buf)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, data)


if __name__ == "__main__":
    write_fixed(build(), OUT)
    print(OUT)
