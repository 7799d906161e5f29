# Round r10, author N, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r10_N.py
"""Generate docs/UM-1610-medicaid-hearing-and-aid-paid-pending.pdf (deterministic).

Run: /work/main/.venv/bin/python make_docs.py
Helvetica core font, latin-1 text only, fixed creation date.
"""

import datetime
import os

from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning", "UM-1610-medicaid-hearing-and-aid-paid-pending.pdf")

PLAN = "Brookfield Example Health Plan (synthetic)"
TITLE = "UM-1610 Medicaid State Fair Hearing and Aid Paid Pending"
FIXED_DATE = datetime.datetime(2026, 1, 5, 9, 0, 0, tzinfo=datetime.UTC)


class PolicyPDF(FPDF):
    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, PLAN + "  |  Utilization Management Procedure", align="L")
        self.ln(4)
        self.cell(0, 5, "UM-1610  |  Medicaid managed care  |  Effective 01/01/2026", align="L")
        self.ln(4)
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, "Internal use only. Printed copies are uncontrolled.", align="L")
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def keep_with_next(pdf, need=22):
    if pdf.get_y() > pdf.page_break_trigger - need:
        pdf.add_page()


def h1(pdf, text):
    keep_with_next(pdf)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, text)
    pdf.ln(1)


def h2(pdf, text):
    keep_with_next(pdf)
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 10.5)
    pdf.multi_cell(0, 5.5, text)
    pdf.ln(0.5)


def para(pdf, text):
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, text)
    pdf.ln(1.5)


def items(pdf, rows):
    pdf.set_font("Helvetica", "", 10)
    for label, text in rows:
        pdf.set_x(pdf.l_margin + 5)
        pdf.cell(7, 5, label)
        pdf.multi_cell(0, 5, text)
    pdf.ln(1.5)


def table(pdf, head, rows, widths):
    pdf.set_font("Helvetica", "B", 9)
    with pdf.table(
        col_widths=widths, text_align="LEFT", line_height=4.6, first_row_as_headings=True
    ) as t:
        r = t.row()
        for c in head:
            r.cell(c)
        pdf.set_font("Helvetica", "", 9)
        for row in rows:
            r = t.row()
            for c in row:
                r.cell(c)
    pdf.ln(2)


def build():
    pdf = PolicyPDF(format="Letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(TITLE)
    pdf.set_author(PLAN)
    pdf.set_subject("Medicaid State fair hearing, continued benefits and recovery")
    pdf.set_creator("make_docs.py")
    pdf.set_producer("make_docs.py")
    pdf.alias_nb_pages()
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 7.5, TITLE)
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 9.5)
    pdf.multi_cell(
        0,
        5,
        PLAN + " - Appeals and Grievances / Utilization Management\n"
        "Policy owner: Manager, Medicaid Appeals    Approved by: UM Committee\n"
        "Line of business: Medicaid managed care    Effective: 01/01/2026    "
        "Next review: 01/01/2027",
    )
    pdf.ln(3)

    h1(pdf, "1 Purpose")
    para(
        pdf,
        "This procedure explains how " + PLAN + " (the plan) supports a member who asks "
        "the State for a fair hearing after our appeal resolution upholds an adverse benefit "
        "determination, how we keep the member's benefits in place while the appeal or the "
        "hearing is pending (aid paid pending), and when we may recover what those continued "
        "benefits cost. It restates the federal managed care rules at 42 CFR 438.408(f), "
        "438.420 and 438.424 for day-to-day use and adds the plan's own work steps.",
    )

    h1(pdf, "2 Scope")
    para(
        pdf,
        "This procedure applies to Medicaid managed care members and to the Medicaid "
        "Appeals unit, UM nurses, medical directors, Member Services, Claims and Finance. It "
        "does not cover grievances, and it does not cover eligibility decisions made by the "
        "State agency itself; a member who disputes an eligibility decision asks the State "
        "for a hearing directly, and the plan takes no action on that request.",
    )

    h1(pdf, "3 Definitions")
    items(
        pdf,
        [
            (
                "3.1",
                "Adverse benefit determination: a decision described in 42 CFR 438.400(b), for "
                "example a denial or limited authorization of a requested service, or a "
                "reduction, suspension or termination of a service already authorized.",
            ),
            (
                "3.2",
                "Appeal resolution notice: the written notice we send when we decide a member's "
                "appeal, under 42 CFR 438.408(d) and (e).",
            ),
            (
                "3.3",
                "Aid paid pending (APP): the plan's name for benefits continued under 42 CFR "
                "438.420 while a plan appeal or a State fair hearing is pending.",
            ),
            (
                "3.4",
                "Fair Hearing Coordinator (FHC): the appeals coordinator assigned to a State "
                "fair hearing case.",
            ),
        ],
    )

    h1(pdf, "4 Procedure")
    h2(pdf, "4.1 When a member may ask for a State fair hearing")
    para(
        pdf,
        "A member may ask for a State fair hearing only after receiving our notice that "
        "the appeal upheld the adverse benefit determination, in whole or in part. If we did "
        "not meet the notice and timing requirements of 42 CFR 438.408, the member is deemed "
        "to have exhausted our appeal process and may go directly to a State fair hearing. "
        "Staff never tell a member that a hearing is unavailable because our own appeal file "
        "is incomplete or late. If the State offers an external medical review, it is the "
        "member's choice, it is not a step the member must take before the hearing, and it "
        "does not extend any hearing deadline or interrupt continued benefits.",
    )

    h2(pdf, "4.2 Deadline for the member's hearing request")
    para(
        pdf,
        "The member must ask for the State fair hearing no later than 120 calendar days "
        "from the date of our appeal resolution notice. The notice states that date. The "
        "State hearing office, not the plan, decides whether a request is timely; when a "
        "member calls after the deadline, Member Services gives the hearing office's contact "
        "information and does not tell the member the request will be refused.",
    )

    h2(pdf, "4.3 Plan steps when the State reports a hearing request")
    para(
        pdf,
        "When the State hearing office tells us that a member has asked for a hearing, "
        "the FHC must:",
    )
    items(
        pdf,
        [
            (
                "a)",
                "open a State hearing case, linked to the plan appeal, in the appeals system "
                "within one business day;",
            ),
            (
                "b)",
                "check whether the member also asked for continued benefits and, if so, send "
                "the case the same day to the UM nurse lead for section 4.5;",
            ),
            (
                "c)",
                "assemble the hearing packet: the adverse benefit determination notice, the "
                "appeal resolution notice, the clinical criteria applied, the reviewing "
                "physician's rationale and every record the member or provider submitted;",
            ),
            (
                "d)",
                "send the packet to the hearing office and to the member or representative at "
                "least 5 business days before the hearing, or earlier if the hearing office "
                "sets an earlier date;",
            ),
            (
                "e)",
                "name the plan witness, normally the medical director who decided the appeal "
                "or a physician reviewer in the same specialty; and",
            ),
            ("f)", "record the hearing date, the decision and the date we received it."),
        ],
    )

    h2(pdf, "4.4 Parties to the hearing")
    para(
        pdf,
        "The parties to the State fair hearing are the plan, the member and the "
        "member's representative, or the representative of a deceased member's estate. A "
        "treating provider takes part as a party only when acting as the member's authorized "
        "representative; otherwise the provider may be a witness.",
    )

    h2(pdf, "4.5 Continued benefits (aid paid pending)")
    para(
        pdf,
        "We must continue the member's benefits while the plan appeal or the State fair "
        "hearing is pending when every one of these conditions is met:",
    )
    items(
        pdf,
        [
            ("a)", "the member filed the plan appeal on time;"),
            (
                "b)",
                "the appeal is about the termination, suspension or reduction of services that "
                "were previously authorized;",
            ),
            ("c)", "an authorized provider ordered the services;"),
            ("d)", "the period covered by the original authorization has not expired; and"),
            (
                "e)",
                "the member asked for continued benefits on time, as timely filing is defined "
                "in 42 CFR 438.420(a).",
            ),
        ],
    )
    para(
        pdf,
        "Member Services reads the continuation deadline printed on the member's notice "
        "and does not work it out by hand. The UM nurse lead loads the continued "
        "authorization at the same amount, frequency and provider as the original one so "
        "that care does not stop. A denial of a new request for a service that was never "
        "authorized does not qualify, because there is nothing to continue. The appeal "
        "resolution notice must tell the member how to ask for continued benefits and that "
        "the member may have to pay their cost if the final decision goes against the "
        "member (see section 4.8).",
    )

    h2(pdf, "4.6 How long continued benefits last")
    para(
        pdf,
        "Once we continue benefits at the member's request, they stay in place until "
        "the earliest of these events:",
    )
    items(
        pdf,
        [
            ("a)", "the member withdraws the plan appeal or the request for a State fair hearing;"),
            (
                "b)",
                "the member does not ask for a State fair hearing and continued benefits within "
                "the period set by 42 CFR 438.420(c)(2) after we send an appeal resolution "
                "that goes against the member; or",
            ),
            ("c)", "a State fair hearing officer issues a decision adverse to the member."),
        ],
    )

    h2(pdf, "4.7 When the hearing officer reverses us")
    para(
        pdf,
        "The FHC sends the hearing decision to the UM nurse lead and to Claims on the "
        "business day it arrives. If the hearing officer reverses a decision to deny, limit "
        "or delay services that were not furnished while the appeal was pending, we must "
        "authorize or provide the services promptly and as quickly as the member's health "
        "condition requires, and no later than 72 hours from the date we receive notice of "
        "the reversal. If the member did receive the disputed services while the appeal was "
        "pending, the plan or the State pays for them in accordance with State policy and "
        "regulations. Table 1 summarizes the outcomes.",
    )
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.multi_cell(0, 5, "Table 1. Hearing outcome and plan action")
    pdf.ln(1)
    table(
        pdf,
        ["Hearing outcome", "Services during the appeal", "Plan action", "Standard"],
        [
            [
                "Reversed",
                "Not furnished",
                "Authorize or provide the services",
                "Promptly, and no later than 72 hours from receipt of the reversal notice",
            ],
            [
                "Reversed",
                "Furnished",
                "Pay for the services furnished",
                "In accordance with State policy and regulations",
            ],
            [
                "Upheld (adverse to member)",
                "Continued as APP",
                "End APP; Compliance reviews recovery (section 4.8)",
                "State's usual recovery policy and our Medicaid contract",
            ],
            [
                "Withdrawn by member",
                "Continued as APP",
                "End APP on the withdrawal date",
                "Section 4.6 a)",
            ],
        ],
        (30, 34, 50, 56),
    )

    h2(pdf, "4.8 Recovering the cost of continued benefits")
    para(
        pdf,
        "If the final resolution of the appeal or the State fair hearing goes against "
        "the member, we may recover the cost of the services furnished while the appeal and "
        "hearing were pending, but only to the extent they were furnished solely because of "
        "the continuation requirement in section 4.5. Any recovery must follow the State's "
        "usual recovery policy under 42 CFR 431.230(b) and the terms of our Medicaid "
        "contract. Plan rules: Finance may not open a recovery without written approval from "
        "the Compliance Officer; services are never withheld or reduced to collect the "
        "amount; and network providers may not bill the member for APP services, because "
        "the member's protection from provider billing under 42 CFR 438.106 still applies. "
        "If the hearing reverses us, no recovery is made.",
    )

    h1(pdf, "5 Roles")
    items(
        pdf,
        [
            ("5.1", "Fair Hearing Coordinator: case set-up, hearing packet, decision tracking."),
            ("5.2", "UM nurse lead: loads and ends APP authorizations; effectuates reversals."),
            ("5.3", "Medical director: plan witness; reviews new clinical information."),
            ("5.4", "Compliance Officer: approves or declines any APP recovery."),
        ],
    )

    h1(pdf, "6 References")
    para(
        pdf,
        "42 CFR 431.220, 431.230 and 431.231; 42 CFR 438.106; 42 CFR 438.400, 438.408, "
        "438.420 and 438.424; the plan's Medicaid managed care contract with the State; "
        "UM-1600 Medicaid Appeals (plan appeal intake and resolution).",
    )

    h1(pdf, "7 Revision history")
    para(
        pdf,
        "01/01/2026 - Annual review; Table 1 added; recovery approval moved to the "
        "Compliance Officer.\n01/01/2025 - First version.",
    )

    pdf.output(OUT)


if __name__ == "__main__":
    build()
