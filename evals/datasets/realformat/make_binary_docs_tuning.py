"""Write the tuning half's PDF and DOCX plan policies (synthetic plan) from the text kept here."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from fpdf import FPDF

OUT_DIR = Path(__file__).parent / "docs" / "tuning"
PLAN = "Harborview Example Health Plan"
HEADER = f"{PLAN} — Confidential"
# Fixed dates and metadata so that a rerun writes the same bytes.
FIXED_DATE = datetime(2026, 1, 2, 9, 0, 0, tzinfo=UTC)
ZIP_DATE = (2026, 1, 2, 9, 0, 0)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# Mini markup, one block per blank-line-separated group:
#   "# "  title          "! "  top line (Policy Number, Effective Date, ...)
#   "## " heading 1      "### " heading 2 (numbered "4.1 ..." or unnumbered)
#   "1. " numbered item  "- "  bullet item (continuation lines indented)
#   anything else        body paragraph (lines joined)

UM_410_V2 = """
# Utilization Management Decision Timeframes

! Policy Number: UM-410
! Effective Date: January 1, 2024
! End Date: December 31, 2025
! Version: 2
! Line of Business: All

## Purpose

Harborview Example Health Plan is a synthetic example plan; this policy is written for testing and
describes no real health plan. It sets the deadlines the utilization management (UM) department
meets when it decides prior authorization requests.

## 1 Scope

This policy applies to pre-service prior authorization requests for medical services and items in
the Medicare Advantage, Medicaid and Commercial lines of business. Pharmacy benefit requests follow
the pharmacy policies.

## 2 Definitions

A standard request is any pre-service request that does not qualify as expedited. An expedited
request is one where the requesting practitioner states, or the UM nurse finds, that waiting for a
standard decision could seriously jeopardize the member's life, health or ability to regain maximum
function.

## 3 Timeframes

### 3.1 Standard pre-service requests

The UM department decides a standard request and notifies the member and the requesting
practitioner as quickly as the member's condition requires and no later than the limit for the
line of business:

- Medicare Advantage: 14 calendar days after receipt.
- Medicaid: 14 calendar days after receipt.
- Commercial: 15 calendar days after receipt.

### 3.2 Expedited requests

Expedited requests are decided, and the member notified, no later than 72 hours after receipt in
every line of business. Commercial urgent care requests follow the same 72-hour limit.

### 3.3 Extensions

Medicare Advantage and Medicaid decisions may be extended once by up to 14 calendar days when the
member asks for it or the plan needs more information that is in the member's interest to obtain.
A Commercial pre-service decision may be extended once by up to 15 days for matters beyond the
plan's control.

## 4 Requests missing information

When a request lacks the clinical information needed to decide it, the UM nurse makes one outreach
attempt to the requesting practitioner by telephone before extending the timeframe or deciding on
the information at hand.

## Revision History

Version 2 replaced Version 1 on January 1, 2024, and added the Commercial extension rule.
"""

UM_410_V3 = """
# Utilization Management Decision Timeframes

! Policy Number: UM-410
! Effective Date: January 1, 2026
! Version: 3
! Line of Business: All

## 1 Purpose

Harborview Example Health Plan is a synthetic example plan; this policy is written for testing and
describes no real health plan. It sets the deadlines the utilization management (UM) department
meets when it decides prior authorization requests on or after January 1, 2026.

## 2 Scope

This policy applies to pre-service prior authorization requests for medical services and items in
the Medicare Advantage, Medicaid and Commercial lines of business. Pharmacy benefit requests follow
the pharmacy policies, except Medicare Part B drug requests, which section 4.4 covers.

## 3 Definitions

A standard request is any pre-service request that does not qualify as expedited. An expedited
request is one where the requesting practitioner states, or the UM nurse finds, that waiting for a
standard decision could seriously jeopardize the member's life, health or ability to regain maximum
function. A request the practitioner marks expedited is always handled as expedited.

## 4 Timeframes

### 4.1 Standard pre-service requests

The UM department decides a standard request and notifies the member and the requesting
practitioner as quickly as the member's condition requires and no later than the limit for the
line of business:

- Medicare Advantage: 7 calendar days after receipt.
- Medicaid: 7 calendar days after receipt, for rating periods that begin on or after January 1,
  2026.
- Commercial: 15 calendar days after receipt.

### 4.2 Expedited requests

Expedited requests are decided, and the member notified, no later than 72 hours after receipt in
every line of business. Commercial urgent care requests follow the same 72-hour limit.

### 4.3 Extensions

Medicare Advantage and Medicaid decisions may be extended once by up to 14 calendar days when the
member asks for it or the plan needs more information that is in the member's interest to obtain.
A Commercial pre-service decision may be extended once by up to 15 days for matters beyond the
plan's control. The UM coordinator sends the written extension notice on the day the extension is
taken.

### 4.4 Medicare Part B drug requests

A standard Part B drug request is decided within 72 hours and an expedited one within 24 hours.
Neither deadline can be extended.

## 5 Requests missing information

When a request lacks the clinical information needed to decide it, the UM nurse makes two outreach
attempts to the requesting practitioner, at least 4 business hours apart, one by telephone and one
by fax or provider portal message, before extending the timeframe or deciding on the information at
hand. Each attempt is logged in the case record.

## 6 When the clock starts

The clock starts when any Harborview department first receives the request, by any channel,
including fax, portal, telephone and mail received after business hours, and not when the request
reaches the UM queue.

## Revision History

Version 3 replaced Version 2 on January 1, 2026: the 7-calendar-day standard limit for Medicare
Advantage and Medicaid, the Part B drug section and a second outreach attempt.
"""

UM_420 = """
# Adverse Benefit Determination Notices

! Policy Number: UM-420
! Effective Date: January 1, 2026
! Version: 4
! Line of Business: All

## Purpose

Harborview Example Health Plan is a synthetic example plan; this policy is written for testing and
describes no real health plan. It states who may issue a denial and what every denial notice says.

## 1 Scope

This policy covers every notice of a full or partial denial, reduction, suspension or termination
of a service, item or payment, in the Medicare Advantage, Medicaid and Commercial lines of business.

## 2 Who may issue a denial

Only a Harborview physician reviewer, or another licensed health care professional with expertise
suited to the member's medical, behavioral health or long-term services and supports needs, may
deny a request for lack of medical necessity. UM nurses and coordinators may approve requests that
meet criteria but may never deny one. A Medicare Advantage medical necessity denial is reviewed by
a physician or other appropriate professional with knowledge of Medicare coverage criteria who
holds a current, unrestricted license.

## 3 Notice content

### 3.1 All lines of business

Every denial notice Harborview sends includes the following:

1. The service, item or payment requested and the decision made.
2. The specific reason for the denial, in plain language the member can understand.
3. The criteria, guideline or plan provision the decision was based on.
4. The member's right to get copies of the documents and criteria used, free of charge.
5. How to appeal, and the deadline for filing the appeal.
6. How to ask for an expedited appeal and when one is available.
7. The telephone number of Member Services for questions.
8. Taglines about free language assistance and auxiliary aids.

### 3.2 Medicaid notices

A Medicaid notice also explains that the member has 60 calendar days from the date on the notice
to appeal, that a State fair hearing can be requested after the appeal is decided, and that
benefits can continue during the appeal if the member asks in time, with a statement that the
member may have to pay for continued services if the denial is upheld.

### 3.3 Medicare Advantage notices

A Medicare Advantage notice is written on the CMS-approved notice form, explains the right to a
reconsideration, and for a service denial describes both the standard and the expedited
reconsideration processes.

### 3.4 Commercial notices

A Commercial notice also cites the plan provision relied on, describes any information that would
complete the claim, explains the clinical judgment behind a medical necessity denial, states that
the member has 180 days to appeal, and states the member's right to bring a civil action under
section 502(a) of ERISA after the appeal.

## 4 Timing of notices

A denial notice is mailed within the decision timeframe of policy UM-410. When an expedited denial
is first given by telephone, the written notice is mailed within 3 calendar days of the call.

## Quality checks

The UM quality analyst audits a sample of 30 denial notices each month against section 3.
"""

UM_430 = """
# Peer-to-Peer Conversations and Reconsiderations

! Policy Number: UM-430
! Effective Date: March 1, 2026
! Version: 1
! Line of Business: All

## 1 Purpose

Harborview Example Health Plan is a synthetic example plan; this policy is written for testing and
describes no real health plan. It sets how practitioners discuss a UM decision with a Harborview
physician and how reconsiderations and appeals are decided.

## 2 Peer-to-peer conversations

### 2.1 When a peer-to-peer is offered

Before an adverse decision is made, the physician reviewer may call the requesting practitioner to
discuss the request. After a denial, the requesting practitioner may ask for a peer-to-peer
conversation within 14 calendar days of the denial notice.

### 2.2 Who takes part

The conversation is held with the physician reviewer who made the decision or, if that reviewer is
not available within 1 business day, with another Harborview physician in the same or a similar
specialty.

### 2.3 Medicare Advantage limit

Once a Medicare Advantage organization determination has been issued, a peer-to-peer conversation
cannot change it. A practitioner who wants the decision changed is directed to request a
reconsideration, or the plan reopens the determination under its reopening rules.

### 2.4 Documentation

After each peer-to-peer conversation, the physician reviewer records the following in the case:

1. The date and time of the conversation.
2. The names and credentials of the participants.
3. The new clinical information the practitioner gave, if any.
4. The criteria discussed.
5. The outcome: decision upheld, changed, or routed to appeal or reconsideration.
6. Any follow-up promised and its due date.
7. Whether the member was told of the outcome and how.

Peer-to-peer conversations never extend a decision or appeal timeframe.

## 3 Medicare Advantage reconsiderations

### 3.1 Who decides

A reconsideration of a medical necessity denial is decided by a physician with expertise in the
field of medicine appropriate to the services at issue, who took no part in the organization
determination.

### 3.2 Timeframes

A standard pre-service reconsideration is decided within 30 calendar days, an expedited one within
72 hours, and a payment reconsideration within 60 calendar days.

### 3.3 Forwarding to the independent review entity

When Harborview upholds its denial in whole or in part, it forwards the case file to the
independent review entity automatically; the member does not need to ask.

## 4 Medicaid appeals

A Medicaid appeal is decided by a person who took no part in the earlier decision and is not the
subordinate of anyone who did, and, for a medical necessity denial, who has clinical expertise
appropriate to the member's condition.

## 5 Commercial appeals

A Commercial member may appeal within 180 days of the denial notice. The appeal of a pre-service
denial is decided within 30 days by a reviewer who did not make the first decision.
"""

UM_440 = """
# DME Criteria: Positive Airway Pressure Devices and Home Oxygen

! Policy Number: UM-440
! Effective Date: January 1, 2026
! Version: 1
! Line of Business: Medicare Advantage

## Purpose

Harborview Example Health Plan is a synthetic example plan; this policy is written for testing and
describes no real health plan. Harborview follows the national coverage determinations for CPAP
(NCD 240.4) and home oxygen (NCD 240.2); this policy adds the documentation and continued-coverage
rules its UM reviewers apply.

## 1 Scope

This policy applies to Medicare Advantage requests for CPAP and bi-level devices, their supplies,
and home oxygen equipment.

## 2 Documentation for every DME request

A DME request is complete only when it includes all of the following:

1. A written order dated and signed by the treating practitioner.
2. The member's name and Harborview member ID.
3. A description of the item, including the HCPCS code and quantity.
4. The treating practitioner's National Provider Identifier (NPI).
5. The diagnosis codes that support the item.
6. A face-to-face encounter note from the 6 months before the order.
7. Test results that support the item, such as the sleep study or the qualifying blood gas study.
8. The expected length of need.
9. The name and NPI of the DME supplier.

Incomplete requests follow the outreach steps of policy UM-410 before any decision.

## 3 CPAP and other positive airway pressure devices

### 3.1 Initial trial

A CPAP device is approved for an initial 12-week trial when the member meets the covered
indications of NCD 240.4, including a positive sleep test.

### 3.2 Continued coverage after the trial

Coverage continues beyond the first three months of therapy when all of the following are met:

1. The treating practitioner re-evaluated the member face to face between the 31st and the 91st
   day after therapy started.
2. The re-evaluation notes that the member's symptoms of sleep apnea improved.
3. The device download shows use of 4 hours or more per night on at least 70% of nights during a
   consecutive 30-day period within the first three months.
4. The treating practitioner reviewed the download and signed the review.

A member who fails the trial may start a new 12-week trial only after a new face-to-face
re-evaluation and a repeat sleep test in a facility.

### 3.3 Replacement supplies

Harborview approves replacement PAP supplies up to these quantities without further review:

- Full face mask: 1 per 3 months.
- Nasal mask: 1 per 3 months.
- Nasal cushions or pillows: 2 per month.
- Tubing: 1 per 3 months.
- Disposable filters: 2 per month.
- Non-disposable filter: 1 per 6 months.
- Humidifier water chamber: 1 per 6 months.

## 4 Home oxygen

### 4.1 Initial coverage

Home oxygen is approved when the member meets the Group I or Group II blood gas levels of NCD
240.2 and the other covered indications of that NCD. Harborview approves an initial period of 12
months.

### 4.2 Recertification

A member who qualified under Group II is retested between the 61st and the 90th day after oxygen
started; coverage continues only if the retest still meets Group I or Group II levels.

## Related documents

Policy UM-410 (decision timeframes); policy UM-420 (denial notices).
"""


@dataclass(frozen=True)
class Block:
    """One unit of a policy: a title, top line, heading, paragraph or list item."""

    kind: str  # title | meta | h1 | h2 | para | number | bullet
    text: str


def parse(markup: str) -> list[Block]:
    """Turn the mini markup into blocks (indented or following lines join the block above)."""
    prefixes = [("### ", "h2"), ("## ", "h1"), ("# ", "title"), ("! ", "meta")]
    blocks: list[Block] = []
    for raw in markup.strip().splitlines():
        line = raw.strip()
        if not line:
            blocks.append(Block("", ""))
            continue
        kind = next((name for prefix, name in prefixes if line.startswith(prefix)), "")
        if kind:
            blocks.append(Block(kind, line.split(" ", 1)[1]))
        elif line.startswith("- "):
            blocks.append(Block("bullet", line[2:]))
        elif line.split(" ", 1)[0].rstrip(".").isdigit() and ". " in line[:4]:
            blocks.append(Block("number", line.split(". ", 1)[1]))
        elif blocks and blocks[-1].kind in ("para", "bullet", "number"):
            last = blocks.pop()
            blocks.append(Block(last.kind, f"{last.text} {line}"))
        else:
            blocks.append(Block("para", line))
    return [block for block in blocks if block.kind]


class PolicyPDF(FPDF):
    """A PDF with the plan's page header and a "Page N of M" footer on every page."""

    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, HEADER, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")


def write_pdf(blocks: list[Block], path: Path, title: str) -> None:
    """Write a policy PDF: large bold title, bold larger headings, small page furniture."""
    pdf = PolicyPDF(format="Letter")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author(f"{PLAN} UM Policy Office")
    pdf.set_creator("make_binary_docs_tuning.py")
    pdf.set_producer("make_binary_docs_tuning.py")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    number = 0
    for block in blocks:
        if block.kind != "number":
            number = 0
        if block.kind == "title":
            pdf.set_font("DejaVu", "B", 18)
            pdf.multi_cell(0, 9, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(3)
        elif block.kind == "meta":
            pdf.set_font("DejaVu", "", 10)
            pdf.cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind in ("h1", "h2"):
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 14 if block.kind == "h1" else 12)
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        elif block.kind == "para":
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        else:
            number += 1
            marker = f"{number}." if block.kind == "number" else "•"
            pdf.set_font("DejaVu", "", 10)
            pdf.set_x(pdf.l_margin + 5)
            pdf.cell(7, 5.5, marker)
            pdf.multi_cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
    pdf.output(str(path))


def restart_numbering(document: DocxDocument, paragraph: Paragraph) -> None:
    """Give a numbered list its own numbering instance so each list starts at 1."""
    numbering = document.part.numbering_part.numbering_definitions._numbering
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num.numId


def write_docx(blocks: list[Block], path: Path, title: str) -> None:
    """Write a policy DOCX with Word styles (Title, Heading 1/2, List Number/Bullet, Normal)."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10.5)
    header = document.sections[0].header.paragraphs[0]
    header.text = HEADER
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    previous = ""
    for block in blocks:
        style = {
            "title": "Title",
            "meta": "Normal",
            "h1": "Heading 1",
            "h2": "Heading 2",
            "para": "Normal",
            "number": "List Number",
            "bullet": "List Bullet",
        }[block.kind]
        paragraph = document.add_paragraph(block.text, style=style)
        if block.kind == "meta":
            paragraph.paragraph_format.space_after = Pt(0)
        if block.kind == "number" and previous != "number":
            restart_numbering(document, paragraph)
        previous = block.kind
    props = document.core_properties
    props.title = title
    props.author = f"{PLAN} UM Policy Office"
    props.last_modified_by = f"{PLAN} UM Policy Office"
    props.created = FIXED_DATE.replace(tzinfo=None)
    props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_printed = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue()))


def fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


POLICIES: list[tuple[str, str, str]] = [
    ("UM-410-v2-decision-timeframes-2024.pdf", UM_410_V2, "pdf"),
    ("UM-410-v3-decision-timeframes.docx", UM_410_V3, "docx"),
    ("UM-420-denial-notices.pdf", UM_420, "pdf"),
    ("UM-430-peer-to-peer-and-reconsideration.docx", UM_430, "docx"),
    ("UM-440-dme-pap-and-oxygen-criteria.pdf", UM_440, "pdf"),
]


def main() -> None:
    """Write every policy of the tuning half into docs/tuning/."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, markup, kind in POLICIES:
        blocks = parse(markup)
        title = next(b.text for b in blocks if b.kind == "title")
        writer = write_pdf if kind == "pdf" else write_docx
        writer(blocks, OUT_DIR / name, title)
        print(f"wrote {OUT_DIR / name}")


if __name__ == "__main__":
    main()
