#!/usr/bin/env python3
"""Deterministic generator for UM-1310 (Silverlake Example Health Plan, synthetic).

Round r9, author K. Writes docs/tuning/UM-1310-network-gaps-and-single-case-agreements.docx
(python-docx; fixed ZIP timestamps, so the file is byte-identical run to run).
Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r9_K.py
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)

import datetime
import io
import os
import zipfile

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning", "UM-1310-network-gaps-and-single-case-agreements.docx")
FIXED = datetime.datetime(2026, 1, 15, 9, 0, 0)

PLAN = "Silverlake Example Health Plan (synthetic)"

# ---------------------------------------------------------------- content
# Each block: ("h1", text) | ("h2", text) | ("p", text) | ("num", [items])
# | ("bul", [items]) | ("table", header, rows)
CONTENT = [
    ("title", "UM-1310 Network Gaps and Single-Case Agreements"),
    (
        "p",
        "Policy number: UM-1310. Line of business: Medicaid managed care. "
        "Owner: Utilization Management, with Provider Network Management and Provider Contracting. "
        "Effective date: July 1, 2025. Last reviewed: January 15, 2026.",
    ),
    ("h1", "1 Purpose"),
    (
        "p",
        "This policy sets out how " + PLAN + " finds a gap in its Medicaid provider network, "
        "decides requests for covered services from out-of-network providers when the network "
        "cannot furnish a service adequately and in a timely way, and uses single-case agreements "
        "to arrange that care. It carries out the plan's duties under 42 CFR 438.206(b)(4), "
        "42 CFR 438.68 and 42 CFR 438.207.",
    ),
    ("h1", "2 Scope"),
    ("p", "This policy applies to:"),
    (
        "bul",
        [
            "Medicaid and CHIP managed care members enrolled with the plan.",
            "Utilization Management (UM) nurses and medical directors who review out-of-network requests.",
            "Provider Network Management and Provider Contracting staff who track gaps and execute single-case agreements.",
        ],
    ),
    (
        "p",
        "This policy does not apply to emergency services or post-stabilization care, to family "
        "planning services that a member may obtain from any qualified provider, or to continued "
        "care for a newly enrolled member during a transition of care. Those are handled under the "
        "plan's separate policies for those topics.",
    ),
    ("h1", "3 Definitions"),
    (
        "bul",
        [
            "Access standard: the quantitative network adequacy standards and the appointment wait time "
            "standards that the State sets in the plan's Medicaid contract under 42 CFR 438.68. The "
            "figures themselves are kept in the contract's access attachment and are not repeated in this policy.",
            "Network gap: a situation, described in section 4.1, in which no network provider can furnish "
            "a covered service to a particular member adequately and in a timely way.",
            "Out-of-network (OON) request: a request to cover a service from a provider that has no "
            "participation agreement with the plan.",
            "Single-case agreement (SCA): a written agreement between the plan and a non-participating "
            "provider that covers one member and one service or episode of care.",
            "Gap log: the register, kept by Provider Network Management, of every OON approval that rests on a network gap.",
        ],
    ),
    ("h1", "4 Procedure"),
    ("h2", "4.1 Identifying a network gap"),
    (
        "p",
        "A network gap exists for a member when, for a covered service, any of the following is true:",
    ),
    (
        "num",
        [
            "No network provider of the needed type or specialty practices within the access standard for the member's county of residence.",
            "Network providers of that type exist, but none of them can offer the member an appointment within the State's appointment wait time standard.",
            "No network provider has the training, experience or specialization that the member's condition requires, for example a pediatric subspecialist or a surgeon experienced in a specific procedure.",
            "No network provider can meet the member's language, physical access or reasonable accommodation needs.",
            "The only network provider able to furnish the service will not furnish it because of a moral or religious objection.",
        ],
    ),
    (
        "p",
        "Intake staff record which condition applies. A statement by the member or the requesting "
        "provider that network providers are too far away or too busy is checked against the Provider "
        "Directory and, for appointment availability, by calling at least three network offices and "
        "recording the first appointment date each one offers.",
    ),
    ("h2", "4.2 Reviewing an out-of-network request"),
    ("p", "The UM nurse reviews each OON request in this order:"),
    (
        "num",
        [
            "Confirm that the service is a covered benefit and meets the plan's usual medical necessity criteria. An OON request does not change the clinical standard.",
            "Confirm whether a network gap exists under section 4.1, using the gap matrix below.",
            "Where a network provider can meet the need, offer the member and the requesting provider the names of at least two network providers who can furnish the service, and document the offer.",
            "Where a gap is confirmed, approve the service with the out-of-network provider and refer the case to Provider Contracting for a single-case agreement under section 4.3.",
            "Send to a medical director any request the nurse cannot approve. Only a medical director may deny an OON request, whether the denial rests on medical necessity or on the availability of an adequate network provider.",
        ],
    ),
    (
        "p",
        "Decisions are made within the standard and expedited authorization timeframes of "
        "42 CFR 438.210(d). The time needed to negotiate or sign a single-case agreement does not "
        "extend those timeframes; the authorization decision is issued on time and the agreement follows.",
    ),
    (
        "table",
        ["Gap type", "How it is verified", "Outcome"],
        [
            [
                "Distance or travel time",
                "Geo-access report from Provider Network Management for the member's county",
                "Approve OON; refer for SCA",
            ],
            [
                "Appointment availability",
                "Calls to at least three network offices, with the dates offered recorded",
                "Approve OON for the episode of care; notify Provider Network Management",
            ],
            [
                "Specialization",
                "Medical director confirms that no network provider has the needed expertise",
                "Approve OON; refer for SCA",
            ],
            [
                "Language or accessibility",
                "Member Services confirms the need and checks network options, including interpreter services",
                "Arrange the accommodation with a network provider first; approve OON if none can meet the need",
            ],
            [
                "No gap found",
                "Directory check and calls show a network provider can meet the need",
                "Redirect the member to the network; medical director review if the member still wants the OON provider",
            ],
        ],
    ),
    ("h2", "4.3 Executing a single-case agreement"),
    (
        "p",
        "Provider Contracting completes each SCA before the first date of service whenever possible. "
        "Before signing, Provider Contracting confirms that the provider is enrolled with the State "
        "Medicaid program and screens the provider against the OIG List of Excluded Individuals/Entities "
        "(LEIE), the System for Award Management (SAM) and the State Medicaid exclusion list. Each SCA states:",
    ),
    (
        "bul",
        [
            "The member, the service or episode of care, and the authorization number.",
            "Start and end dates that match the authorization period.",
            "That payment terms are set by Provider Contracting and recorded only in the signed SCA. UM staff do not quote or negotiate payment.",
            "The provider's agreement to follow the billing and member-protection terms of the plan's SCA template.",
            "The provider's agreement to share clinical records with the plan for care coordination and review.",
            "That the provider has received the plan's information on grievances, appeals and State fair hearings, which Provider Contracting sends with the SCA as 42 CFR 438.414 requires.",
        ],
    ),
    (
        "p",
        "If a provider declines an SCA, UM staff look for another out-of-network provider who will "
        "accept one. A member is not left without a medically necessary covered service because one "
        "provider declined.",
    ),
    ("h2", "4.4 Tracking gaps and reporting"),
    ("p", "Provider Network Management keeps the gap log and uses it as follows:"),
    (
        "num",
        [
            "Each OON approval that rests on a network gap is entered in the gap log within 2 business days of the decision, with the provider type, county and gap type.",
            "The Network Adequacy Workgroup reviews the gap log each quarter. A provider type with three or more gap approvals in the same county in one quarter becomes a recruitment target.",
            "Gaps that could affect the plan's ability to meet the State's access standards are reported to Compliance, which decides whether the change is a significant change that requires updated documentation to the State under 42 CFR 438.207(c)(3).",
            "Where the State has granted the plan an exception to a network standard under 42 CFR 438.68(d), the gap log entries for that provider type and area are given to the State on request to support the State's ongoing monitoring of member access.",
        ],
    ),
    ("h1", "5 Notices when an out-of-network request is denied"),
    ("h2", "5.1 Content of the notice"),
    (
        "p",
        "When a medical director denies an OON request because an adequate network provider is "
        "available, the adverse benefit determination notice meets 42 CFR 438.404 and also:",
    ),
    (
        "bul",
        [
            "Names at least one network provider who can furnish the service, with address and telephone number, and the appointment date offered if one was offered.",
            "States the reason in plain language, including which access standard was checked and what the check found.",
            "Explains that the member may appeal to the plan and, after the plan's appeal decision, may request a State fair hearing.",
            "Explains how to ask for an expedited appeal.",
        ],
    ),
    ("h2", "5.2 New information after a denial"),
    (
        "p",
        "If a member later finds that the network provider named in the notice cannot see her within "
        "the appointment wait time standard, she or her provider may submit a new OON request. Staff "
        "treat it as a new request under section 4.2, not as an appeal, and the member keeps her "
        "appeal rights on the original denial.",
    ),
    ("h1", "6 Records"),
    (
        "p",
        "UM keeps the OON request, the gap verification and a copy of any SCA in the member's case "
        "file. Appeals and grievances about OON decisions are entered in the plan's grievance and "
        "appeal system so that the records described in 42 CFR 438.416 are complete.",
    ),
    ("h1", "7 References"),
    (
        "bul",
        [
            "42 CFR 438.68, Network adequacy standards.",
            "42 CFR 438.206, Availability of services.",
            "42 CFR 438.207, Assurances of adequate capacity and services.",
            "42 CFR 438.210, Coverage and authorization of services.",
            "42 CFR 438.404, Timely and adequate notice of adverse benefit determination.",
            "42 CFR 438.414 and 438.416, grievance and appeal information to providers and recordkeeping.",
        ],
    ),
    ("h1", "8 Revision history"),
    (
        "p",
        "July 1, 2025: new policy. January 15, 2026: annual review; section 4.4 gap log review moved to the Network Adequacy Workgroup.",
    ),
]


# ---------------------------------------------------------------- helpers
def _list_number_abstract_id(doc):
    """abstractNumId used by the built-in 'List Number' style."""
    style = doc.styles["List Number"]
    numpr = style.element.pPr.find(qn("w:numPr"))
    num_id = numpr.find(qn("w:numId")).get(qn("w:val"))
    numbering = doc.part.numbering_part.element
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == num_id:
            return num.find(qn("w:abstractNumId")).get(qn("w:val"))
    raise RuntimeError("List Number numbering not found")


def _new_num(doc, abstract_id, counter):
    """Create a w:num that restarts the List Number list at 1."""
    numbering = doc.part.numbering_part.element
    num_id = str(100 + counter)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), num_id)
    abs_el = OxmlElement("w:abstractNumId")
    abs_el.set(qn("w:val"), abstract_id)
    num.append(abs_el)
    ovr = OxmlElement("w:lvlOverride")
    ovr.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    ovr.append(start)
    num.append(ovr)
    numbering.append(num)
    return num_id


def _set_num(par, num_id):
    ppr = par._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), num_id)
    numpr.append(ilvl)
    numpr.append(nid)
    ppr.append(numpr)


def build():
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)

    sec = doc.sections[0]
    hdr = sec.header
    hp = hdr.paragraphs[0]
    hp.text = (
        PLAN + " | Utilization Management Policy UM-1310 | Network Gaps and Single-Case Agreements"
    )
    hp.style = doc.styles["Header"]
    ftr = sec.footer.paragraphs[0]
    ftr.text = "UM-1310 | Internal use | Printed copies are uncontrolled"
    ftr.style = doc.styles["Footer"]

    abstract_id = _list_number_abstract_id(doc)
    counter = 0
    for block in CONTENT:
        kind = block[0]
        if kind == "title":
            doc.add_paragraph(block[1], style="Title")
        elif kind == "h1":
            doc.add_heading(block[1], level=1)
        elif kind == "h2":
            doc.add_heading(block[1], level=2)
        elif kind == "p":
            doc.add_paragraph(block[1], style="Normal")
        elif kind == "bul":
            for item in block[1]:
                doc.add_paragraph(item, style="List Bullet")
        elif kind == "num":
            counter += 1
            num_id = _new_num(doc, abstract_id, counter)
            for item in block[1]:
                par = doc.add_paragraph(item, style="List Number")
                _set_num(par, num_id)
        elif kind == "table":
            header, rows = block[1], block[2]
            table = doc.add_table(rows=1 + len(rows), cols=len(header))
            table.style = doc.styles["Table Grid"]
            for i, h in enumerate(header):
                cell = table.rows[0].cells[i]
                cell.text = h
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for r, row in enumerate(rows, start=1):
                for c, val in enumerate(row):
                    table.rows[r].cells[c].text = val
        else:
            raise ValueError(kind)

    cp = doc.core_properties
    cp.title = "UM-1310 Network Gaps and Single-Case Agreements"
    cp.subject = "Medicaid network gaps, out-of-network requests and single-case agreements"
    cp.author = "Silverlake Example Health Plan (synthetic) - Utilization Management"
    cp.last_modified_by = "UM Policy Office"
    cp.keywords = "UM-1310; network adequacy; single-case agreement; out-of-network"
    cp.category = "Utilization Management Policy"
    cp.comments = "Synthetic policy for evaluation use."
    cp.revision = 2
    cp.created = FIXED
    cp.modified = FIXED
    cp.last_printed = FIXED

    buf = io.BytesIO()
    doc.save(buf)
    # Re-pack with fixed timestamps and sorted-in-original order so output is byte-stable.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return OUT


if __name__ == "__main__":
    print(build())
