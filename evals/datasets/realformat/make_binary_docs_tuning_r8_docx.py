"""Deterministic generator for UM-1120 (synthetic plan policy) DOCX.

Round r8, author I (Cedar Valley Example Health Plan, synthetic): writes into docs/tuning/.
Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r8_docx.py
"""
# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)

import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

OUT = str(
    Path(__file__).resolve().parent
    / "docs"
    / "tuning"
    / "UM-1120-behavioral-health-level-of-care-review.docx"
)
PLAN = "Cedar Valley Example Health Plan (synthetic)"

d = Document()
cp = d.core_properties
cp.title = "UM-1120 Behavioral Health Level-of-Care Review"
cp.author = PLAN
cp.created = datetime.datetime(2026, 1, 5, 9, 0, 0)
cp.modified = datetime.datetime(2026, 1, 5, 9, 0, 0)
cp.last_modified_by = "UM Policy Office"
cp.revision = 4

sec = d.sections[0]
hp = sec.header.paragraphs[0]
hp.text = PLAN + "  |  UM-1120 Behavioral Health Level-of-Care Review"
hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
fp = sec.footer.paragraphs[0]
fp.text = "UM-1120 v1.3  |  Effective 02/01/2026  |  Confidential - internal use only"
fp.alignment = WD_ALIGN_PARAGRAPH.CENTER


def H1(t):
    d.add_heading(t, level=1)


def H2(t):
    d.add_heading(t, level=2)


def P(t):
    d.add_paragraph(t)


def NUM(items):
    for it in items:
        d.add_paragraph(it, style="List Number")


def BUL(items):
    for it in items:
        d.add_paragraph(it, style="List Bullet")


d.add_heading("UM-1120 Behavioral Health Level-of-Care Review", level=0)
P("Plan: " + PLAN)
P(
    "Policy number: UM-1120    Version: 1.3    Effective date: 02/01/2026    Last reviewed: 01/14/2026"
)
P("Applies to: Commercial, Medicaid managed care and Medicare Advantage members")

H1("1. Purpose")
P(
    "This policy describes how Cedar Valley Example Health Plan (synthetic) reviews requests for mental health and "
    "substance use disorder services at four levels of care: inpatient psychiatric, residential treatment, partial "
    "hospitalization (PHP) and intensive outpatient (IOP). It sets admission criteria, concurrent review intervals, "
    "discharge planning expectations and decision timeframes. All member examples used in training are synthetic."
)

H1("2. Scope")
P(
    "The policy covers in-network and out-of-network facility-based behavioral health services for members of all ages. "
    "Outpatient therapy visits and medication management are outside its scope and do not require prior authorization."
)

H1("3. Definitions")
BUL(
    [
        "Inpatient psychiatric care: 24-hour care in a licensed psychiatric hospital or unit with daily physician "
        "evaluation and continuous nursing.",
        "Residential treatment: 24-hour structured treatment in a licensed non-hospital facility, with on-site clinical "
        "staff and at least weekly physician or psychiatric nurse practitioner contact.",
        "Partial hospitalization program (PHP): a structured day program providing at least 20 hours of treatment per week, "
        "with the member returning home each night.",
        "Intensive outpatient program (IOP): a structured program providing 9 to 19 hours of treatment per week for adults "
        "(6 to 19 hours for members under 18).",
        "Behavioral health physician reviewer: a board-certified psychiatrist, or for substance use disorder requests a "
        "physician board-certified in addiction medicine or addiction psychiatry.",
    ]
)

H1("4. Review Standards")
H2("4.1 Criteria used")
P(
    "Reviewers apply the plan's adopted level-of-care criteria: LOCUS for adults and CALOCUS-CASII for members aged 6 to 17 "
    "for mental health, and the ASAM Criteria for substance use disorder. Criteria are applied to the individual member's "
    "needs, including co-occurring medical conditions, and are never used as the sole basis for a denial without review of "
    "the clinical record."
)
H2("4.2 Who may deny")
P(
    "A behavioral health care manager (licensed clinician) may approve any request that meets criteria. Only a behavioral "
    "health physician reviewer may deny or reduce a request. A doctoral-level licensed psychologist may deny IOP requests "
    "but not inpatient, residential or PHP requests."
)

H1("5. Admission Criteria")
H2("5.1 Inpatient psychiatric")
P(
    "Inpatient psychiatric admission meets criteria when the member has a diagnosed mental health condition and at least "
    "one of the following is present:"
)
NUM(
    [
        "Imminent risk of serious harm to self, shown by a recent suicide attempt, a plan with intent, or access to lethal means "
        "that cannot be removed.",
        "Imminent risk of serious harm to others, shown by recent violent behavior or threats with intent.",
        "Inability to care for self so severe that the member is at serious risk of harm, such as refusing food or fluids.",
        "Acute psychosis or mania with behavior that cannot be managed safely at a lower level of care.",
        "A need for 24-hour medical and nursing monitoring during medication changes or a medically complicated withdrawal.",
    ]
)
P(
    "In every case, the record must also show that a less intensive level of care is not safe or would not be effective."
)
H2("5.2 Residential treatment")
P("Residential treatment meets criteria when all of the following are documented:")
NUM(
    [
        "The member does not need inpatient care but cannot be safely treated while living at home.",
        "The member has failed, or is not safe for, treatment at PHP or IOP level within the past 90 days.",
        "The member can take part in a structured program and is expected to improve.",
    ]
)
H2("5.3 Partial hospitalization (PHP)")
P(
    "PHP meets criteria when the member needs daily structured treatment to prevent inpatient admission or to step down "
    "from it, has a safe living environment at night, and can attend at least 5 days per week."
)
H2("5.4 Intensive outpatient (IOP)")
P(
    "IOP meets criteria when symptoms significantly impair daily functioning, routine outpatient therapy has not been "
    "enough or the member is stepping down from PHP or residential care, and the member can attend at least 3 days per week."
)

H1("6. Concurrent Review")
P(
    "Authorizations are issued for the initial period below. The facility must send updated clinical information before "
    "the last covered day; the care manager reviews it on or before that day."
)
t = d.add_table(rows=1, cols=4)
t.style = "Table Grid"
for c, h in zip(
    t.rows[0].cells,
    ["Level of care", "Initial authorization", "Concurrent review interval", "Decision by"],
    strict=False,
):
    c.text = h
for row in [
    ["Inpatient psychiatric", "3 days", "Every 3 days", "End of last covered day"],
    ["Residential treatment", "7 days", "Every 7 days", "End of last covered day"],
    ["PHP", "5 treatment days", "Every 5 treatment days", "End of last covered day"],
    [
        "IOP",
        "12 sessions",
        "Every 12 sessions or 30 days, whichever is first",
        "End of last covered day",
    ],
]:
    cells = t.add_row().cells
    for c, v in zip(cells, row, strict=False):
        c.text = v
P(
    "Coverage of the current level of care continues while a timely concurrent review request is pending. If the facility "
    "sends no update by the last covered day, the care manager makes two documented outreach attempts before the case is "
    "referred to the physician reviewer."
)

H1("7. Discharge Planning")
P(
    "Discharge planning starts at admission. The care manager confirms at each concurrent review that the facility is:"
)
BUL(
    [
        "Scheduling a follow-up outpatient appointment within 7 days of discharge from inpatient or residential care.",
        "Reconciling medications and sending the discharge medication list to the member's prescriber.",
        "Making a safety plan with the member, including crisis line numbers.",
        "Involving family or other supports when the member agrees.",
        "Arranging a step-down level of care when the member still meets criteria for one.",
    ]
)
P(
    "The care manager calls the member within 3 business days after discharge to confirm the follow-up appointment."
)

H1("8. Decision Timeframes")
H2("8.1 Plan timeframes")
P(
    "Pre-service requests for residential, PHP or IOP are decided within 72 hours when urgent and within 5 business days "
    "otherwise. Concurrent review requests are decided within 24 hours of receipt of the clinical update. Emergency "
    "inpatient psychiatric admissions do not need prior authorization; the facility must notify the plan by the next "
    "business day after admission."
)
H2("8.2 Relationship to federal and state rules")
P(
    "Where a federal rule or state law for the member's line of business requires a shorter timeframe, that shorter "
    "timeframe is used. The plan timeframes above are internal targets and do not lengthen any regulatory deadline."
)

H1("9. Mental Health Parity (MHPAEA) Note")
P(
    "Concurrent review, prior authorization and the other nonquantitative treatment limitations in this policy are applied "
    "to behavioral health benefits no more stringently than comparable limitations are applied to medical/surgical "
    "benefits in the same classification. The review intervals in section 6 were set by comparison with the plan's "
    "inpatient and skilled nursing concurrent review intervals. The UM Committee keeps a written comparative analysis of "
    "these limitations and updates it when this policy changes. Staff who believe a limitation is being applied "
    "more strictly to behavioral health than to medical/surgical care must report it to the Compliance Officer."
)

H1("10. Adverse Determinations")
P(
    "Before denying a continued stay, the physician reviewer offers a peer-to-peer conversation with the attending "
    "clinician. If the stay is denied, the denial notice is sent to the member and the facility and states the clinical "
    "reason, the criteria applied, the last covered day, and the member's appeal rights, including the right to an "
    "expedited appeal. The member may not be discharged for lack of coverage before the notice is received."
)

d.save(OUT)
print("wrote", OUT)
