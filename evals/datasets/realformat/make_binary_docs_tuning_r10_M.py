# Round r10, author M, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r10_M.py
"""Build docs/UM-1510-part-d-coverage-determination-desk.docx deterministically.

Run with /work/main/.venv/bin/python make_docs.py. The DOCX is written with
python-docx, then the zip is rewritten with fixed timestamps and a fixed entry
order so that two runs give the same bytes.
"""

import datetime
import io
import os
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning", "UM-1510-part-d-coverage-determination-desk.docx")
FIXED = datetime.datetime(2026, 1, 15, 9, 0, 0)
PLAN = "Oakridge Example Health Plan (synthetic)"


def add_page_field(paragraph):
    run = paragraph.add_run()
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    run._r.append(fld)


def para(doc, text, style=None):
    return doc.add_paragraph(text, style=style) if style else doc.add_paragraph(text)


def build():
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)

    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = PLAN + "  |  UM-1510 Part D Coverage Determination Desk  |  Internal use only"
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp = sec.footer.paragraphs[0]
    fp.text = "UM-1510 v3.0  |  Controlled copy when viewed in the policy library  |  Page "
    add_page_field(fp)

    doc.add_heading("UM-1510 Part D Coverage Determination Desk", level=0)
    para(doc, PLAN + " — Utilization Management Policy and Procedure")
    para(
        doc,
        "Line of business: Medicare Advantage-Prescription Drug (MA-PD) plans. "
        "Owner: Director, Pharmacy Utilization Management. Effective: 2026-01-15. "
        "Version: 3.0. Supersedes: UM-1510 v2.2.",
    )

    doc.add_heading("1 Purpose", level=1)
    para(
        doc,
        "This procedure tells the Part D Coverage Determination Desk (the Desk) how to take in, "
        "classify, route and close requests for Part D coverage determinations, including "
        "tiering exceptions and formulary exceptions. It sets Oakridge internal targets that "
        "are shorter than the federal outer limits so that no case reaches a regulatory "
        "deadline by accident.",
    )

    doc.add_heading("2 Scope", level=1)
    para(
        doc,
        "This procedure covers Part D drugs for members of Oakridge MA-PD plans. It does not "
        "cover Part B drugs, which are handled as Part C organization determinations under "
        "UM-1200, and it does not cover redeterminations, which the Part D Appeals Unit "
        "handles under UM-1520. Where this procedure and the regulation differ, the "
        "regulation controls.",
    )

    doc.add_heading("3 Definitions", level=1)
    para(
        doc,
        "Coverage determination (CD): the plan's first decision on a member's request for a "
        "Part D drug or for payment of a Part D drug, including a decision on an exception.",
    )
    para(
        doc,
        "Exception request: a request for a tiering exception (a non-preferred drug at preferred "
        "cost sharing) or a formulary exception (a non-formulary drug, or relief from a dose "
        "restriction, step therapy or therapeutic substitution requirement).",
    )
    para(
        doc,
        "Supporting statement: the prescriber's oral or written statement of medical need that "
        "42 CFR 423.578 requires for every exception request.",
    )
    para(
        doc,
        "Clock start: the date and time from which the decision timeframe runs (see section 6.1).",
    )

    doc.add_heading("4 Intake", level=1)
    doc.add_heading("4.1 Channels", level=2)
    para(
        doc,
        "The Desk accepts requests for drug benefits by telephone, fax, the provider portal, "
        "electronic prior authorization and mail. Oral requests for drug benefits are accepted "
        "and documented in the case record at the time of the call. Requests for payment "
        "(member reimbursement) must be in writing; the Desk does not take payment requests by "
        "telephone.",
    )
    doc.add_heading("4.2 Who may ask", level=2)
    para(
        doc,
        "A request may come from the member, the member's appointed or legal representative, or "
        "the prescribing physician or other prescriber acting for the member. Pharmacy rejects "
        "alone are not requests; a pharmacist who calls is referred to the member or prescriber "
        "unless the pharmacist is the appointed representative.",
    )
    doc.add_heading("4.3 Intake record", level=2)
    para(
        doc,
        "Before a case is routed, the intake coordinator records the following in the UM platform:",
    )
    for item in [
        "member name, Medicare number and plan ID;",
        "drug name, strength, quantity and days' supply requested;",
        "prescriber name, NPI, telephone and fax;",
        "request type: prior authorization, tiering exception, formulary exception, utilization "
        "management exception or payment request;",
        "whether an expedited decision was asked for, and by whom;",
        "date and time the request was received;",
        "date and time the supporting statement was received, if one is needed.",
    ]:
        para(doc, item, style="List Number")
    doc.add_heading("4.4 Classifying the request", level=2)
    para(
        doc,
        "A member who only objects to the existence of a utilization management rule (for "
        "example, that the plan uses step therapy at all) has a grievance, not a CD; route it "
        "to the Grievance Unit under UM-1540. A member who is trying to meet the rule is a "
        "prior authorization CD. A member or prescriber who says the rule should not apply to "
        "this member for medical reasons is an exception request; route it under section 5.",
    )

    doc.add_heading("5 Exception requests", level=1)
    doc.add_heading("5.1 Supporting statement", level=2)
    para(
        doc,
        "The Desk does not start the decision clock on an exception request until the "
        "prescriber's supporting statement arrives. The statement may be oral. When a "
        "prescriber gives it by telephone, the coordinator documents it word for word and may "
        "ask for a written follow-up and chart notes as allowed by 42 CFR 423.578(a)(5) and "
        "(b)(6). When the Desk asks for written follow-up, the request to the prescriber names "
        "the specific facts the statement has to show.",
    )
    doc.add_heading("5.2 Prescriber outreach", level=2)
    para(
        doc,
        "If an exception request arrives without a supporting statement, the coordinator "
        "contacts the prescriber's office by telephone and fax. Outreach attempts and their "
        "outcomes are logged. The outreach schedule is in the table in section 6.2. After the "
        "final attempt the case moves to clinical review and is decided on the information "
        "in the file.",
    )
    doc.add_heading("5.3 Tiering exceptions", level=2)
    para(
        doc,
        "Oakridge formularies do not allow tiering exceptions for drugs on the specialty tier, "
        "as 42 CFR 423.578(a)(6) permits. A tiering exception request for a specialty tier "
        "drug is still a CD and gets a written decision with appeal rights.",
    )

    doc.add_heading("6 Timeframes", level=1)
    doc.add_heading("6.1 Clock start", level=2)
    para(
        doc,
        "For a standard or expedited request for a drug benefit, the clock starts when the "
        "request is received by the Desk, or, for an exception request, when the supporting "
        "statement is received. For a payment request the clock starts when the written "
        "request is received. Receipt by any Oakridge department, including the member "
        "services line, counts as receipt by the Desk.",
    )
    doc.add_heading("6.2 Internal targets", level=2)
    para(
        doc,
        "The Desk works to the internal targets below. The regulatory column is the outer "
        "limit and is never extended by an internal target.",
    )
    rows = [
        ("Case type", "Regulatory outer limit", "Oakridge internal target"),
        (
            "Standard drug benefit request, including exceptions",
            "72 hours from clock start (42 CFR 423.568)",
            "48 hours",
        ),
        (
            "Expedited drug benefit request, including exceptions",
            "24 hours from clock start (42 CFR 423.572)",
            "12 hours",
        ),
        ("Payment request", "14 calendar days (42 CFR 423.568)", "10 calendar days"),
        ("Written notice after an oral decision", "3 calendar days", "next business day"),
        (
            "Prescriber outreach for a missing supporting statement",
            "not set by regulation",
            "first attempt within 4 business hours; second attempt within 1 business day",
        ),
        (
            "Forwarding a case that missed its timeframe to the IRE",
            "24 hours after the timeframe expires",
            "within 8 hours",
        ),
    ]
    table = doc.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    para(doc, "The IRE forwarding report runs at 07:00 and 13:00 each day, including weekends.")

    doc.add_heading("7 Expedited requests", level=1)
    doc.add_heading("7.1 When the Desk must expedite", level=2)
    para(
        doc,
        "If the prescriber says, or supports the member's statement, that the standard "
        "timeframe could seriously jeopardize the member's life, health or ability to regain "
        "maximum function, the Desk expedites without further review. If only the member asks, "
        "the Desk supervisor decides whether that standard is met. Requests for payment of drugs "
        "already received are never expedited.",
    )
    doc.add_heading("7.2 When the Desk declines to expedite", level=2)
    para(
        doc,
        "The case moves to the standard timeframe with the original clock start. The "
        "coordinator tells the member by telephone that the request will be handled on the "
        "standard timeframe, that she may file an expedited grievance, and that she may ask "
        "again with the prescriber's support, and sends the same information in writing "
        "within 3 calendar days.",
    )

    doc.add_heading("8 Decisions and notices", level=1)
    doc.add_heading("8.1 Approvals", level=2)
    para(
        doc,
        "An approval notice explains the conditions of the approval, including the drug, "
        "strength, quantity and the cost-sharing tier that applies.",
    )
    doc.add_heading("8.2 Denials", level=2)
    para(
        doc,
        "A denial notice uses the CMS-approved notice language and states the specific "
        "reasons for the denial in plain words, tells the member of the right to a "
        "redetermination, and describes both the standard and the expedited redetermination "
        "processes. When the notice is first given by telephone, the written notice follows "
        "under the timeframe in section 6.2.",
    )

    doc.add_heading("9 Hand-off to redetermination", level=1)
    doc.add_heading("9.1 Routing", level=2)
    para(
        doc,
        "A request for redetermination that reaches the Desk is date- and time-stamped and "
        "sent to the Part D Appeals Unit in the same business day. The Desk does not decide "
        "redeterminations.",
    )
    doc.add_heading("9.2 Independence", level=2)
    para(
        doc,
        "No one who took part in the coverage determination may conduct or sign the "
        "redetermination of that case, as required by 42 CFR 423.590(f)(1). Desk staff who "
        "later rotate to the Appeals Unit must recuse themselves from any case they touched "
        "at intake.",
    )

    doc.add_heading("10 Records", level=1)
    para(
        doc,
        "Every case file holds the intake record (section 4.3), the supporting statement or "
        "the outreach log, the clinical notes, the decision and a copy of each notice. Oral "
        "requests and oral notices are documented in the file on the day they happen.",
    )

    doc.add_heading("11 Related documents", level=1)
    para(
        doc,
        "42 CFR 423.566, 423.568, 423.570, 423.572, 423.578, 423.580 through 423.590; "
        "UM-1200 Part C Organization Determinations; UM-1520 Part D Redeterminations; "
        "UM-1540 Grievances.",
    )

    cp = doc.core_properties
    cp.author = "Pharmacy UM Policy Team"
    cp.last_modified_by = "Pharmacy UM Policy Team"
    cp.title = "UM-1510 Part D Coverage Determination Desk"
    cp.subject = PLAN
    cp.keywords = "Part D; coverage determination; exceptions"
    cp.created = FIXED
    cp.modified = FIXED
    cp.last_printed = FIXED
    cp.revision = 3
    cp.comments = "Approved by the UM Committee 2026-01-08"

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def normalize(data):
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as fh:
        fh.write(normalize(build()))
    print(OUT)
