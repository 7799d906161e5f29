"""Write the tuning half's PDF and DOCX plan policies (three synthetic plans) from the text here."""

from __future__ import annotations

import io
import re
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
# The second synthetic plan, written later in another voice so that tuning is not fitted to one
# author's wording (see README.md).
NORTHWIND = "Northwind Example Health Plan (synthetic)"
# Fixed dates and metadata so that a rerun writes the same bytes.
FIXED_DATE = datetime(2026, 1, 2, 9, 0, 0, tzinfo=UTC)
ZIP_DATE = (2026, 1, 2, 9, 0, 0)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# Mini markup, one block per blank-line-separated group:
#   "# "  title          "! "  top line (Policy Number, Effective Date, ...)
#   "## " heading 1      "### " heading 2 (numbered "4.1 ..." or unnumbered)
#   "1. " numbered item  "- "  bullet item (continuation lines indented)
#   "a) " lettered item, typed by hand as Word users do (no list style)
#   "a. " sub-item of a numbered item (outline policies: I. / A. / 1. / a.)
#   "| a | b |" table row; consecutive rows make one table, the first row is its header (an
#              indented line continues the last cell of the row above)
#   anything else        body paragraph (lines joined); "_Lead._ rest" sets the lead in italics

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


UM_510 = """
# Concurrent Review of Inpatient and Post-Acute Stays

! Policy Number: UM-510
! Effective Date: February 1, 2026
! Version: 1
! Line of Business: All

## Purpose

Northwind Example Health Plan (synthetic) is a fictitious plan, and this policy, which was written
for testing purposes only, is not to be read as describing any real health plan. The way in which
the stays of Northwind members in hospitals and in post-acute facilities are reviewed while they
are in progress is set out here, together with the parts that are played in that review by UM
nurses, physician reviewers and case managers.

## 1 Scope

This policy is applied to acute inpatient hospital stays, inpatient rehabilitation facility stays,
long-term acute care hospital stays and skilled nursing facility stays of members in the Medicare
Advantage, Medicaid and Commercial lines of business. Inpatient behavioral health stays are
reviewed under this policy as well, except where a State contract requires a different review
schedule to be followed. Observation services, and the question of whether a given stay should have
been billed as inpatient or as outpatient, are outside its scope.

## 2 Definitions

_Concurrent review._ A review of the medical necessity of a stay that is carried out while the
member is still in the facility, as distinguished from a review that is carried out before the
admission or after the discharge.

_Next review date._ The date, assigned by the UM nurse at each review, by which the facility is
expected to have sent updated clinical information.

_Last covered day._ The last day of a stay for which Northwind has confirmed that the continued
stay criteria were met.

## 3 Notification and initial review

### 3.1 Notification of admission

Facilities are expected to notify Northwind of each admission no later than the next business day
after the admission, through the provider portal, by fax or by telephone; a notification that is
received after 5:00 p.m. local time is treated as having been received on the next business day.
Notification of an admission is not to be confused with a request for authorization, and the fact
that notification was given is not, by itself, treated as a finding that the stay is medically
necessary.

### 3.2 Initial review

The initial concurrent review is completed by a UM nurse within 1 business day of the notification,
using the licensed screening criteria that have been adopted by the Northwind Utilization
Management Committee; at its close a next review date is assigned, recorded in the case and
communicated to the facility.

## 4 Continued stay review

### 4.1 Review frequency

Continued stay reviews are carried out no later than the next review date, and the interval
between reviews, which depends on the level of care, is not allowed to exceed the following:

- Intensive care — every calendar day.
- Acute inpatient care other than intensive care — every 3 calendar days.
- Inpatient rehabilitation facility or long-term acute care hospital — every 7 calendar days.
- Skilled nursing facility — every 7 calendar days, with the first review completed by day 3 of
  the stay.

A shorter interval may be set by the UM nurse when the member's condition is changing quickly or
when a discharge is expected within the interval.

### 4.2 Clinical information requested

For each continued stay review, the facility is asked to send the following:

1. The current vital signs, and any changes in them since the last review.
2. The treatments, medications and therapies that are being given, with their frequency.
3. The results of tests that were performed since the last review.
4. The attending physician's current plan of care, including the anticipated discharge date.
5. The discharge plan and any barriers to discharge that have been identified.

### 4.3 When criteria do not appear to be met

A UM nurse may find that the continued stay criteria are met, but is not permitted to find that
they are not met; when the criteria do not appear to be met, the case is referred by the nurse to a
physician reviewer on the same business day. Before any decision not to cover further days is
made, the attending physician is offered a peer-to-peer conversation with the physician reviewer,
and the physician reviewer's decision is made within 1 business day of the referral. A decision not
to cover further days is an adverse determination, and notice of it is given under the plan's
notice policy for the member's line of business, whose content is not repeated here.

### 4.4 Last covered day

Where a continued stay is not approved, the last covered day is not set earlier than the calendar
day after the day on which the attending physician is told of the decision, so that a safe
discharge can be arranged; a day that was approved at an earlier review is never withdrawn.

## 5 Discharge planning

Discharge planning is begun by the assigned case manager within 2 business days of the admission
and is coordinated with the facility's own discharge planner. Members who meet any of the referral
triggers of policy UM-530 section 3 are referred to the case management program before they are
discharged, and members who move between Northwind and another plan, or into or out of the
Northwind network, during the stay are handled under policy UM-520.

_Medicare Advantage discharges._ The written notice of discharge rights that hospitals give to
Medicare Advantage inpatients is delivered by the hospital, not by Northwind, and a member's request
for review of a discharge by the Quality Improvement Organization is handled under the plan's
separate discharge appeal procedure, which is not described in this policy.

## Related documents

Policy UM-520 (continuity and transition of care); policy UM-530 (case management program
enrollment).
"""

UM_520 = """
# Continuity and Transition of Care

! Policy Number: UM-520
! Effective Date: February 1, 2026
! Version: 2
! Line of Business: All

## 1 Purpose

Northwind Example Health Plan (synthetic) is a fictitious plan; this policy was written for testing
purposes only and describes no real health plan. It is intended to ensure that care which is
already under way is not interrupted when a member joins Northwind, when a member's treating
provider leaves the Northwind network, or when a member moves from one line of business to another.

## 2 Scope

This policy is applied to medical and behavioral health services in the Medicare Advantage,
Medicaid and Commercial lines of business. Transition fills of prescription drugs are governed by
the pharmacy policies and are not addressed here.

## 3 New members in an active course of treatment

### 3.1 Transition period

A new member who, on the date of enrollment, is in an active course of treatment is allowed to
continue that treatment, with the provider who is furnishing it, for a transition period of 90
calendar days after the date of enrollment or until the course of treatment is completed, whichever
comes first, whether or not the provider is in the Northwind network. For Medicaid members, the
transition of care policy of the State (see 42 CFR 438.62) is followed wherever it provides a longer
period or broader protections than this section does.

### 3.2 What is honored during the transition period

During the transition period the following are honored without a new prior authorization being
required:

1. Prior authorizations that were issued by the member's previous health plan, or by the State
   Medicaid program, for services that have not yet been completed.
2. Visits with the member's current specialists and behavioral health providers, including
   providers outside the Northwind network.
3. Surgeries and procedures that were scheduled before enrollment for a date within the transition
   period.
4. Rentals of durable medical equipment that were in progress on the enrollment date.
5. Home health and private duty nursing services under a plan of care that was in place on the
   enrollment date.

### 3.3 Information from the previous plan

So that the transition can be managed, the previous plan's authorization records and the member's
recent utilization history are requested by the Northwind transition coordinator within 5 business
days of the enrollment file being received; in the meantime, the member's own account of the
treatment in progress is accepted.

## 4 Treating provider leaving the network

### 4.1 Continuing care patients

When a provider's participation in the Northwind network ends, a member who is a continuing care
patient of that provider is given the opportunity to continue receiving care from that provider for
up to 90 calendar days after the member is notified of the termination, or until the member is no
longer a continuing care patient, whichever is sooner. A member is regarded as a continuing care
patient where he or she is:

- undergoing a course of treatment for a serious and complex condition;
- undergoing a course of institutional or inpatient care;
- scheduled to undergo nonelective surgery, including postoperative care;
- pregnant and undergoing a course of treatment for the pregnancy; or
- terminally ill and receiving treatment for that illness.

### 4.2 Pregnancy

Notwithstanding the 90-day limit of section 4.1, a member who is in the second or third trimester of
pregnancy when the termination takes effect may continue with the departing provider through the
completion of postpartum care.

### 4.3 Exceptions

Continuation with a departing provider is not offered where the provider's participation was ended
because of quality of care concerns or suspected fraud, or where the provider declines to continue
treating the member under Northwind's terms.

## 5 Requests and decisions

### 5.1 Who may ask

A continuity of care request may be made by the member, by the member's representative or by the
treating provider, by telephone, through the provider portal or in writing.

### 5.2 Decision timeframe

Continuity of care requests are decided within 5 business days of receipt, or within 72 hours
where a delay could seriously jeopardize the member's health or where the service in question is
scheduled to take place within the next 72 hours.

### 5.3 Approvals and denials

A continuity of care request may be approved by a UM nurse or by the transition coordinator, but it
may be denied only by a physician reviewer, and a denial is treated as an adverse determination
that carries the appeal rights of the member's line of business. At the end of the transition
period, members who still need the service are moved to network providers with the help of a case
manager (see policy UM-530).
"""

UM_530 = """
# Case Management Program Enrollment

! Policy Number: UM-530
! Effective Date: February 1, 2026
! Version: 1
! Line of Business: All

## Purpose

Northwind Example Health Plan (synthetic) is a fictitious plan; this policy was written for testing
purposes only and describes no real health plan. It describes how members are identified for the
Northwind case management program, how they are enrolled in it, and how they leave it.

## 1 Program overview

Case management is a voluntary program in which a member with complex medical, behavioral or social
needs is helped by an assigned case manager to coordinate care across providers and settings;
participation does not change the member's benefits, and no service is made conditional on
enrollment in the program.

## 2 Case manager qualifications

Case managers are registered nurses or licensed clinical social workers with at least 2 years of
clinical experience, and each case manager is expected to obtain a nationally recognized case
management certification within 3 years of being hired.

## 3 Referral triggers

A member is referred for a case management assessment when any one of the following is identified,
whether through claims data, a utilization review, a hospital discharge or a referral:

a) two or more inpatient admissions within 6 months;
b) three or more emergency department visits within 90 days;
c) a readmission within 30 days of a discharge;
d) a solid organ or bone marrow transplant, whether pending or completed in the past 12 months;
e) a high-risk pregnancy;
f) a new diagnosis of cancer for which active treatment is under way; or
g) a discharge from a stay reviewed under policy UM-510 with unmet needs for home services or
   equipment.

Referrals may also be made by the member, by a family member or caregiver, by a provider, or by any
Northwind department.

## 4 Enrollment

### 4.1 Outreach

After a referral, outreach to the member is attempted by the case manager at least three times by
telephone over a period of 14 calendar days, with the attempts made on different days and at
different times of day; where all three telephone attempts are unsuccessful, a letter inviting the
member to call is mailed, and the referral is then closed as unable to reach.

### 4.2 Consent

Enrollment takes place only once the member, or the member's representative, has agreed to take
part; verbal agreement is accepted and is recorded in the case with the date and the name of the
person who gave it. A member may decline enrollment, or may leave the program at any time, without
any effect on his or her benefits.

### 4.3 Assessment and care plan

A comprehensive assessment is completed within 30 calendar days of enrollment, and an individualized
care plan, with goals that have been agreed with the member, is completed within 14 calendar days of
the assessment and is shared with the member's primary care provider.

## 5 Contact frequency

The frequency of contact with an enrolled member is set by the acuity level that is assigned at the
assessment, and that level is reviewed at each contact:

- High acuity — at least once every 7 calendar days.
- Moderate acuity — at least once every 30 calendar days.
- Low acuity — at least once every 90 calendar days.

## 6 Discharge from the program

_Reasons for discharge._ A member is discharged from the program when the goals of the care plan
have been met, when the member asks to leave, when the member cannot be reached for 60 calendar days
despite at least three attempts, when the member's enrollment in Northwind ends, or when the member
moves into a setting, such as hospice, in which care is coordinated by another program; before the
discharge takes place, the member and the primary care provider are told of it and of how the member
can be referred again.
"""


# The third synthetic plan (fourth writing round), in a formal voice: "shall", "the Plan",
# capitalized defined terms, an outline policy (I./A./1./a.), unnumbered Word headings with a
# table, and ruled headings with a revision-history table.
EASTGATE = "Eastgate Example Health Plan (synthetic)"

UM_710 = """
# Retrospective Review of Services Furnished Without Authorization

! Policy Number: UM-710
! Effective Date: April 1, 2026
! Version: 1
! Line of Business: All
! Policy Owner: Utilization Management Department

## I. PURPOSE

Eastgate Example Health Plan (synthetic) is a fictitious health plan. This policy was prepared for
testing only and describes no real health plan, provider or member. It establishes when the Plan
shall accept a Retrospective Review Request for a service that was furnished without a required
authorization, how such a request shall be reviewed and decided, and what the Requesting Provider
and the member shall be told.

## II. DEFINITIONS

### A. Retrospective Review

A medical necessity review, requested after the service was furnished, of a service, item or
admission for which the Plan issued no authorization before or during the service.

### B. Requesting Provider

The facility, practitioner or supplier that furnished the service and asks the Plan for
Retrospective Review.

### C. Discharge Date

For an inpatient or other facility stay, the date on which the member left the facility; for any
other service, the date on which the service was furnished.

## III. POLICY

### A. Conditions for Acceptance

The Plan shall accept a Retrospective Review Request only when the Requesting Provider shows that
at least one of the following conditions applies:

1. Emergency admission. The member was admitted through the emergency department, or by emergency
   transfer from another facility, and authorization could not reasonably have been obtained before
   the admission began.
2. Eligibility not known at the time of service. The Requesting Provider could not have known that
   the member was enrolled with the Plan, because:
a. the member presented another payer's identification card, or no card, and the provider's
   eligibility check was documented;
b. the member's enrollment with the Plan was entered later with an effective date on or before the
   date of service; or
c. the Plan's eligibility system showed the member as not enrolled on the date of service.
3. Plan system outage. An outage of the Plan's provider portal, fax intake or telephone lines
   prevented the request from being submitted, as confirmed by the Plan's Information Technology
   incident log.
4. Unplanned additional service. A service was added during an authorized procedure because of a
   finding made during that procedure.
5. Incorrect Plan information. A Plan representative told the Requesting Provider that no
   authorization was needed, as shown by the Plan's call record.

### B. Requests Not Accepted

1. A request that meets none of the conditions of Section III.A shall not be reviewed for medical
   necessity. The Plan shall send the Requesting Provider an administrative notice stating that the
   service was not authorized and that the request did not meet the conditions for Retrospective
   Review.
2. A request received after the request window of Section IV.A shall not be accepted.

### C. No Denial for Missing Authorization Alone

When a condition of Section III.A is met, the Plan shall not deny the service solely because no
authorization was obtained. The request shall be decided on medical necessity, using the same
criteria that would have applied to a timely prior authorization request, and on the clinical
information that was available to the treating practitioner when the service was furnished.

### D. Who May Decide

1. A UM nurse may approve a Retrospective Review Request that meets the applicable criteria.
2. Only a physician reviewer may deny a Retrospective Review Request, in whole or in part, for
   lack of medical necessity. A UM nurse who cannot approve a request shall refer it to a physician
   reviewer and shall not deny it.
3. The administrative notice of Section III.B is not a medical necessity decision and may be
   issued by a UM coordinator.

## IV. PROCEDURE

### A. Request Window

1. The Requesting Provider shall submit the Retrospective Review Request no later than 30 calendar
   days after the Discharge Date.
2. Where the condition relied on is eligibility not known at the time of service, the 30 calendar
   days run from the date on which the Requesting Provider learned of the member's enrollment with
   the Plan.
3. Where the condition relied on is a Plan system outage, the 30 calendar days run from the
   Discharge Date or from the date on which the Plan announced that the outage had ended, whichever
   is later.

### B. Decision Timeframe

1. The Plan shall decide the request, and send notice of the decision, within 30 calendar days
   after receipt of the request.
2. The Plan may extend the timeframe once, by up to 15 calendar days, when medical records needed
   to decide the request are missing. To take the extension, the Plan shall:
a. notify the Requesting Provider in writing, before the 30-day period ends, of the extension and
   of the specific records that are missing;
b. allow the Requesting Provider at least 10 calendar days to send the missing records; and
c. decide the request on the information it has if the records are not received by the end of
   the extension.
3. No second extension may be taken for any reason.

### C. Contents of the Request

The Retrospective Review Request shall include:

1. The member's name, date of birth and Plan identification number.
2. The dates of service, or the admission and Discharge Dates.
3. The condition of Section III.A relied on and the evidence of it, such as the emergency
   department record, the eligibility check, or the outage reference number.
4. The complete medical record for the dates under review, including physician orders and
   progress notes.
5. The name and National Provider Identifier of the attending or ordering practitioner.

### D. Notice of Decision

1. An approval notice shall be sent to the Requesting Provider and shall state the authorization
   number and the dates and services approved.
2. A denial notice shall be sent to the member and the Requesting Provider and shall state:
a. the services and dates denied;
b. the specific clinical reason for the denial, in plain language;
c. the criteria used, and the right to receive a copy of them free of charge;
d. the name of the physician reviewer and a telephone number at which the Requesting Provider may
   discuss the decision with that reviewer; and
e. the appeal rights described in Section IV.E.

### E. Appeal Rights

1. A Retrospective Review denial is an adverse determination and may be appealed through the
   appeal process of the member's line of business; the denial notice states the filing deadline
   that applies.
2. Because the services have already been furnished, an appeal of a Retrospective Review denial
   shall be processed as a standard appeal and is not eligible for expedited handling.
3. The appeal shall be decided by a physician who did not take part in the denial and is not the
   subordinate of the physician reviewer who made it.
"""

UM_720 = """
# Out-of-Network Exceptions and Single Case Agreements

! Policy Number: UM-720
! Effective Date: April 1, 2026
! Version: 1
! Line of Business: All

## Purpose

Eastgate Example Health Plan (synthetic) is a fictitious health plan. This policy was prepared for
testing only and describes no real health plan, provider or member. It establishes when the Plan
shall authorize a member whose benefit plan covers in-network care only to receive a service from
an out-of-network provider, and how the resulting single case agreement is made.

## Definitions

A Network Gap Exception is an authorization for a named member to receive a named service from a
named out-of-network provider as if that provider were in network.

A Single Case Agreement is the written agreement between the Plan and the out-of-network provider
that covers the services of one approved Network Gap Exception for one member.

## When an Exception Is Granted

The Plan shall grant a Network Gap Exception when the requested service is a covered benefit, is
medically necessary, and one of the following applies:

- No in-network provider of the required type can furnish the service to the member within the
  access standards of the member's line of business, as determined by Provider Network Services.
- The member is in an active course of treatment with the out-of-network provider and a change of
  provider would disrupt that treatment or harm the member (a continuity need).
- The service requires a specialty, subspecialty or facility capability that no in-network
  provider offers.

### When an Exception Is Not Granted

An exception shall not be granted only because the member or the provider prefers the
out-of-network provider, when an in-network provider is available and able to furnish the service.
An exception changes who may furnish a covered service; it never makes an excluded service
covered.

## What the Request Must Include

The requesting provider shall submit:

- the member's name and Plan identification number;
- the service requested, with its procedure codes and the number of visits or units;
- the diagnosis and the clinical records that show medical necessity;
- the reason an in-network provider cannot furnish the service, naming any in-network providers
  contacted and their response;
- the out-of-network provider's name, National Provider Identifier, address and specialty; and
- for a continuity need, the dates and plan of the current course of treatment.

## Decision Timeframes

The Plan shall decide each request and notify the member and the requesting provider within the
time shown for its type:

| Request type | Decide within | Extension |
| Standard (pre-service) | 7 calendar days after receipt | One extension of up to 14 calendar days |
| Urgent (pre-service) | 72 hours after receipt | None |
| Post-service | 30 calendar days after receipt | One extension of up to 15 calendar days |

A request is urgent when the requesting provider states, or the UM nurse finds, that the standard
timeframe could put the member's life or health, or the member's ability to regain maximum
function, in serious jeopardy.

## Member Protection

For services furnished under an approved Network Gap Exception, the member is held harmless: the
member is treated as if in network, and the Single Case Agreement shall bar the provider from
balance billing the member.

## Who Decides

Only the medical director may approve a Network Gap Exception. UM nurses receive the request,
confirm network availability with Provider Network Services and prepare the case, but may neither
approve nor deny it. A denial may be issued by the medical director or by a physician reviewer
whom the medical director has assigned to the case.

## Duration and Renewal

### Length of an Approval

An approved exception lasts for up to 6 months or for the course of treatment named in the
approval, whichever ends first. The approval letter states its end date.

### Renewal

A renewal request shall be submitted at least 14 calendar days before the approval ends and shall
include updated clinical records. Provider Network Services shall check again whether an
in-network provider has become available; if one has, the Plan shall arrange a transfer of care
rather than renew, unless the transfer would disrupt an active course of treatment.

## Single Case Agreements

After the medical director approves an exception, Network Contracting shall execute the Single Case
Agreement before the services begin, except for urgent requests, where it shall be executed within
2 business days of the approval. The agreement names the member, the services, the approved dates
and the provider.
"""

UM_730 = """
# Inpatient Rehabilitation Facility Admission Review

! Policy Number: UM-730
! Effective Date: January 1, 2026
! Version: 2
! Line of Business: Medicare Advantage

## 1 Purpose

Eastgate Example Health Plan (synthetic) is a fictitious health plan. This policy was prepared for
testing only and describes no real health plan, provider or member. It establishes how the Plan
shall review a request to admit a Medicare Advantage member to an inpatient rehabilitation facility
(IRF).

## 2 Criteria

### 2.1 Medical necessity criteria that must all be met at the time of admission

The Plan shall approve an IRF admission when the record shows that, at the time of admission, the
member meets all of the following:

1. The member requires the active and ongoing intervention of more than one therapy discipline
   (physical therapy, occupational therapy, speech-language pathology, or prosthetics and
   orthotics), and one of those disciplines is physical therapy or occupational therapy.
2. The member generally requires an intensive rehabilitation therapy program, which ordinarily
   means at least 3 hours of therapy a day on at least 5 days a week.
3. The member can reasonably be expected to take part actively in the intensive program and to
   benefit significantly from it, with measurable improvement of practical value expected within a
   predetermined period of time.
4. The member requires supervision by a rehabilitation physician, including face-to-face visits at
   least 3 days a week throughout the stay.
5. The member requires an intensive and coordinated interdisciplinary approach to rehabilitation.

### 2.2 When a therapy schedule of fewer than three hours a day on five days a week is accepted

In place of the schedule of item 2 of section 2.1, the Plan shall accept at least 15 hours of
intensive therapy within the 7 consecutive days that begin on the day of admission, when the
member's medical condition justifies the lighter schedule and the rehabilitation physician has
documented that justification in the record before admission.

### 2.3 Interdisciplinary team

The interdisciplinary approach of item 5 of section 2.1 means care by a team that includes at least
a rehabilitation physician, a registered nurse with rehabilitation experience, a social worker or
case manager, and a licensed therapist from each therapy discipline involved, meeting at least once
a week under the rehabilitation physician's lead.

### 2.4 Medicare criteria only

The Plan applies the criteria of this section 2, which follow the Traditional Medicare IRF coverage
rules, and shall not apply internal criteria that are more restrictive than those rules.

## 3 Documentation

### 3.1 Pre-admission screening

The request shall include a pre-admission screening completed within the 48 hours immediately
before admission by a licensed or certified clinician designated by the rehabilitation physician.
A screening completed earlier shall be updated within the 48 hours before admission. The
rehabilitation physician shall review and concur with the screening before the admission.

### 3.2 Post-admission physician evaluation

The Plan expects a rehabilitation physician to evaluate the member in person within 24 hours after
admission and to document whether the member's condition still supports the pre-admission
screening. The evaluation is sent with the first concurrent review.

### 3.3 Individualized plan of care

The rehabilitation physician, with input from the interdisciplinary team, shall complete an
individualized plan of care within 4 days of admission. The plan of care states the expected
frequency and duration of each therapy, the expected length of stay and the expected discharge
destination.

## 4 Review and decisions

### 4.1 Who decides, and who may issue a denial of an IRF admission request

A UM nurse reviews each request against section 2 and may approve a request that meets it. Only a
physician reviewer with knowledge of Medicare coverage criteria may deny a request in whole or in
part, and a UM nurse shall refer to a physician reviewer any request the nurse cannot approve.

### 4.2 Peer-to-peer offer

Before a denial is issued, the physician reviewer shall offer the rehabilitation physician or the
referring physician a peer-to-peer conversation. If the offer is not taken up within 1 business
day, the physician reviewer shall decide on the record. The offer does not extend the decision
timeframe.

### 4.3 Denial notice

A denial notice shall name each criterion of section 2.1 that the record did not show was met and
the level of care that the physician reviewer found appropriate instead.

## Revision history

| Version | Effective date | Changes |
| 1 | January 1, 2024 | First version of the policy. |
| 2 | January 1, 2026 | Added section 2.4, the 24-hour post-admission physician evaluation
  (section 3.2) and the peer-to-peer offer (section 4.2). |
"""

LETTER = re.compile(r"^[a-z]\) ")
SUBLETTER = re.compile(r"^([a-z])\. (.*)$")
# Block kinds that a following unmarked line continues.
CONTINUED = ("para", "bullet", "number", "letter", "subletter", "table")
ITALIC_LEAD = re.compile(r"^_(.+?)_ (.*)$")


@dataclass(frozen=True)
class Block:
    """One unit of a policy: a title, top line, heading, paragraph or list item."""

    kind: str  # title | meta | h1 | h2 | para | number | bullet | letter | subletter | table
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
        elif LETTER.match(line):
            blocks.append(Block("letter", line))
        elif line.startswith("| "):
            if blocks and blocks[-1].kind == "table":
                blocks.append(Block("table", f"{blocks.pop().text}\n{line}"))
            else:
                blocks.append(Block("table", line))
        elif SUBLETTER.match(line):
            blocks.append(Block("subletter", line))
        elif line.split(" ", 1)[0].rstrip(".").isdigit() and ". " in line[:4]:
            blocks.append(Block("number", line.split(". ", 1)[1]))
        elif blocks and blocks[-1].kind in CONTINUED:
            last = blocks.pop()
            blocks.append(Block(last.kind, f"{last.text} {line}"))
        else:
            blocks.append(Block("para", line))
    return [block for block in blocks if block.kind]


def table_rows(block: Block) -> list[list[str]]:
    """The cells of a table block, one list per "| a | b |" row."""
    rows = block.text.splitlines()
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]


class PolicyPDF(FPDF):
    """A PDF with the plan's page header and a "Page N of M" footer on every page."""

    def __init__(self, plan: str) -> None:
        super().__init__(format="Letter")
        self.plan_header = f"{plan} — Confidential"

    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, self.plan_header, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")


def write_pdf(
    blocks: list[Block], path: Path, title: str, plan: str, style: str = "classic"
) -> None:
    """Write a policy PDF: large bold title, bold larger headings, small page furniture.

    style "classic" is the layout of the first two plans. "outline" (I. / A. / 1. / a.) sets
    smaller headings and indents each outline level further; "ruled" draws a rule under each
    top-level heading and sets second-level headings in a narrow column, so that long ones take
    two lines.
    """
    pdf = PolicyPDF(plan)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    # Only policies with italic leads get the italic face, so the older PDFs keep their bytes.
    if any(b.kind == "para" and ITALIC_LEAD.match(b.text) for b in blocks):
        pdf.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(title)
    pdf.set_author(f"{plan} UM Policy Office")
    pdf.set_creator("make_binary_docs_tuning.py")
    pdf.set_producer("make_binary_docs_tuning.py")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    outline = style == "outline"
    indent = 0.0  # outline only: the indent of the paragraphs under the current heading
    number = 0
    for block in blocks:
        if block.kind not in ("number", "subletter"):
            number = 0
        if block.kind == "title":
            pdf.set_font("DejaVu", "B", 18)
            pdf.multi_cell(0, 9, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(3)
        elif block.kind == "meta":
            pdf.set_font("DejaVu", "", 10)
            pdf.cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind in ("h1", "h2") and outline:
            pdf.ln(3 if block.kind == "h1" else 1.5)
            indent = 0.0 if block.kind == "h1" else 6.0
            pdf.set_font("DejaVu", "B", 12 if block.kind == "h1" else 10.5)
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        elif block.kind in ("h1", "h2") and style == "ruled":
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 14 if block.kind == "h1" else 12)
            width = 0 if block.kind == "h1" else 105
            pdf.multi_cell(width, 7, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            if block.kind == "h1":
                pdf.set_line_width(0.4)
                pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
                pdf.ln(2)
            pdf.ln(1)
        elif block.kind in ("h1", "h2"):
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 14 if block.kind == "h1" else 12)
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        elif block.kind == "para" and (lead := ITALIC_LEAD.match(block.text)):
            pdf.set_font("DejaVu", "I", 10)
            pdf.write(5.5, f"{lead.group(1)} ")
            pdf.set_font("DejaVu", "", 10)
            pdf.write(5.5, lead.group(2))
            pdf.ln(5.5)
            pdf.ln(2)
        elif block.kind == "para" and outline:
            pdf.set_font("DejaVu", "", 10)
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        elif block.kind == "para":
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(2)
        elif block.kind == "letter":
            pdf.set_font("DejaVu", "", 10)
            pdf.set_x(pdf.l_margin + 5)
            pdf.multi_cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        elif block.kind == "subletter" and (sub := SUBLETTER.match(block.text)):
            pdf.set_font("DejaVu", "", 10)
            pdf.set_x(pdf.l_margin + (indent + 13 if outline else 12))
            pdf.cell(6, 5.5, f"{sub.group(1)}.")
            pdf.multi_cell(0, 5.5, sub.group(2), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(0.5)
        elif block.kind == "table":
            rows = table_rows(block)
            pdf.set_font("DejaVu", "", 9.5)
            pdf.ln(1)
            # A three-column table (the revision history) gets narrow first columns.
            widths = (18.0, 34.0, pdf.epw - 52.0) if len(rows[0]) == 3 else None
            with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
                for cells in rows:
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
            pdf.ln(2)
        else:
            number += 1
            marker = f"{number}." if block.kind == "number" else "•"
            pdf.set_font("DejaVu", "", 10)
            pdf.set_x(pdf.l_margin + (indent + 6 if outline else 5))
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


def write_docx(blocks: list[Block], path: Path, title: str, plan: str) -> None:
    """Write a policy DOCX with Word styles (Title, Heading 1/2, List Number/Bullet, Normal)."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10.5)
    header = document.sections[0].header.paragraphs[0]
    header.text = f"{plan} — Confidential"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    previous = ""
    for block in blocks:
        if block.kind == "table":
            add_docx_table(document, table_rows(block))
            previous = block.kind
            continue
        style = {
            "title": "Title",
            "meta": "Normal",
            "h1": "Heading 1",
            "h2": "Heading 2",
            "para": "Normal",
            "number": "List Number",
            "bullet": "List Bullet",
            "letter": "Normal",
            "subletter": "Normal",
        }[block.kind]
        lead = ITALIC_LEAD.match(block.text) if block.kind == "para" else None
        if lead:
            paragraph = document.add_paragraph(style=style)
            paragraph.add_run(lead.group(1)).italic = True
            paragraph.add_run(f" {lead.group(2)}")
        else:
            paragraph = document.add_paragraph(block.text, style=style)
        if block.kind == "letter":
            paragraph.paragraph_format.left_indent = Pt(18)
        if block.kind == "subletter":
            paragraph.paragraph_format.left_indent = Pt(36)
        if block.kind == "meta":
            paragraph.paragraph_format.space_after = Pt(0)
        if block.kind == "number" and previous != "number":
            restart_numbering(document, paragraph)
        previous = block.kind
    props = document.core_properties
    props.title = title
    props.author = f"{plan} UM Policy Office"
    props.last_modified_by = f"{plan} UM Policy Office"
    props.created = FIXED_DATE.replace(tzinfo=None)
    props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_printed = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue()))


def add_docx_table(document: DocxDocument, rows: list[list[str]]) -> None:
    """Add a Word table ("Table Grid" style) whose first row is a bold header row."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            paragraph = table.cell(r, c).paragraphs[0]
            run = paragraph.add_run(text)
            run.bold = r == 0


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


POLICIES: list[tuple[str, str, str, str]] = [
    ("UM-410-v2-decision-timeframes-2024.pdf", UM_410_V2, "pdf", PLAN),
    ("UM-410-v3-decision-timeframes.docx", UM_410_V3, "docx", PLAN),
    ("UM-420-denial-notices.pdf", UM_420, "pdf", PLAN),
    ("UM-430-peer-to-peer-and-reconsideration.docx", UM_430, "docx", PLAN),
    ("UM-440-dme-pap-and-oxygen-criteria.pdf", UM_440, "pdf", PLAN),
    ("UM-510-concurrent-review.pdf", UM_510, "pdf", NORTHWIND),
    ("UM-520-continuity-and-transition-of-care.docx", UM_520, "docx", NORTHWIND),
    ("UM-530-case-management-enrollment.pdf", UM_530, "pdf", NORTHWIND),
    ("UM-710-retrospective-review.pdf", UM_710, "pdf", EASTGATE),
    ("UM-720-out-of-network-exceptions.docx", UM_720, "docx", EASTGATE),
    ("UM-730-inpatient-rehabilitation-admission-review.pdf", UM_730, "pdf", EASTGATE),
]
# PDF layouts other than "classic" (see write_pdf); the older files keep the classic one.
PDF_STYLES = {
    "UM-710-retrospective-review.pdf": "outline",
    "UM-730-inpatient-rehabilitation-admission-review.pdf": "ruled",
}


def main() -> None:
    """Write every policy of the tuning half into docs/tuning/."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, markup, kind, plan in POLICIES:
        blocks = parse(markup)
        title = next(b.text for b in blocks if b.kind == "title")
        if kind == "pdf":
            write_pdf(blocks, OUT_DIR / name, title, plan, PDF_STYLES.get(name, "classic"))
        else:
            write_docx(blocks, OUT_DIR / name, title, plan)
        print(f"wrote {OUT_DIR / name}")


if __name__ == "__main__":
    main()
