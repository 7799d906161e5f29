# Round r11, author Q, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r11_Q.py
"""Generate docs/QM-1910-performance-improvement-projects.pdf deterministically (fpdf2).

Run: /work/main/.venv/bin/python make_docs.py
Same bytes every run: fixed creation date, core Helvetica font, latin-1 text only.
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
import datetime
import os

from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning", "QM-1910-performance-improvement-projects.pdf")

PLAN = "Juniper Example Health Plan (synthetic)"
TITLE = "QM-1910 Performance Improvement Projects and EPSDT Outreach"
FIXED_DATE = datetime.datetime(2026, 1, 5, 9, 0, 0, tzinfo=datetime.UTC)


class PolicyPDF(FPDF):
    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, PLAN + "  |  Quality Management", new_x="LMARGIN", new_y="NEXT")
        self.cell(
            0,
            4,
            TITLE + "  |  Medicaid managed care  |  Effective 01/01/2026",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            5,
            "Internal use only. Printed copies are uncontrolled; check the policy library for the current version.",
            align="L",
        )
        self.set_y(-14)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def h1(pdf, text):
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def h2(pdf, text):
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 10.5)
    pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")


def para(pdf, text):
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def items(pdf, entries):
    pdf.set_font("Helvetica", "", 10)
    for label, text in entries:
        x = pdf.l_margin
        pdf.set_x(x + 5)
        pdf.cell(7, 5, label)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.5)
    pdf.ln(1.5)


def table(pdf, head, rows, widths):
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_fill_color(225, 225, 225)
    for w, t in zip(widths, head, strict=False):
        pdf.cell(w, 6, t, border=1, fill=True)
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    lh = 4.5
    for row in rows:
        # compute the tallest cell in the row
        heights = []
        for w, t in zip(widths, row, strict=False):
            lines = pdf.multi_cell(w, lh, t, dry_run=True, output="LINES")
            heights.append(len(lines) * lh)
        rh = max(heights) + 1
        if pdf.get_y() + rh > pdf.page_break_trigger:
            pdf.add_page()
        y0 = pdf.get_y()
        x = pdf.l_margin
        for w, t in zip(widths, row, strict=False):
            pdf.rect(x, y0, w, rh)
            pdf.set_xy(x + 0.5, y0 + 0.5)
            pdf.multi_cell(w - 1, lh, t)
            x += w
        pdf.set_xy(pdf.l_margin, y0 + rh)
    pdf.ln(3)


def build():
    pdf = PolicyPDF(format="Letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(TITLE)
    pdf.set_author(PLAN)
    pdf.set_subject("Medicaid quality management procedure")
    pdf.set_creator("make_docs.py")
    pdf.set_producer("make_docs.py")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 15, 20)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 7, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, PLAN + " - Quality Management Department", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.5,
        "Line of business: Medicaid managed care (MCO)\n"
        "Policy owner: Director, Quality Improvement\n"
        "Approved by: Quality Improvement Committee (QIC), 12/09/2025\n"
        "Effective: 01/01/2026    Next review: 12/2026    Version: 3",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)

    h1(pdf, "1 Purpose")
    para(
        pdf,
        "This procedure describes how the Juniper quality team selects, runs, measures and reports "
        "Medicaid performance improvement projects (PIPs), and how it reaches members under age 21 "
        "who are due or overdue for Early and Periodic Screening, Diagnosis, and Treatment (EPSDT) "
        "services. It carries out the plan's contract duties under 42 CFR 438.330 (quality "
        "assessment and performance improvement program) and supports the State's EPSDT "
        "obligations under 42 CFR 441.56.",
    )

    h1(pdf, "2 Scope")
    para(
        pdf,
        "Applies to the Quality Improvement (QI) department, Quality Analytics, the EPSDT outreach "
        "unit, care coordination, and any delegate that performs outreach for Juniper Medicaid "
        "members. It does not cover the Medicare or commercial quality programs, provider "
        "credentialing, or grievance handling, which have their own policies.",
    )

    h1(pdf, "3 Definitions")
    items(
        pdf,
        [
            ("-", "PIP: a performance improvement project as described in 42 CFR 438.330(d)."),
            (
                "-",
                "Baseline period: the first measurement year of a PIP, before interventions start.",
            ),
            (
                "-",
                "Remeasurement period: each later 12-month period measured with the same indicator "
                "specifications as the baseline.",
            ),
            (
                "-",
                "Gap list: the monthly list, built by Quality Analytics from claims and encounter data, "
                "of members under 21 who are due or overdue for a screening on the State periodicity "
                "schedule.",
            ),
            (
                "-",
                "Outreach attempt: one documented effort to reach the member or parent or guardian by "
                "phone call, text message or mailed letter (see section 5.2).",
            ),
        ],
    )

    h1(pdf, "4 Performance Improvement Projects")
    h2(pdf, "4.1 Project selection")
    para(
        pdf,
        "Each October, Quality Analytics prepares a list of candidate PIP topics. The team scores "
        "each candidate against the following criteria:",
    )
    items(
        pdf,
        [
            (
                "a.",
                "the topic is required by CMS or the State, including any topic named under "
                "42 CFR 438.330(a)(2) or in the State contract;",
            ),
            (
                "b.",
                "it affects a high volume of members or high-risk members, including members with "
                "special health care needs;",
            ),
            (
                "c.",
                "Juniper's current rate is below the State benchmark or has declined for two years;",
            ),
            (
                "d.",
                "grievance, utilization or member survey data point to a gap in access or quality;",
            ),
            ("e.", "the indicator can be measured reliably from data Juniper already holds."),
        ],
    )
    para(
        pdf,
        "The Quality Improvement Committee (QIC) makes the final selection; topic proposals go to "
        "the QIC by January 31 (see section 4.4). Juniper keeps at least one clinical and at least "
        "one nonclinical PIP active at all times, as 42 CFR 438.330(d)(1) requires projects in both "
        "areas. The State may assign additional topics; those are added without scoring.",
    )

    h2(pdf, "4.2 Project design")
    para(
        pdf,
        "Each PIP has a written charter, approved by the QIC, that records the aim statement, the "
        "study population, the indicator specifications, the intervention plan, and the plan for "
        "evaluating and sustaining results. The charter must show each of the four elements in "
        "42 CFR 438.330(d)(2): objective quality indicators, interventions, evaluation of "
        "effectiveness, and activities to increase or sustain improvement. The PIP lead is a "
        "QI program manager named in the charter.",
    )

    h2(pdf, "4.3 Measurement")
    para(
        pdf,
        "The baseline period is the calendar year before interventions begin. Remeasurement is done "
        "every calendar year after that with unchanged specifications; any change to an indicator "
        "restarts the baseline. Data sources are claims and encounters, hybrid medical record "
        "review, and member surveys. For hybrid measures, Quality Analytics re-abstracts a random "
        "10 percent of records as an accuracy check. Between remeasurements, the PIP lead tracks "
        "monthly run charts of the intervention measures. A PIP may be closed only after the QIC "
        "finds that improvement has held for two consecutive remeasurement periods.",
    )

    h2(pdf, "4.4 Reporting calendar")
    para(
        pdf,
        "The table lists Juniper's recurring quality deliverables. When the State asks for PIP "
        "status outside this calendar, the PIP lead answers the request as well; the annual report "
        "below is the minimum.",
    )
    table(
        pdf,
        ["Deliverable", "Due", "Prepared by", "Sent to"],
        [
            ["PIP topic proposals for the coming year", "January 31", "Quality Analytics", "QIC"],
            [
                "Audited performance measure rates",
                "June 15",
                "Quality Analytics",
                "State Medicaid agency",
            ],
            [
                "Annual PIP status and results report (all active PIPs)",
                "September 30",
                "PIP lead",
                "State Medicaid agency and its EQRO",
            ],
            ["Quarterly PIP progress summary", "30 days after quarter end", "PIP lead", "QIC"],
            [
                "Under- and over-utilization report (section 6)",
                "45 days after quarter end",
                "UM Analytics",
                "UM Committee and QIC",
            ],
            [
                "EPSDT outreach results",
                "Monthly, by the 20th",
                "EPSDT outreach supervisor",
                "QI Director",
            ],
        ],
        [60, 36, 34, 45],
    )

    h1(pdf, "5 EPSDT Outreach")
    h2(pdf, "5.1 New member informing")
    para(
        pdf,
        "Within 30 days after enrollment, every household with a member under 21 receives the "
        "welcome packet with the EPSDT insert and a welcome call. Both explain, in plain language, "
        "the value of preventive care, the EPSDT services available and how to get them, that the "
        "services are free to the member, and that Juniper will help with scheduling and "
        "transportation (see 42 CFR 441.56(a)(2)). Materials are offered in large print and braille, "
        "calls use TTY or relay for members who are deaf, and interpreters are used for families "
        "who do not speak English. Families that have not used EPSDT services in the past year "
        "receive the insert again each year.",
    )

    h2(pdf, "5.2 Outreach to members on the gap list")
    para(
        pdf,
        "For each member on the gap list, the outreach unit makes at least three attempts within "
        "45 days of the member appearing on the list, using at least two different methods. Calls "
        "are placed on different days and at different times of day. An attempt counts only if "
        "it is logged in the care management system with the date, method and result. When a "
        "parent or guardian is reached, staff offer to book the visit on the call. After three "
        "attempts without contact, the member is placed on the PCP gap report sent to the "
        "assigned primary care office. A family that declines a screening is recorded as "
        "declined and is not called again until the next due date.",
    )

    h2(pdf, "5.3 Scheduling and transportation")
    para(
        pdf,
        "At every contact staff offer help with scheduling and with transportation to the visit, "
        "consistent with 42 CFR 441.62. Transportation requests go to the plan's NEMT desk the "
        "same day.",
    )

    h2(pdf, "5.4 Follow-up after a screening")
    para(
        pdf,
        "When a screening identifies a need for diagnosis or treatment, care coordination opens a "
        "referral tracking task. Juniper's internal target is that treatment starts within "
        "60 days of the screening request; cases still open at 120 days are escalated to the "
        "QI Director. The target never extends past the federal outer limit of 6 months after the "
        "request for screening in 42 CFR 441.56(e). Requests for services found necessary at a "
        "screening are reviewed under the EPSDT standard even when the service is not otherwise "
        "a covered benefit.",
    )

    h1(pdf, "6 Utilization Monitoring")
    para(
        pdf,
        "UM Analytics produces a quarterly report to detect both under- and over-utilization, as "
        "42 CFR 438.330(b)(3) requires. Indicators include well-child and dental visit rates, "
        "emergency department visits per 1,000 members, inpatient readmissions, and high-volume "
        "imaging. Results outside the control limits are referred to the UM Committee and, where a "
        "quality concern is found, to the QIC.",
    )

    h1(pdf, "7 Roles and Responsibilities")
    items(
        pdf,
        [
            ("-", "QI Director: owns this procedure and signs all State PIP submissions."),
            ("-", "PIP lead: runs the project, maintains the charter and prepares reports."),
            ("-", "Quality Analytics: builds indicators, the gap list, and measure rates."),
            ("-", "EPSDT outreach supervisor: assigns and audits outreach attempts."),
            ("-", "QIC: selects topics, approves charters, and decides when a PIP closes."),
        ],
    )

    h1(pdf, "8 Related Documents")
    para(
        pdf,
        "42 CFR 438.330; 42 CFR 441.56; 42 CFR 441.62; State Medicaid managed care contract, "
        "quality section; QM-1900 Quality Program Description.",
    )

    h1(pdf, "9 Revision History")
    para(
        pdf,
        "v1 01/2024 new procedure. v2 01/2025 added section 6. v3 01/2026 added the 45-day window "
        "and two-method rule in section 5.2 and the reporting calendar table in section 4.4.",
    )

    pdf.output(OUT)


if __name__ == "__main__":
    build()
