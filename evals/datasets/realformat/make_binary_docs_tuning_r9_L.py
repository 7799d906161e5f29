#!/usr/bin/env python3
"""Deterministic generator for the UM-1410 policy documents (author L, round r9).

Round r9, author L (Pinecrest Example Health Plan, synthetic). Writes into docs/tuning/:
  UM-1410-v1-step-therapy-review-2025.pdf   (Version 1, fpdf2)
  UM-1410-v2-step-therapy-review.docx       (Version 2, python-docx)

Run with /work/main/.venv/bin/python. All metadata and dates are fixed, and the
DOCX zip is rewritten with fixed member timestamps, so two runs give identical files.
"""

# ruff: noqa: E501, E731  (document text keeps its sentences whole, as the author wrote them)
import datetime as dt
import io
import os
import zipfile

import docx
from docx.shared import Pt
from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning")

PLAN = "Pinecrest Example Health Plan (synthetic)"
POLICY_NO = "UM-1410"
TITLE = "Specialty Drug Step Therapy Review"

VERSIONS = {
    1: {
        "version": "1",
        "effective": "January 1, 2025",
        "end": "June 30, 2026",
        "approved": "Utilization Management Committee, November 12, 2024",
        "trial_count": "at least two (2) preferred prerequisite drugs",
        "trial_noun": "drugs",
        "standard_hours": "72 hours",
        "initial_months": "6 months",
        "history": [
            "Version 1, effective January 1, 2025: New policy.",
        ],
    },
    2: {
        "version": "2",
        "effective": "July 1, 2026",
        "end": None,
        "approved": "Utilization Management Committee, April 14, 2026",
        "trial_count": "at least one (1) preferred prerequisite drug",
        "trial_noun": "drug",
        "standard_hours": "48 hours",
        "initial_months": "12 months",
        "history": [
            "Version 1, effective January 1, 2025: New policy.",
            "Version 2, effective July 1, 2026: Section 4.1 revised to require fewer "
            "prerequisite drugs; Section 6.1 standard decision timeframe shortened; "
            "Section 7.1 initial approval period lengthened; Section 9 references updated.",
        ],
    },
}


def title_block(v):
    rows = [
        ("Policy Number", POLICY_NO),
        ("Policy Title", TITLE),
        ("Version", v["version"]),
        ("Effective Date", v["effective"]),
    ]
    if v["end"]:
        rows.append(("End Date", v["end"]))
    else:
        rows.append(("Replaces", "Version 1 (effective January 1, 2025)"))
    rows += [
        (
            "Line of Business",
            "Commercial (individual, small group, large group; self-funded plans that adopt this policy)",
        ),
        ("Policy Owner", "Pharmacy Utilization Management"),
        ("Approved By", v["approved"]),
    ]
    return rows


def body(v):
    """Return the policy body as a list of blocks: (kind, payload)."""
    B = []
    h1 = lambda t: B.append(("h1", t))
    h2 = lambda t: B.append(("h2", t))
    p = lambda t: B.append(("p", t))
    num = lambda items: B.append(("num", items))
    bul = lambda items: B.append(("bullet", items))

    h1("1. Purpose")
    p(
        "This policy describes how " + PLAN + ' ("the Plan") applies step therapy '
        "requirements to specialty drugs covered under the pharmacy benefit, and how a member, "
        "the member's designee, or the prescriber may ask for an exception to a step therapy "
        "requirement."
    )

    h1("2. Scope")
    h2("2.1 Products covered")
    p(
        "This policy applies to the Plan's commercial products: individual and small group "
        "coverage, large group coverage, and self-funded group health plans administered by the "
        "Plan that have adopted this policy."
    )
    h2("2.2 Products and drugs not covered")
    p(
        "This policy does not apply to Medicare Advantage, Medicare Part D, or Medicaid managed "
        "care products, which follow their own program rules. It does not apply to drugs billed "
        "under the medical benefit."
    )

    h1("3. Definitions")
    h2("3.1 Specialty drug")
    p(
        "A drug that appears on the Plan's Specialty Drug List because it is high cost, needs "
        "special handling, storage, or administration, or needs ongoing clinical monitoring."
    )
    h2("3.2 Step therapy")
    p(
        "A utilization management protocol under which the Plan covers a target drug only after "
        "the member has tried one or more preferred prerequisite drugs for the same condition."
    )
    h2("3.3 Prerequisite drug")
    p(
        "A preferred formulary drug that the drug-specific step therapy criteria require the "
        "member to try before the target drug is covered."
    )
    h2("3.4 Adequate trial")
    p(
        "Use of a prerequisite drug at a labeled or clinically accepted dose for at least the "
        "length of time set in Section 4.2."
    )
    h2("3.5 Step therapy exception request")
    p(
        "A request, supported by the prescriber, that the Plan cover the target drug without "
        "requiring the member to try, or keep trying, a prerequisite drug."
    )
    h2("3.6 Exigent circumstances")
    p(
        "Has the same meaning as in 45 CFR 156.122(c)(2): the member has a health condition that "
        "may seriously jeopardize the member's life, health, or ability to regain maximum "
        "function, or the member is in the middle of a current course of treatment with the "
        "requested drug."
    )

    h1("4. Step Therapy Requirements")
    h2("4.1 Number of prerequisite drugs")
    p(
        "Unless the drug-specific criteria approved by the Pharmacy and Therapeutics Committee set "
        "a different number, a target specialty drug is covered after the member has had an "
        "adequate trial of " + v["trial_count"] + " for the same indication, and each trial "
        "ended because the " + v["trial_noun"] + " did not work, stopped working, was not "
        "tolerated, or was contraindicated."
    )
    h2("4.2 Length of an adequate trial")
    p(
        "A trial counts as adequate when the member used the prerequisite drug for at least 12 "
        "weeks, or for a shorter period if the member stopped the drug because of an adverse "
        "event or a documented lack of response."
    )
    h2("4.3 Evidence of a prior trial")
    p("The Plan accepts any of the following as evidence that a prerequisite drug was tried:")
    bul(
        [
            "Plan pharmacy claims within the look-back period in Section 4.4.",
            "Chart notes from the prescriber that record the drug, the dose, the start and stop "
            "dates, and the outcome.",
            "Pharmacy records or claims history from a prior health plan.",
            "An attestation from the prescriber, on the Plan's step therapy exception form, that "
            "gives the same information as chart notes.",
        ]
    )
    h2("4.4 Look-back period")
    p(
        "The Plan looks back 365 days in its pharmacy claims history for a paid claim for a "
        "prerequisite drug."
    )
    h2("4.5 Automated step review at the pharmacy")
    p(
        "When the look-back finds a paid claim that meets the step requirement, the pharmacy "
        "claim for the target drug pays without a prior authorization request. When it does not, "
        "the pharmacy receives a reject message that tells the prescriber how to submit a step "
        "therapy exception request."
    )

    h1("5. Step Therapy Exceptions")
    h2("5.1 Exception criteria")
    p(
        "The Plan grants a step therapy exception when the prescriber's statement and the "
        "records submitted show at least one of the following:"
    )
    num(
        [
            "The prerequisite drug is contraindicated for the member or is likely to cause an "
            "adverse reaction or physical or mental harm.",
            "The prerequisite drug is expected to be ineffective, given the member's known "
            "clinical characteristics and the known characteristics of the drug regimen.",
            "The member has already tried the prerequisite drug, or another drug in the same "
            "pharmacologic class or with the same mechanism of action, and it was stopped because "
            "it was not effective, its effect wore off, or it caused an adverse event.",
            "The member is stable on the requested drug for the same indication and has received "
            "it for at least 90 days while covered by the Plan or a prior health plan.",
            "The prerequisite drug is not in the member's best interest because it is expected to "
            "create a significant barrier to adherence, worsen a comorbid condition, or reduce the "
            "member's ability to carry out daily activities or work.",
        ]
    )
    h2("5.2 Who may request an exception")
    p(
        "The member, the member's designee or authorized representative, or the prescriber may "
        "submit a step therapy exception request by the Plan's online portal, fax, or telephone. "
        "A request from the member or designee is sent to the prescriber for a supporting "
        "statement."
    )
    h2("5.3 Information the request must include")
    p("A complete step therapy exception request includes:")
    bul(
        [
            "The member's name, Plan identification number, and date of birth.",
            "The requested drug, strength, dose, and quantity.",
            "The diagnosis being treated.",
            "The prescriber's statement of which criterion in Section 5.1 applies, with the "
            "supporting chart notes.",
            "For an expedited request, the prescriber's statement that exigent circumstances exist.",
        ]
    )
    h2("5.4 Non-formulary drugs")
    p(
        "A request for a drug that is not on the formulary at all is handled as a formulary "
        "exception under 45 CFR 156.122(c). The review timeframes in Section 6 apply to those "
        "requests as well."
    )

    h1("6. Review Timeframes")
    h2("6.1 Standard requests")
    p(
        "The Plan decides a standard step therapy exception request, and notifies the member "
        "and the prescriber of the decision, within " + v["standard_hours"] + " after the Plan "
        "receives the request. The clock starts when the request reaches the Plan, whether or not "
        "it is complete."
    )
    h2("6.2 Expedited requests")
    p(
        "When the prescriber states that exigent circumstances exist, the Plan decides the "
        "request, and notifies the member and the prescriber, within 24 hours after the Plan "
        "receives it. The Plan does not second-guess the prescriber's statement that exigent "
        "circumstances exist."
    )
    h2("6.3 Missing information")
    p(
        "If a request lacks information the reviewer needs, the pharmacist reviewer contacts the "
        "prescriber's office by telephone or fax. Asking for information does not extend the "
        "timeframe in Section 6.1 or 6.2; if the information does not arrive in time, the Plan "
        "decides the request on the information it has."
    )
    h2("6.4 Missed timeframe")
    p(
        "If the Plan does not decide a request within the timeframe in Section 6.1 or 6.2, the "
        "exception is treated as granted for the approval period in Section 7.1."
    )

    h1("7. Approval Duration")
    h2("7.1 Initial approval")
    p(
        "An approved step therapy exception, or an approval of a target drug after the step "
        "requirement is met, is authorized for " + v["initial_months"] + " from the date of "
        "approval, unless Section 7.3 applies."
    )
    h2("7.2 Renewal")
    p("A renewal is approved for 12 months when the prescriber documents all of the following:")
    bul(
        [
            "The member is still taking the drug as prescribed.",
            "The member has had a positive clinical response, measured against the baseline "
            "recorded at the initial approval.",
            "The member has not had an adverse effect that calls for stopping the drug.",
        ]
    )
    h2("7.3 Approvals based on exigent circumstances")
    p(
        "An exception granted on an expedited request because of exigent circumstances is "
        "authorized for as long as the exigency lasts. The prescriber may then submit a standard "
        "request for continued coverage."
    )

    h1("8. Adverse Determinations")
    h2("8.1 Content of the denial notice")
    p(
        "When the Plan denies a step therapy exception request in whole or in part, the written "
        "notice to the member and the prescriber states:"
    )
    bul(
        [
            "The specific reason for the denial, in plain language.",
            "The drug-specific criteria or clinical guideline that was applied, and that a copy is "
            "available free of charge on request.",
            "The preferred prerequisite drug or drugs the member may try, where one applies.",
            "The member's right to an internal appeal and how to file one.",
            "The right to ask for an external exception review by an independent review "
            "organization, and how to ask for it.",
            "How the prescriber can ask for a peer-to-peer discussion with the reviewer.",
        ]
    )
    h2("8.2 Peer-to-peer discussion")
    p(
        "The prescriber may ask for a peer-to-peer discussion with the reviewer who made the "
        "decision within 5 business days after the date of the denial notice. A peer-to-peer "
        "discussion is not an appeal and does not change any appeal deadline."
    )
    h2("8.3 External exception review")
    p(
        "When a step therapy exception request or formulary exception request is denied, the "
        "member, the member's designee, or the prescriber may ask that the request and the denial "
        "be reviewed by an independent review organization (IRO). The Plan sends the case file to "
        "the IRO on the day it receives the request. Under 45 CFR 156.122(c)(3), the decision and "
        "notice are due within 72 hours after receipt of the request when the original request "
        "was standard, and within 24 hours when it was expedited."
    )

    h1("9. References")
    refs = [
        "45 CFR 156.122, Prescription drug benefits.",
        "45 CFR 147.136, Internal claims and appeals and external review processes.",
        "Pinecrest Example Health Plan (synthetic) Specialty Drug List and drug-specific step "
        "therapy criteria, as approved by the Pharmacy and Therapeutics Committee.",
    ]
    if v["version"] == "2":
        refs.append(
            "State step therapy exception laws that apply to fully insured products "
            "sold in the Plan's service area."
        )
    bul(refs)

    h1("10. Revision History")
    bul(v["history"])
    return B


# ---------------------------------------------------------------- PDF (v1)
class PolicyPDF(FPDF):
    def __init__(self, v):
        super().__init__(format="Letter", unit="mm")
        self.v = v

    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, PLAN, new_x="LMARGIN", new_y="NEXT", align="L")
        self.cell(
            0,
            4,
            POLICY_NO + "  " + TITLE + "  |  Version " + self.v["version"],
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(
            0, 5, "Proprietary - for internal use. Printed copies are uncontrolled.", align="L"
        )
        self.set_x(self.l_margin)
        self.cell(0, 5, "Page " + str(self.page_no()) + " of {nb}", align="R")
        self.set_text_color(0, 0, 0)


def write_pdf(v, path):
    pdf = PolicyPDF(v)
    pdf.alias_nb_pages()
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    fixed = dt.datetime(2024, 12, 2, 9, 0, 0, tzinfo=dt.UTC)
    pdf.set_creation_date(fixed)
    pdf.set_title(POLICY_NO + " " + TITLE)
    pdf.set_author("Pharmacy Utilization Management")
    pdf.set_subject(PLAN)
    pdf.set_creator("Pinecrest policy publishing")
    pdf.set_producer("fpdf2")
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 7, PLAN, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "Utilization Management Policy", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 9.5)
    for label, value in title_block(v):
        pdf.set_font("Helvetica", "B", 9.5)
        pdf.cell(38, 5, label + ":")
        pdf.set_font("Helvetica", "", 9.5)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    for kind, payload in body(v):
        if kind == "h1":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 6.5, payload, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.5)
        elif kind == "h2":
            pdf.set_font("Helvetica", "B", 10.5)
            pdf.multi_cell(0, 5.5, payload, new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, payload, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif kind in ("num", "bullet"):
            pdf.set_font("Helvetica", "", 10)
            for i, item in enumerate(payload, 1):
                mark = f"{i}." if kind == "num" else chr(149)
                pdf.set_x(pdf.l_margin + 5)
                pdf.cell(6, 5, mark)
                pdf.multi_cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(0.5)
            pdf.ln(1)
    pdf.output(path)


# ---------------------------------------------------------------- DOCX (v2)
FIXED_ZIP_TIME = (2026, 5, 1, 8, 0, 0)


def write_docx(v, path):
    d = docx.Document()
    st = d.styles["Normal"]
    st.font.name = "Calibri"
    st.font.size = Pt(10.5)

    cp = d.core_properties
    cp.title = POLICY_NO + " " + TITLE
    cp.subject = PLAN
    cp.author = "Pharmacy Utilization Management"
    cp.last_modified_by = "Pharmacy Utilization Management"
    cp.keywords = "step therapy; specialty drugs; " + POLICY_NO
    cp.comments = ""
    cp.category = "Utilization Management Policy"
    cp.revision = 2
    cp.created = dt.datetime(2026, 4, 20, 9, 0, 0)
    cp.modified = dt.datetime(2026, 4, 20, 9, 0, 0)
    cp.last_printed = dt.datetime(2026, 4, 20, 9, 0, 0)

    sec = d.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = PLAN + "  |  " + POLICY_NO + " " + TITLE + "  |  Version " + v["version"]
    fp = sec.footer.paragraphs[0]
    fp.text = "Proprietary - for internal use. Printed copies are uncontrolled."

    d.add_paragraph(PLAN + " - " + TITLE, style="Title")
    d.add_paragraph("Utilization Management Policy", style="Normal")
    for label, value in title_block(v):
        para = d.add_paragraph(style="Normal")
        r = para.add_run(label + ": ")
        r.bold = True
        para.add_run(value)

    for kind, payload in body(v):
        if kind == "h1":
            d.add_paragraph(payload, style="Heading 1")
        elif kind == "h2":
            d.add_paragraph(payload, style="Heading 2")
        elif kind == "p":
            d.add_paragraph(payload, style="Normal")
        elif kind == "num":
            for item in payload:
                d.add_paragraph(item, style="List Number")
        elif kind == "bullet":
            for item in payload:
                d.add_paragraph(item, style="List Bullet")

    buf = io.BytesIO()
    d.save(buf)
    # rewrite the zip with fixed timestamps so output is byte-identical run to run
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))


def all_text(v):
    """Plain text of a version (used by the question checker)."""
    out = []
    for _kind, payload in body(v):
        if isinstance(payload, list):
            out.extend(payload)
        else:
            out.append(payload)
    return out


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_pdf(VERSIONS[1], os.path.join(OUT, "UM-1410-v1-step-therapy-review-2025.pdf"))
    write_docx(VERSIONS[2], os.path.join(OUT, "UM-1410-v2-step-therapy-review.docx"))
    print("wrote", sorted(os.listdir(OUT)))
