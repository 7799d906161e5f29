"""Deterministic generator for UM-1110 (synthetic plan policy) PDF.

Round r8, author I (Cedar Valley Example Health Plan, synthetic): writes into docs/tuning/.
Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r8_pdf.py
"""
# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

OUT = str(
    Path(__file__).resolve().parent / "docs" / "tuning" / "UM-1110-imaging-prior-authorization.pdf"
)
PLAN = "Cedar Valley Example Health Plan (synthetic)"


class Doc(FPDF):
    def header(self):
        self.set_font("Helvetica", "B", 9)
        self.cell(0, 5, PLAN, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)
        self.cell(
            0,
            5,
            "Policy UM-1110  |  Advanced Imaging Prior Authorization  |  Version 3.0",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", "I", 8)
        self.cell(
            0,
            5,
            f"UM-1110 - Internal use only - Printed copies are uncontrolled - Page {self.page_no()} of {{nb}}",
            align="C",
        )


def H(pdf, text, level):
    size = {1: 13, 2: 11.5, 3: 10.5}[level]
    pdf.ln(2 if level > 1 else 4)
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def P(pdf, text):
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def L(pdf, items, numbered=True, start=1):
    pdf.set_font("Helvetica", "", 10)
    for i, it in enumerate(items, start):
        lab = f"{i}." if numbered else "-"
        pdf.set_x(pdf.l_margin + 4)
        pdf.cell(7, 5, lab)
        pdf.multi_cell(0, 5, it, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)
    pdf.ln(1.5)


def table(pdf, head, rows, widths):
    pdf.set_font("Helvetica", "B", 9)
    for h, w in zip(head, widths, strict=False):
        pdf.cell(w, 6, h, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for r in rows:
        for c, w in zip(r, widths, strict=False):
            pdf.cell(w, 6, c, border=1)
        pdf.ln()
    pdf.ln(3)


pdf = Doc(format="Letter")
pdf.set_creation_date(datetime(2026, 1, 2, tzinfo=UTC))
pdf.set_title("UM-1110 Advanced Imaging Prior Authorization")
pdf.set_author(PLAN)
pdf.alias_nb_pages()
pdf.set_auto_page_break(True, margin=20)
pdf.add_page()

pdf.set_font("Helvetica", "B", 15)
pdf.multi_cell(
    0,
    8,
    "UM-1110 Advanced Imaging Prior Authorization (MRI, CT, PET)",
    new_x="LMARGIN",
    new_y="NEXT",
)
pdf.set_font("Helvetica", "", 10)
for line in [
    "Plan: " + PLAN,
    "Policy number: UM-1110     Version: 3.0     Effective date: 01/01/2026",
    "Owner: Utilization Management     Approved by: UM Committee, 12/09/2025",
    "Supersedes: UM-1110 version 2.1 (effective 01/01/2025)",
]:
    pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
pdf.ln(2)

H(pdf, "1. Purpose", 1)
P(
    pdf,
    "This policy tells Cedar Valley Example Health Plan (synthetic) utilization management (UM) staff which advanced "
    "imaging studies need prior authorization (PA), which clinical criteria the plan applies, how urgent requests are "
    "handled, who is allowed to issue a denial, and how the ordering provider can ask for a peer-to-peer conversation "
    "or a provider reconsideration. The plan is a synthetic example; no real members or providers are described.",
)

H(pdf, "2. Scope and Applicability", 1)
H(pdf, "2.1 Lines of business", 2)
P(
    pdf,
    "This policy applies to the plan's commercial, Medicaid managed care and Medicare Advantage products. Where a "
    "federal or state rule sets a shorter decision timeframe or a different notice requirement for a line of "
    "business, that rule controls and the shorter timeframe is used.",
)
H(pdf, "2.2 Studies that require prior authorization", 2)
P(
    pdf,
    "Prior authorization is required for the outpatient studies listed below when performed in a freestanding imaging "
    "center, a physician office or a hospital outpatient department.",
)
table(
    pdf,
    ["Modality", "Examples", "PA required", "Criteria section"],
    [
        ["MRI", "Brain, spine, joints, abdomen, pelvis", "Yes", "4.1 - 4.3"],
        ["MRA", "Head, neck, renal, peripheral", "Yes", "4.1, 4.3"],
        ["CT", "Head, chest, abdomen, pelvis, spine", "Yes", "4.1, 4.3"],
        ["CT angiography", "Coronary CTA, chest CTA", "Yes", "4.1, 4.3"],
        ["PET and PET/CT", "Oncology staging, restaging", "Yes", "4.4"],
        ["Plain x-ray, ultrasound", "All", "No", "-"],
    ],
    [40, 66, 26, 36],
)
H(pdf, "2.3 Settings excluded from prior authorization", 2)
P(
    pdf,
    "Prior authorization is not required for advanced imaging performed while the member is in the emergency "
    "department, in observation status, or admitted as an inpatient. Imaging in those settings is subject to "
    "retrospective review only.",
)

H(pdf, "3. Definitions", 1)
P(pdf, "Advanced imaging: MRI, MRA, CT, CT angiography, PET and PET/CT.")
P(
    pdf,
    "Red flag: a history or examination finding that suggests a serious underlying condition and justifies imaging "
    "without a trial of conservative care.",
)
P(
    pdf,
    "Conservative care: physician-directed treatment such as activity modification, anti-inflammatory or analgesic "
    "medication, physical therapy or a home exercise program.",
)
P(
    pdf,
    "Physician reviewer: a plan-employed or contracted physician (MD or DO) who holds a current, unrestricted license "
    "and performs medical necessity review for the plan.",
)

H(pdf, "4. Clinical Criteria", 1)
H(pdf, "4.1 Documentation required for every request", 2)
P(pdf, "Every advanced imaging request must include the following:")
L(
    pdf,
    [
        "The member's signs and symptoms, including onset and duration.",
        "Pertinent physical examination findings, including any neurologic findings.",
        "Results of prior imaging of the same body area, with dates.",
        "Treatment already tried and the member's response to it.",
        "The clinical question the study is expected to answer and how the result will change management.",
    ],
)
H(pdf, "4.2 MRI of the lumbar spine", 2)
H(pdf, "4.2.1 Low back pain with red flags", 3)
P(
    pdf,
    "Lumbar spine MRI is approved without a trial of conservative care when the record documents at least one of the "
    "following red flags:",
)
L(
    pdf,
    [
        "New urinary retention, saddle anesthesia or fecal incontinence suggesting cauda equina syndrome.",
        "Severe or progressive neurologic deficit, such as new foot drop or progressive leg weakness.",
        "Suspected spinal infection: fever with back pain, intravenous drug use, or recent spinal procedure.",
        "History of cancer, or unexplained weight loss of more than 10 percent of body weight in 6 months.",
        "Significant trauma, or minor trauma in a member aged 70 or older or with known osteoporosis.",
        "Prolonged systemic corticosteroid use with new back pain.",
    ],
)
P(pdf, "A request marked urgent for suspected cauda equina syndrome is handled under section 5.2.")
H(pdf, "4.2.2 Low back pain without red flags", 3)
P(
    pdf,
    "Without a red flag, lumbar spine MRI is approved only when all of the following are documented:",
)
L(
    pdf,
    [
        "At least 6 weeks of conservative care within the last 6 months, with no meaningful improvement.",
        "Persistent radicular pain or a neurologic finding consistent with nerve root compression.",
        "The member is a candidate for surgery or an epidural steroid injection and would consider it.",
    ],
)
P(
    pdf,
    "Imaging for nonspecific low back pain of less than 6 weeks' duration without red flags does not meet criteria.",
)

H(pdf, "4.3 Repeat imaging limits", 2)
P(
    pdf,
    "A repeat study of the same body area with the same modality within 12 months of the prior study requires "
    "physician reviewer approval. A repeat study within 90 days of the prior study is not approved unless one of "
    "the following exceptions is documented:",
)
items43 = [
    "A new or clearly worsening sign or symptom since the prior study.",
    "The prior study was technically inadequate or non-diagnostic.",
    "Planned surveillance of a known tumor according to a documented oncology treatment plan.",
    "Pre-operative planning when surgery is scheduled within 30 days.",
    "Post-operative complication suspected, such as infection, hematoma or hardware failure.",
    "A result from another test (for example a rising tumor marker) that the prior study cannot explain.",
]
L(pdf, items43[:3])
pdf.add_page()  # deliberate page break inside the list
L(pdf, items43[3:], start=4)
P(
    pdf,
    "Routine follow-up imaging of a stable, asymptomatic finding is not approved inside the 90-day window.",
)

H(pdf, "4.4 PET and PET/CT for oncology", 2)
P(
    pdf,
    "PET/CT is approved for initial staging of a biopsy-proven solid tumor when conventional imaging is inconclusive, "
    "and for restaging after completion of therapy. PET/CT for routine surveillance in a member with no evidence of "
    "disease is not approved. No more than three PET/CT studies per tumor type are approved in a 12-month period "
    "without physician reviewer approval.",
)

H(pdf, "5. Review Process", 1)
H(pdf, "5.1 Nurse review", 2)
P(
    pdf,
    "A UM registered nurse reviews each complete request against section 4. The nurse may approve a request that meets "
    "criteria. The nurse may not deny a request; any request that does not clearly meet criteria is referred to a "
    "physician reviewer on the same business day it is found not to meet criteria.",
)
H(pdf, "5.2 Urgent requests and same-day rules", 2)
P(
    pdf,
    "A request is urgent when the ordering provider attests that waiting for a standard decision could seriously "
    "jeopardize the member's life, health or ability to regain maximum function. For urgent requests:",
)
L(
    pdf,
    [
        "Urgent requests received by 3:00 p.m. local time on a business day are decided the same day.",
        "Urgent requests received after 3:00 p.m. or on a weekend or holiday are decided within 24 hours of receipt.",
        "If the request meets criteria, the nurse approves it by telephone and the approval is faxed to the imaging site.",
        "If the request does not meet criteria, the physician reviewer must attempt a peer-to-peer call before deciding.",
    ],
)
P(
    pdf,
    "When the member's symptoms suggest an emergency (for example suspected cauda equina syndrome), staff tell the "
    "ordering provider that the member may be sent to the emergency department, where no PA is needed (section 2.3).",
)
H(pdf, "5.3 Who may deny", 2)
P(
    pdf,
    "Only a physician reviewer may deny an advanced imaging request, in whole or in part, for lack of medical "
    "necessity. The physician reviewer must have expertise appropriate to the study; PET/CT and cardiac CTA denials "
    "must be made or co-signed by a board-certified radiologist or a physician in the ordering specialty. "
    "Non-clinical staff may close a request as administratively incomplete only after two documented attempts to "
    "obtain missing records, and that closure is not a medical necessity denial.",
)
H(pdf, "5.4 Peer-to-peer conversation", 2)
P(
    pdf,
    "Before a denial is issued, the physician reviewer offers the ordering provider a peer-to-peer conversation. For "
    "commercial and Medicaid requests, the ordering provider may also request a peer-to-peer conversation within 5 "
    "business days after the date of the denial notice; the call is scheduled within 1 business day of the request. "
    "For Medicare Advantage requests, a peer-to-peer conversation after the denial notice has been issued cannot "
    "change the decision; the provider is directed to the reconsideration process described in the denial notice.",
)
H(pdf, "5.5 Provider reconsideration", 2)
P(
    pdf,
    "For commercial and Medicaid requests, the ordering provider may submit new clinical information for a provider "
    "reconsideration. The reconsideration is decided by a physician reviewer who did not make the original denial. "
    "A provider reconsideration does not replace, and does not shorten, the member's own appeal rights. Member "
    "appeal filing limits are stated in the denial notice and in the plan's appeals policy; they are not restated here.",
)

H(pdf, "6. Notice of Denial", 1)
P(pdf, "Each denial notice sent to the member and the ordering provider states:")
L(
    pdf,
    [
        "The study that was denied and the date of the decision.",
        "The specific reason for the denial in plain language.",
        "The criteria section of this policy that was applied, and how to get a free copy of it.",
        "The name and specialty of the physician reviewer and how to request a peer-to-peer conversation.",
        "The member's appeal rights and how to file an appeal, including expedited appeal.",
    ],
)

H(pdf, "7. Revision History", 1)
table(
    pdf,
    ["Version", "Date", "Change"],
    [
        ["2.1", "01/01/2025", "Added PET/CT limit of three per 12 months"],
        ["3.0", "01/01/2026", "Added same-day urgent rule and 90-day repeat window"],
    ],
    [25, 30, 113],
)

pdf.output(OUT)
print("wrote", OUT)
