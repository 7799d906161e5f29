# Round r12, author S, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r12_S.py
"""Generate docs/UM-1910-snf-admission-and-continued-stay-review.pdf (deterministic).

Run with /work/main/.venv/bin/python make_docs.py. Helvetica core font, latin-1 text only,
fixed creation date, no random IDs: the output is byte-identical run to run.
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

OUT = (
    Path(__file__).resolve().parent
    / "docs"
    / "tuning"
    / "UM-1910-snf-admission-and-continued-stay-review.pdf"
)
PLAN = "Redwood Falls Example Health Plan (synthetic)"
TITLE = "UM-1910 SNF Admission and Continued Stay Review"

# Each block: ("h1", text) numbered heading, ("h2", text) sub-heading, ("p", text) paragraph,
# ("li", text) list item, ("table", rows) table, ("gap", None)
BLOCKS = [
    ("title", TITLE),
    ("meta", PLAN + " - Utilization Management Procedure"),
    (
        "meta",
        "Line of business: Medicare Advantage (HMO and PPO)   Version 3.0   Effective 01/01/2026",
    ),
    ("meta", "Owner: Director, Utilization Management   Approved by: UM Committee, 12/09/2025"),
    ("gap", None),
    ("h1", "1 Purpose"),
    (
        "p",
        "This procedure tells Redwood Falls utilization management (UM) staff how to review "
        "requests for skilled nursing facility (SNF) care for Medicare Advantage (MA) members: "
        "the admission review, the continued stay (concurrent) reviews that follow, and the "
        "steps for ending skilled coverage and handing the case to Appeals and Grievances.",
    ),
    ("h1", "2 Scope"),
    (
        "p",
        "This procedure applies to every Redwood Falls MA plan and to SNF-level care in a "
        "participating SNF or in a hospital or CAH swing bed. It does not cover custodial or "
        "long-term nursing facility care, hospice care in a facility, or inpatient rehabilitation "
        "facility admissions, which follow their own UM procedures.",
    ),
    ("h1", "3 Definitions"),
    (
        "p",
        "3.1 Qualifying stay: an inpatient hospital or CAH stay of at least 3 consecutive calendar "
        "days, not counting the day of discharge, as described in 42 CFR 409.30(a)(1).",
    ),
    (
        "p",
        "3.2 Skilled service: a service ordered by a physician that needs the skills of licensed "
        "nursing or therapy personnel (42 CFR 409.31(a) and 409.32).",
    ),
    (
        "p",
        "3.3 Last covered day: the final day of SNF care that the plan will pay for, set by the "
        "medical director under section 4.7.",
    ),
    (
        "p",
        "3.4 NOMNC: the Notice of Medicare Non-Coverage (CMS-10123), the standard notice that tells "
        "the member when covered SNF services will end and how to ask the QIO for a fast-track "
        "review.",
    ),
    (
        "p",
        "3.5 DENC: the Detailed Explanation of Non-Coverage (CMS-10124), the notice the plan sends "
        "once the member has asked the QIO for a fast-track review.",
    ),
    ("h1", "4 Procedure"),
    ("h2", "4.1 Coverage criteria the reviewer applies"),
    (
        "p",
        "Redwood Falls reviews SNF care against the Medicare coverage rules in 42 CFR 409.30 through "
        "409.35 and chapter 8 of the Medicare Benefit Policy Manual, as changed only by the plan "
        "rule in section 4.2. Because Medicare has fully established criteria for SNF care, the "
        "plan may not use internal or commercial screening criteria to deny or shorten a stay "
        "(42 CFR 422.101(b)(6)). Screening tools may be used only to flag a case for a closer "
        "look by the nurse or the medical director.",
    ),
    (
        "p",
        "The reviewer confirms, for every review, that the member needs skilled nursing or skilled "
        "rehabilitation on a daily basis (42 CFR 409.34), that the services are skilled under "
        "42 CFR 409.32 and 409.33 rather than personal care, and that, as a practical matter, the "
        "services can be given only on an inpatient basis in an SNF (42 CFR 409.35). Lack of "
        "restoration potential is never by itself a reason to end coverage; skilled maintenance "
        "therapy and skilled nursing to prevent decline are covered (42 CFR 409.32(c)).",
    ),
    ("h2", "4.2 Waiver of the 3-day qualifying stay (plan rule)"),
    (
        "p",
        "Under the option that 42 CFR 422.101(c) gives MA organizations, Redwood Falls waives the "
        "3-day qualifying hospital stay for all of its MA members. A member may be admitted to a "
        "SNF directly from home, from an emergency department visit, from an observation stay, or "
        "after an inpatient stay shorter than 3 days. Because no qualifying stay is required, the "
        "30-day admission window in 42 CFR 409.30(b) is not applied either.",
    ),
    (
        "p",
        "The waiver removes only the prior-stay requirement. For a direct admission, the admitting "
        "physician must document that admitting the member straight to a SNF is medically "
        "appropriate (42 CFR 409.31(b)(2)(iii)), and every other level of care requirement in "
        "section 4.1 still applies. Covered days remain limited to 100 per benefit period, the "
        "same as Original Medicare (42 CFR 409.61(b)). Member cost sharing is set in the "
        "Evidence of Coverage and is outside this procedure.",
    ),
    ("h2", "4.3 Documentation for the admission review"),
    ("p", "The SNF or the discharging hospital must send the following with an admission request:"),
    (
        "li",
        "a) the physician order for SNF admission and, for a direct admission, the physician's "
        "note stating why SNF care is medically appropriate;",
    ),
    (
        "li",
        "b) the hospital history and physical and discharge summary, or, when there was no "
        "hospital stay, the most recent office, emergency department or observation note;",
    ),
    (
        "li",
        "c) the skilled services requested with their frequency, including nursing orders and "
        "therapy evaluations with goals and planned days per week;",
    ),
    ("li", "d) the current medication list, marking any intravenous or injectable drugs;"),
    (
        "li",
        "e) prior level of function and current function in mobility and activities of daily "
        "living;",
    ),
    ("li", "f) wound measurements and staging when wound care is the skilled need; and"),
    ("li", "g) the discharge plan, including who will help the member at home."),
    (
        "p",
        "If an item is missing, the UM nurse asks the SNF for it by phone the same day and notes "
        "the request in the case. A missing item is not a reason to deny; the nurse makes one "
        "more outreach attempt and then sends the case to the medical director with what is on "
        "file.",
    ),
    ("h2", "4.4 Admission decision"),
    (
        "p",
        "The UM nurse reviews the request against section 4.1 and may approve it. Expedited "
        "requests are decided within the 72-hour limit of 42 CFR 422.572(a); standard requests "
        "follow the timeframes in UM-1200 Organization Determinations. Plan target: a request from "
        "a hospital discharge planner that arrives by 2:00 p.m. Pacific on a business day is "
        "decided the same day. An approved admission is authorized for the first 7 days of the "
        "stay; further days are authorized through the reviews in section 4.5.",
    ),
    ("h2", "4.5 Continued stay review cadence"),
    (
        "p",
        "Concurrent reviews are scheduled from the admission date as shown in Table 1. The SNF "
        "sends updated nursing notes, therapy progress notes and the current plan of care one "
        "business day before each review.",
    ),
    (
        "table",
        [
            ["Review point", "When it is done", "Who reviews", "Days authorized"],
            [
                "Admission review",
                "Before admission (next business day for weekend or holiday admissions)",
                "UM nurse",
                "First 7 days",
            ],
            ["First continued stay review", "Day 6 of the stay", "UM nurse", "Up to 7 more days"],
            [
                "Routine continued stay review",
                "Every 7 calendar days after the first review",
                "UM nurse",
                "Up to 7 more days",
            ],
            [
                "Therapy plateau, refusal or change in condition",
                "Within 2 business days after the SNF reports it",
                "UM nurse, then medical director if coverage may end",
                "Per review",
            ],
            [
                "Long stay check",
                "Day 30 and every 30 days after",
                "Medical director",
                "No change; oversight only",
            ],
        ],
    ),
    ("p", "Table 1. Review intervals for SNF stays."),
    ("h2", "4.6 Who may deny or end coverage"),
    (
        "p",
        "UM nurses may approve admissions and continued stays. Only a Redwood Falls medical director "
        "(a physician with an unrestricted license) may deny an admission, approve fewer days than "
        "requested, or end skilled coverage, consistent with 42 CFR 422.566(d). Before deciding "
        "against the request, the medical director offers the SNF attending physician a "
        "peer-to-peer discussion. Written notice of a denied admission is sent as described in "
        "UM-1200.",
    ),
    ("h2", "4.7 Ending skilled coverage and NOMNC hand-off"),
    (
        "p",
        "When the medical director decides that skilled care is no longer needed, the UM nurse "
        "sets the last covered day and tells the SNF in writing through the provider portal. Plan "
        "target: the SNF is told at least 3 calendar days before the last covered day.",
    ),
    (
        "p",
        "The SNF delivers the NOMNC to the member or representative, and obtains a signature, no "
        "later than 2 calendar days before covered SNF services end (42 CFR 422.624(b)). The SNF "
        "uploads the signed NOMNC to the portal within 1 business day. The UM nurse checks the "
        "delivery date; if the notice was late, the last covered day moves so that the member has "
        "the full 2 days.",
    ),
    (
        "p",
        "If the member asks the QIO for a fast-track review, the QIO tells the plan. The UM nurse "
        "then sends the DENC to the member and sends the DENC, the NOMNC and the medical records "
        "to the QIO by close of business the same day (42 CFR 422.626(e)). The case is handed to "
        "Appeals and Grievances under AG-2300 the same day.",
    ),
    ("h1", "5 References"),
    (
        "p",
        "42 CFR 409.20; 42 CFR 409.30 to 409.35; 42 CFR 409.61; 42 CFR 422.101(b)(6) and (c); "
        "42 CFR 422.566(d); 42 CFR 422.572; 42 CFR 422.624; 42 CFR 422.626; Medicare Benefit Policy "
        "Manual, chapter 8; UM-1200 Organization Determinations; AG-2300 Fast-Track Appeals.",
    ),
    ("h1", "6 Revision history"),
    (
        "p",
        "3.0 (01/01/2026): added section 4.1 rule on screening criteria; day 6 first review. "
        "2.1 (03/15/2025): NOMNC portal upload. 2.0 (01/01/2024): 3-day stay waiver extended to "
        "all MA plans.",
    ),
]


class PolicyPDF(FPDF):
    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, PLAN, new_x="LMARGIN", new_y="NEXT")
        self.cell(
            0, 5, TITLE + "  |  Medicare Advantage  |  Version 3.0", new_x="LMARGIN", new_y="NEXT"
        )
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, "Internal use only. Printed copies are uncontrolled.", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def build():
    pdf = PolicyPDF(format="Letter")
    pdf.set_creation_date(datetime(2025, 12, 10, 9, 0, 0, tzinfo=UTC))
    pdf.set_title(TITLE)
    pdf.set_author(PLAN)
    pdf.set_creator("Redwood Falls policy library")
    pdf.set_producer("fpdf2")
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    w = pdf.w - pdf.l_margin - pdf.r_margin
    for kind, val in BLOCKS:
        if kind == "title":
            pdf.set_font("Helvetica", "B", 15)
            pdf.multi_cell(w, 8, val, new_x="LMARGIN", new_y="NEXT")
        elif kind == "meta":
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(w, 5, val, new_x="LMARGIN", new_y="NEXT")
        elif kind == "gap":
            pdf.ln(3)
        elif kind == "h1":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(w, 7, val, new_x="LMARGIN", new_y="NEXT")
        elif kind == "h2":
            pdf.ln(1)
            pdf.set_font("Helvetica", "B", 10.5)
            pdf.multi_cell(w, 6, val, new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(w, 5, val, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif kind == "li":
            pdf.set_font("Helvetica", "", 10)
            pdf.set_x(pdf.l_margin + 6)
            pdf.multi_cell(w - 6, 5, val, new_x="LMARGIN", new_y="NEXT")
        elif kind == "table":
            pdf.set_font("Helvetica", "", 9)
            with pdf.table(
                col_widths=(40, 62, 44, 34),
                line_height=5,
                text_align="LEFT",
                first_row_as_headings=True,
            ) as table:
                for row in val:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(1)
        for ch in str(val):
            ch.encode("latin-1")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(OUT))


if __name__ == "__main__":
    build()
