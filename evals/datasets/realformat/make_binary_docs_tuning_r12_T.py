# Round r12, author T, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r12_T.py
"""Generate docs/UM-2010-medicaid-medical-necessity-and-service-limits.docx deterministically.

Run with /work/main/.venv/bin/python make_docs.py. The other three documents in docs/ are
hand-written text files. The DOCX is built with python-docx, the core properties dates are
fixed, and the zip is rewritten with fixed timestamps so the bytes are identical run to run.
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
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
OUT = os.path.join(
    HERE, "docs", "tuning", "UM-2010-medicaid-medical-necessity-and-service-limits.docx"
)
PLAN = "Stonebridge Example Health Plan (synthetic)"
FIXED = datetime.datetime(2025, 12, 15, 9, 0, 0)


def add_page_field(paragraph):
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def para(doc, text, style=None, bold_lead=None):
    p = doc.add_paragraph(style=style)
    if bold_lead:
        r = p.add_run(bold_lead)
        r.bold = True
    p.add_run(text)
    return p


def bullets(doc, items, style="List Bullet"):
    for it in items:
        doc.add_paragraph(it, style=style)


def build():
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Calibri"
    st.font.size = Pt(11)

    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = PLAN + "  |  UM-2010 Medicaid Medical Necessity and Service Limits  |  Internal use"
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp = sec.footer.paragraphs[0]
    fp.text = "UM-2010 v3.0  |  Printed copies are uncontrolled  |  Page "
    add_page_field(fp)
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_paragraph("UM-2010 Medicaid Medical Necessity and Service Limits", style="Title")
    para(doc, PLAN + " - Utilization Management Policy")
    para(doc, "UM-2010", bold_lead="Policy number: ")
    para(
        doc, "Medicaid managed care (all Medicaid benefit packages)", bold_lead="Line of business: "
    )
    para(doc, "Director, Utilization Management", bold_lead="Policy owner: ")
    para(
        doc,
        "Chief Medical Officer, on recommendation of the UM Committee",
        bold_lead="Approved by: ",
    )
    para(
        doc,
        "January 1, 2026 (version 3.0); last reviewed December 15, 2025",
        bold_lead="Effective: ",
    )

    doc.add_heading("1 Purpose", level=1)
    para(
        doc,
        "This policy sets out how the plan applies medical necessity review, limits on the "
        "amount, duration and scope of covered services, and exceptions to those limits for "
        "Medicaid members. Its aim is that every covered service is furnished in an amount "
        "that can reasonably achieve its purpose, and that no member loses a service only "
        "because of a diagnosis.",
    )

    doc.add_heading("2 Scope", level=1)
    para(
        doc,
        "This policy applies to UM coordinators, UM nurse reviewers, physician reviewers and "
        "the appeals unit when they handle Medicaid prior authorization, concurrent review "
        "and limit exception requests. It does not apply to Medicare Advantage or commercial "
        "products, to outpatient pharmacy benefits (see UM-2030), or to behavioral health "
        "services managed under UM-2040.",
    )

    doc.add_heading("3 Definitions", level=1)
    para(
        doc,
        "The meaning given in the State contract. The plan's working definition may "
        "not be more restrictive than the State's definition.",
        bold_lead="3.1 Medically necessary. ",
    )
    para(
        doc,
        "A cap on the number of units, visits, items or hours of a service in a set "
        "period, taken from the State plan, the State contract or the plan's benefit grid.",
        bold_lead="3.2 Service limit. ",
    )
    para(
        doc,
        "A request to cover a service beyond a service limit, made before or during "
        "the period the limit covers.",
        bold_lead="3.3 Exception request. ",
    )
    para(
        doc,
        "A physician (MD or DO) with a current, unrestricted license and clinical "
        "expertise appropriate to the member's condition.",
        bold_lead="3.4 Physician reviewer. ",
    )

    doc.add_heading("4 Regulatory Basis", level=1)
    doc.add_heading("4.1 Sufficiency", level=2)
    para(
        doc,
        "Each covered service must be sufficient in amount, duration and scope to reasonably "
        "achieve its purpose (42 CFR 440.230(b)). As a Medicaid MCO the plan must also "
        "furnish services in an amount, duration and scope no less than the State furnishes "
        "to fee-for-service beneficiaries (42 CFR 438.210(a)(2)).",
    )
    doc.add_heading("4.2 No Limits Based Only on Diagnosis", level=2)
    para(
        doc,
        "Neither the State nor the plan may arbitrarily deny or reduce a required service for "
        "an eligible member solely because of the member's diagnosis, type of illness or "
        "condition (42 CFR 440.230(c)). A reviewer who cannot state a reason other than the "
        "diagnosis must not deny.",
    )
    doc.add_heading("4.3 Permitted Limits", level=2)
    para(
        doc,
        "The plan may apply limits that rest on medical necessity criteria or on utilization "
        "control, as long as the services furnished can still reasonably achieve their "
        "purpose (42 CFR 440.230(d) and 438.210(a)(4)).",
    )
    doc.add_heading("4.4 Comparability", level=2)
    para(
        doc,
        "Members in the same coverage group receive services of equal amount, duration and "
        "scope (42 CFR 440.240), except where 42 CFR 440.250 allows a difference, most often "
        "for members under 21 (see section 6.6).",
    )

    doc.add_heading("5 Applying Medical Necessity", level=1)
    doc.add_heading("5.1 Order of Criteria", level=2)
    para(doc, "The reviewer applies, in this order:")
    bullets(
        doc,
        [
            "the State's definition of medical necessity and any criteria the State has issued for the service;",
            "clinical criteria approved by the plan's UM Committee for the service;",
            "the individual clinical judgment of a physician reviewer when no criteria address the request.",
        ],
        style="List Number",
    )
    doc.add_heading("5.2 Individual Assessment", level=2)
    para(
        doc,
        "Every review looks at the member's current condition, functional status, living "
        "situation and the treating provider's plan of care. Criteria guide the review; "
        "failing to match a criteria set is not, by itself, a reason to deny.",
    )
    doc.add_heading("5.3 Types of Limits", level=2)
    doc.add_heading("5.3.1 Hard Limits", level=3)
    para(
        doc,
        "A hard limit is written into the State plan or the State contract, and the plan "
        "has no authority to exceed it for members age 21 and older. The plan cannot approve "
        "an exception to a hard limit. The UM coordinator tells the requester that the limit "
        "is set by the State, points the member to the State's own process where one exists, "
        "and sends any request for a member under 21 to EPSDT review under section 6.6.",
    )
    doc.add_heading("5.3.2 Soft Limits", level=3)
    para(
        doc,
        "A soft limit is a review threshold the plan sets in its benefit grid. Services "
        "beyond it are covered when medically necessary, through the exception process in "
        "section 6. Reaching a soft limit is never, by itself, a reason to deny.",
    )
    doc.add_heading("5.4 Reductions During an Authorization", level=2)
    para(
        doc,
        "Reducing, suspending or ending a service the plan has already authorized is an "
        "adverse benefit determination and needs a written notice under section 8.",
    )

    doc.add_heading("6 Exceptions to Service Limits", level=1)
    doc.add_heading("6.1 Who May Ask", level=2)
    para(
        doc,
        "An exception request may come from the member, the member's authorized "
        "representative or the treating provider.",
    )
    doc.add_heading("6.2 How Requests Are Received", level=2)
    para(
        doc,
        'Providers use the "Limit Exception" request type in the provider portal; members '
        "and representatives may call UM intake or write to the plan. The UM coordinator "
        "logs the request on the business day it arrives. The decision clock starts when the "
        "plan receives the request, not when the file is complete. A request is handled as "
        "expedited when the provider says, or the plan finds, that the standard timeframe "
        "could seriously jeopardize the member's life, health or ability to attain, maintain "
        "or regain maximum function (42 CFR 438.210(d)(2)).",
    )
    doc.add_heading("6.3 What the Reviewer Checks", level=2)
    para(doc, "Before deciding an exception request, the reviewer confirms each of the following:")
    bullets(
        doc,
        [
            "the member's eligibility and benefit package on the date of service, and that the limit applies to that package;",
            "the member's age, because a member under 21 is reviewed under section 6.6;",
            "the units already used in the current limit period;",
            "current clinical documentation showing why the limited amount will not reasonably achieve the purpose of the service;",
            "whether a less costly, equally effective alternative would meet the need;",
            "that any reason for denial is something other than the diagnosis alone (section 4.2).",
        ],
    )
    doc.add_heading("6.4 Who May Decide", level=2)
    doc.add_heading("6.4.1 Approvals", level=3)
    para(
        doc,
        "A UM nurse reviewer (RN) may approve an exception in full when the documentation "
        "meets the applicable criteria. An approval of more than 150% of a soft limit for a "
        "single limit period also needs sign-off by a UM nurse supervisor.",
    )
    doc.add_heading("6.4.2 Denials and Partial Approvals", level=3)
    para(
        doc,
        "Only a physician reviewer with appropriate expertise in treating the member's "
        "condition may deny an exception request or approve less than was requested "
        "(42 CFR 438.210(b)(3)). A UM nurse reviewer may not deny; she or he refers the file "
        "to the physician reviewer with a summary. Before denying, the physician reviewer "
        "offers the requesting provider a peer-to-peer discussion.",
    )
    doc.add_heading("6.5 Decision Timing", level=2)
    para(
        doc,
        "Decisions are made as quickly as the member's condition requires and never later "
        "than the timeframes of 42 CFR 438.210(d). The plan's internal targets are tighter: "
        "5 calendar days from receipt for a standard exception request and 48 hours for an "
        "expedited one. An extension is taken only when 438.210(d) allows it, with written "
        "notice to the member.",
    )
    doc.add_heading("6.6 Members Under 21 (EPSDT)", level=2)
    para(
        doc,
        "The limits in section 7 are not caps for members under age 21. A request for a "
        "member under 21 is reviewed under the EPSDT standard: whether the service is "
        "needed to correct or ameliorate a physical or mental condition, whether or not the "
        "service or amount is covered for adults (42 CFR 440.250(c)). Only a physician "
        "reviewer may deny it.",
    )

    doc.add_heading("7 Common Service Limits and Exception Routes", level=1)
    para(
        doc,
        "Table 1 lists the limits members reach most often. Limits shown are for members age "
        "21 and older.",
    )
    rows = [
        ("Service", "Limit (age 21+)", "Type", "Exception route"),
        (
            "Incontinence briefs and pull-ons",
            "200 per month",
            "Soft",
            "UM nurse review under section 6; attach a continence assessment",
        ),
        (
            "Eyeglass frames and lenses",
            "1 pair every 24 months",
            "Soft",
            "UM nurse review; early replacement for loss, damage or a prescription change",
        ),
        (
            "Hearing aids",
            "1 per ear every 5 years",
            "Soft",
            "UM nurse review; audiogram from the last 6 months",
        ),
        (
            "Personal care services",
            "Hours from the State assessment, up to 56 hours per week",
            "Soft",
            "Reassessment by care management; physician reviewer if more than 56 hours is asked",
        ),
        (
            "Routine foot care (podiatry)",
            "6 visits per year",
            "Soft",
            "UM nurse review; documented diabetes or peripheral vascular disease",
        ),
        (
            "Adult dental",
            "State plan benefit maximum",
            "Hard",
            "No plan exception (section 5.3.1); under 21 goes to EPSDT review",
        ),
    ]
    table = doc.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, val in enumerate(row):
            cell = table.cell(i, j)
            cell.text = val
            if i == 0:
                for r in cell.paragraphs[0].runs:
                    r.bold = True
    para(
        doc,
        "Table 1. Common service limits. The plan does not cap inpatient hospital days; "
        "inpatient stays are managed through concurrent review.",
    )

    doc.add_heading("8 Notice When an Exception Is Denied or Reduced", level=1)
    para(
        doc,
        "When an exception request is denied or approved for less than was asked, the plan "
        "sends the member a written notice of adverse benefit determination under "
        "42 CFR 438.404 and tells the requesting provider. The notice must explain:",
    )
    bullets(
        doc,
        [
            "the decision the plan made, including the service and amount affected;",
            "the reasons for it, naming the limit or criteria relied on;",
            "the member's right to receive, free of charge, reasonable access to and copies of the documents and criteria used in the decision;",
            "the member's right to appeal to the plan and how to do it, including how to ask for an expedited appeal;",
            "the right to a State fair hearing after the plan's appeal process;",
            "when and how the member may ask for benefits to continue during the appeal.",
        ],
    )
    para(
        doc,
        "Notice timing follows 42 CFR 438.404(c). Letters use the approved template for "
        "limit exceptions; reviewers do not write free-text denial reasons outside it.",
    )

    doc.add_heading("9 Documentation and Oversight", level=1)
    para(
        doc,
        "The reviewer records in the UM system the limit involved, the units used to date, "
        "the criteria applied and the rationale for the decision. UM Quality reviews a "
        "sample of exception decisions every quarter for consistency with this policy and "
        "reports the results to the UM Committee. Physician and nurse reviewers complete an "
        "inter-rater reliability exercise each year.",
    )

    doc.add_heading("10 References", level=1)
    bullets(
        doc,
        [
            "42 CFR 440.230, Sufficiency of amount, duration, and scope",
            "42 CFR 440.240 and 440.250, Comparability of services and its limits",
            "42 CFR 438.210, Coverage and authorization of services",
            "42 CFR 438.404, Timely and adequate notice of adverse benefit determination",
            "State Medicaid managed care contract, benefit and medical necessity provisions",
        ],
    )

    doc.add_heading("11 Revision History", level=1)
    para(
        doc,
        "v3.0, January 1, 2026: added section 6.4.1 supervisor sign-off and Table 1 foot care row.",
    )
    para(doc, "v2.0, January 1, 2024: separated hard and soft limits (section 5.3).")
    para(doc, "v1.0, July 1, 2021: original policy.")

    cp = doc.core_properties
    cp.author = "UM Policy Office"
    cp.last_modified_by = "UM Policy Office"
    cp.title = "UM-2010 Medicaid Medical Necessity and Service Limits"
    cp.subject = PLAN
    cp.created = FIXED
    cp.modified = FIXED
    cp.last_printed = FIXED
    cp.revision = 3

    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(zin.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(out.getvalue())


if __name__ == "__main__":
    build()
    print(OUT)
