"""Write the held-out half's plan policies (PDF and DOCX) from the text kept in this script."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.shared import Pt
from fpdf import FPDF

OUT = Path(__file__).resolve().parent / "docs" / "heldout"
PLAN = "Bluewater Valley Health Plan (synthetic)"
SYNTHETIC = (
    f"{PLAN} is a synthetic example plan written for testing; "
    "this policy is not the policy of any real health plan."
)
# A fixed moment keeps the files byte-identical from run to run.
FIXED = dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=dt.UTC)

# Each policy is written in a small markup, parsed by `parse`: "= " title, "@ " top line,
# "# " / "## " numbered headings, "### " unnumbered heading, "1. " / "- " list items,
# blank lines between blocks; indented lines continue the block above.
Block = tuple[str, str | list[str]]

UM_610 = """\
= Notices of Adverse Benefit Determination

@ Policy Number: UM-610
@ Effective Date: January 1, 2026
@ Version: 4
@ Line of Business: All
@ Owner: Utilization Management

# 1 Purpose

This policy sets out who may deny a request for services, what every denial notice tells the
member and the provider, and when the notice goes out. {synthetic}

# 2 Scope

The policy covers pre-service, concurrent and post-service requests for Medicaid, Medicare
Advantage and commercial members. Pharmacy benefit decisions are handled by the pharmacy
benefit manager and are outside its scope.

# 3 Who may deny a request

## 3.1 Medical necessity denials

Only a physician or other health care professional with expertise appropriate to the service
requested may deny a request, in whole or in part, for lack of medical necessity. UM nurses
and UM coordinators may approve requests that meet criteria but may never issue a medical
necessity denial.

## 3.2 Administrative denials

A UM coordinator may issue an administrative denial only when the member was not enrolled on
the date of service or the service is excluded from the member's benefit plan. A UM nurse
reviews every administrative denial letter before it is released.

## 3.3 Peer-to-peer discussion

Before a medical necessity denial is issued, the physician reviewer offers the requesting
provider a peer-to-peer discussion and holds it within 1 business day of the provider's
request, provided the decision timeframe in UM-620 still allows it.

# 4 Content of the notice

## 4.1 Every line of business

Every adverse benefit determination notice sent to a member must contain:

- the service or item requested, the provider, and the decision made;
- the specific reason for the denial in plain language, naming the criteria, benefit
  provision or coverage rule the decision rests on;
- a statement that the member may ask for, free of charge, a copy of the criteria and of all
  documents and records relevant to the decision;
- the member's right to appeal, how to file, and the deadline for filing;
- how to ask for an expedited appeal and when one is available;
- how to reach Member Services, with taglines offering free language assistance and
  auxiliary aids.

The provider's copy also gives the name and telephone number of the physician reviewer who
made the decision, for a peer-to-peer discussion.

## 4.2 Medicaid members

In addition to section 4.1, a Medicaid notice must explain:

- that the member has 60 calendar days from the date of the notice to file an appeal with
  the plan;
- the right to a State fair hearing once the plan's appeal process is complete, and how to
  ask for one;
- for a reduction, suspension or termination of a service already authorized, the right to
  keep receiving the service during the appeal when the member asks within 10 calendar days
  of the notice date or before the action takes effect, whichever is later;
- that the member may have to pay for services continued during the appeal if the final
  decision upholds the denial.

## 4.3 Medicare Advantage members

Medicare Advantage denials use the CMS Integrated Denial Notice (form CMS-10003-NDMCP). The
notice tells the member that a reconsideration may be requested within 60 calendar days of
the date of the notice, and that a denial the plan upholds on reconsideration is sent
automatically to the independent review entity.

## 4.4 Commercial members

Commercial notices tell the member that an internal appeal may be filed within 180 calendar
days of receiving the notice, and describe the right to an external review by an independent
review organization after the internal appeal.

# 5 When the notice is sent

## 5.1 Timing

The written notice is sent within the decision timeframe that UM-620 sets for the request.
When an expedited decision is first given by telephone, the written notice follows within 3
calendar days.

## 5.2 Reductions and terminations

When the plan reduces, suspends or ends a service it had already authorized for a Medicaid
member, the notice is mailed at least 10 calendar days before the date the change takes
effect.

# 6 Related documents

- Prior Authorization Decision Timeframes (UM-620)
- Member Cost After a Denial (UM-640)
"""

UM_620_V2 = """\
= Prior Authorization Decision Timeframes

@ Policy Number: UM-620
@ Effective Date: January 1, 2025
@ End Date: December 31, 2025
@ Version: 2
@ Line of Business: All

# 1 Purpose

This policy gives the time the plan has to decide prior authorization requests, by line of
business. {synthetic}

# 2 Scope

Medical prior authorization requests for Medicaid, Medicare Advantage and commercial
members. Pharmacy requests follow the pharmacy benefit manager's procedures.

# 3 Decision timeframes

## 3.1 Standard requests

Standard (non-urgent) pre-service requests are decided as fast as the member's condition
requires and no later than:

- Medicare Advantage: 14 calendar days after the plan receives the request;
- Medicaid: 14 calendar days after the plan receives the request;
- Commercial: 15 calendar days after the plan receives the request.

## 3.2 Expedited requests

When the requesting provider indicates, or the plan decides, that waiting for a standard
decision could seriously jeopardize the member's life, health or ability to regain maximum
function, the plan decides within 72 hours of receipt for every line of business.

## 3.3 Extensions

For Medicare Advantage and Medicaid, the plan may extend a standard or expedited timeframe
by up to 14 calendar days when the member asks for the extension or the plan needs more
information and the delay is in the member's interest. For commercial members, one extension
of up to 15 calendar days is allowed for a standard request when the delay is outside the
plan's control.

## 3.4 Medicare Part B drugs

Requests for Medicare Part B drugs are decided within 72 hours (standard) or 24 hours
(expedited), with no extension.

### Counting the days

The clock starts when the request reaches the plan by any channel, including after hours.
Calendar days include weekends and holidays.

# 4 Notice of the decision

Approvals are communicated to the provider within the timeframe. Denials follow UM-610,
which sets out the content of the notice.

### Escalation

A request still open 24 hours before its deadline is escalated to the UM supervisor on duty.
"""

UM_620_V3 = """\
= Prior Authorization Decision Timeframes

@ Policy Number: UM-620
@ Effective Date: January 1, 2026
@ Version: 3
@ Line of Business: All
@ Supersedes: Version 2 (effective January 1, 2025)

# 1 Purpose

This policy gives the time the plan has to decide prior authorization requests, by line of
business, and reflects the federal prior authorization rule that took effect on January 1,
2026. {synthetic}

# 2 Scope

Medical prior authorization requests for Medicaid, Medicare Advantage and commercial
members. Drugs, including Part B drugs and outpatient drugs, are excluded from section 3.1
and section 3.2.

# 3 Decision timeframes

## 3.1 Standard requests

Standard (non-urgent) pre-service requests are decided as fast as the member's condition
requires and no later than:

- Medicare Advantage: 7 calendar days after the plan receives the request;
- Medicaid: 7 calendar days after the plan receives the request;
- Commercial: 15 calendar days after the plan receives the request.

## 3.2 Expedited requests

When the requesting provider indicates, or the plan decides, that waiting for a standard
decision could seriously jeopardize the member's life, health or ability to regain maximum
function, the plan decides within 72 hours of receipt for every line of business.

## 3.3 Extensions

For Medicare Advantage and Medicaid, the plan may extend a standard or expedited timeframe
by up to 14 calendar days when the member asks for the extension or the plan needs more
information and the delay is in the member's interest; the member is told in writing of the
reason and of the right to file a grievance. For commercial members, one extension of up to
15 calendar days is allowed for a standard request when the delay is outside the plan's
control.

## 3.4 Medicare Part B drugs

Requests for Medicare Part B drugs are decided within 72 hours (standard) or 24 hours
(expedited), with no extension.

## 3.5 Denial reasons

Every denied prior authorization request, on any channel (portal, fax, letter or electronic
transaction), carries a specific reason for the denial that the provider can act on.

### Counting the days

The clock starts when the request reaches the plan by any channel, including after hours.
Calendar days include weekends and holidays.

# 4 Notice of the decision

Approvals are communicated to the provider within the timeframe. Denials follow UM-610,
which sets out the content of the notice.

# 5 Reporting

UM Operations prepares the prior authorization metrics the plan posts on its public website
and sends them to Compliance by March 1 of each year, so that they can be posted by March
31.

### Escalation

A request still open 24 hours before its deadline is escalated to the UM supervisor on duty;
an expedited request still open 12 hours before its deadline is escalated to the medical
director on call.
"""

UM_630 = """\
= Continuous Glucose Monitors

@ Policy Number: UM-630
@ Effective Date: January 1, 2026
@ Version: 1
@ Line of Business: Medicaid, Commercial

# 1 Purpose

This policy gives the medical necessity criteria the plan applies to therapeutic continuous
glucose monitors (CGMs) and their supplies. {synthetic} The criteria are illustrative and
are not clinical guidance.

# 2 Coverage criteria

## 2.1 Initial coverage

A therapeutic CGM is medically necessary when the member meets all of the following:

1. The member has a diagnosis of diabetes mellitus.
2. The member is treated with insulin, by multiple daily injections or an insulin pump, or
   has a documented history of problematic hypoglycemia: recurrent glucose values below 54
   mg/dL despite changes to the treatment plan, or at least one episode that needed help
   from another person.
3. The CGM is ordered for use in line with its FDA indications.
4. The member, or a caregiver, has been trained to use the device and is willing and able to
   use it as prescribed.
5. The treating practitioner saw the member, in person or by telehealth, within the 6 months
   before the order to evaluate diabetes control and documented that the criteria above are
   met.
6. The member does not already have a working CGM covered by the plan or another payer.

## 2.2 Continued coverage

Coverage continues for 12 months at a time when, every 6 months, the treating practitioner
sees the member and documents that the member keeps using the CGM and following the diabetes
treatment plan.

## 2.3 Not medically necessary

The plan considers a CGM not medically necessary for:

- members without diabetes, including use for wellness or weight management;
- members with prediabetes;
- a second device, or replacement of a working device before the end of its warranty.

### Documentation to submit

The request must include:

- the order naming the device and the number of sensors per month;
- the note of the visit described in section 2.1;
- for a member not on insulin, records of the hypoglycemia episodes.

# 3 Quantity limits

Sensors are covered in the quantity the manufacturer's labeling gives for 30 days of use.
One receiver is covered every 5 years; a smartphone used as the display is not covered.

# 4 Medicare Advantage members

This policy does not apply to Medicare Advantage members. For them the plan applies the
Medicare coverage rules for glucose monitors, including the local coverage determination of
the DME Medicare Administrative Contractor.
"""

UM_640 = """\
= Member Cost After a Denial

@ Policy Number: UM-640
@ Effective Date: March 1, 2026
@ Version: 2
@ Line of Business: All

# 1 Purpose

This policy says when a member may be asked to pay for a service the plan denied, and when
the member is held harmless. {synthetic}

# 2 In-network providers

## 2.1 Hold harmless

A network provider may not bill a member for a service the plan denied because the provider
did not obtain prior authorization, because the claim was denied as not medically necessary
after the service was given, or for any other administrative reason. The member owes only
the usual cost sharing for covered services.

## 2.2 Medicaid members

A Medicaid member may not be balance billed for covered services. The one exception is a
service the member chose to keep receiving during an appeal or State fair hearing: if the
final decision upholds the denial, the member may be asked to pay for the services continued
while the appeal was pending.

## 2.3 Medicare Advantage members

A network provider may bill a Medicare Advantage member for a denied service only when the
member received the plan's written pre-service denial before getting the service. Without
that notice, the member owes only the plan's cost sharing.

## 2.4 Commercial members

A network provider may bill a commercial member for a service the plan denied before it was
given only if, after the denial and before the service, the member signed a written waiver
that names the service and its estimated cost.

# 3 Out-of-network providers

## 3.1 Emergency services

For emergency services, members pay no more than their in-network cost sharing, whatever the
provider's network status, and out-of-network providers may not balance bill them.

## 3.2 Other out-of-network services

When the plan denies a non-emergency out-of-network service that the member chose to
receive, the out-of-network provider may bill the member, except where federal or state
surprise billing protections apply.

# 4 When a denial is overturned

When a denial is reversed on appeal, external review or fair hearing, the member pays only
the usual in-network cost sharing, and the plan refunds any amount the member paid above it
within 30 calendar days of the reversal.

### Member questions

Member Services takes calls from members who received a bill after a denial, opens a billing
grievance, and asks Provider Relations to contact the provider.
"""


def parse(markup: str) -> list[Block]:
    """Turn a policy's markup into blocks, joining wrapped lines and merging list items."""
    blocks: list[Block] = []
    prefixes = (("= ", "title"), ("@ ", "meta"), ("### ", "hu"), ("## ", "h2"), ("# ", "h1"))
    for chunk in markup.replace("{synthetic}", SYNTHETIC).split("\n\n"):
        lines = chunk.strip("\n").split("\n")
        head = lines[0]
        kind = next((k for p, k in prefixes if head.startswith(p)), "")
        if kind == "meta":
            blocks.append(("meta", [line[2:] for line in lines]))
        elif kind:
            blocks.append((kind, head.split(" ", 1)[1]))
        elif head.startswith("- ") or (head[:1].isdigit() and ". " in head[:4]):
            list_kind = "bullet" if head.startswith("- ") else "num"
            items: list[str] = []
            for line in lines:
                if line.startswith(" "):
                    items[-1] += " " + line.strip()
                else:
                    items.append(line.split(" ", 1)[1])
            if blocks and blocks[-1][0] == list_kind:
                blocks[-1] = (list_kind, [*blocks[-1][1], *items])
            else:
                blocks.append((list_kind, items))
        else:
            blocks.append(("p", " ".join(line.strip() for line in lines)))
    return blocks


PDF_POLICIES: dict[str, list[Block]] = {
    "UM-620-v2-prior-authorization-timeframes.pdf": parse(UM_620_V2),
    "UM-630-continuous-glucose-monitors.pdf": parse(UM_630),
    "UM-640-member-cost-after-denial.pdf": parse(UM_640),
}
DOCX_POLICIES: dict[str, list[Block]] = {
    "UM-610-adverse-determination-notices.docx": parse(UM_610),
    "UM-620-v3-prior-authorization-timeframes.docx": parse(UM_620_V3),
}


def _latin1(text: str) -> str:
    """Core PDF fonts are Latin-1 only; swap the few typographic characters we use."""
    return text.replace("\u2014", "-").replace("\u2013", "-").replace("\u2019", "'")


class _PolicyPdf(FPDF):
    """An FPDF page with the plan's header and a page-x-of-y footer on every page."""

    def header(self) -> None:
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 6, _latin1(f"{PLAN} - Confidential"), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")


def write_pdf(blocks: list[Block], path: Path) -> None:
    """Render a policy as a PDF with styled headings and page furniture."""
    pdf = _PolicyPdf(format="Letter")
    pdf.set_creation_date(FIXED)
    pdf.set_creator("make_binary_docs_heldout.py")
    pdf.set_producer("fpdf2")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for kind, payload in blocks:
        if kind == "title":
            pdf.set_font("Helvetica", "B", 20)
            pdf.multi_cell(width, 10, _latin1(str(payload)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "meta":
            pdf.set_font("Helvetica", "", 10)
            for line in payload:
                pdf.multi_cell(width, 5.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif kind in ("h1", "h2", "hu"):
            size = {"h1": 15, "h2": 13, "hu": 12}[kind]
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(width, size * 0.55, _latin1(str(payload)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "p":
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(width, 6, _latin1(str(payload)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind in ("num", "bullet"):
            pdf.set_font("Helvetica", "", 11)
            for i, item in enumerate(payload, start=1):
                mark = f"{i}." if kind == "num" else "-"
                pdf.set_x(pdf.l_margin + 4)
                pdf.cell(7, 6, mark)
                pdf.multi_cell(width - 11, 6, _latin1(item), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    pdf.output(str(path))


def write_docx(blocks: list[Block], path: Path) -> None:
    """Render a policy as a DOCX using Word's built-in styles."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    for kind, payload in blocks:
        if kind == "title":
            document.add_paragraph(str(payload), style="Title")
        elif kind == "meta":
            for line in payload:
                document.add_paragraph(line, style="Normal")
        elif kind == "h1":
            document.add_paragraph(str(payload), style="Heading 1")
        elif kind == "h2":
            document.add_paragraph(str(payload), style="Heading 2")
        elif kind == "hu":
            document.add_paragraph(str(payload), style="Heading 3")
        elif kind == "p":
            document.add_paragraph(str(payload), style="Normal")
        elif kind in ("num", "bullet"):
            style = "List Number" if kind == "num" else "List Bullet"
            for item in payload:
                document.add_paragraph(item, style=style)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    props = document.core_properties
    props.author = PLAN
    props.last_modified_by = PLAN
    props.created = FIXED.replace(tzinfo=None)
    props.modified = FIXED.replace(tzinfo=None)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    _write_zip_with_fixed_times(buffer.getvalue(), path)


def _write_zip_with_fixed_times(data: bytes, path: Path) -> None:
    """python-docx stamps zip members with the current time; rewrite them with a fixed one."""
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))


def main() -> None:
    """Write every PDF and DOCX of the held-out half."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, blocks in PDF_POLICIES.items():
        write_pdf(blocks, OUT / name)
    for name, blocks in DOCX_POLICIES.items():
        write_docx(blocks, OUT / name)


if __name__ == "__main__":
    main()
