#!/usr/bin/env python3
"""Deterministic generator for round r9 author J plan policy PDF.

Round r9, author J (Mapleton Example Health Plan, synthetic). Writes docs/tuning/UM-1210-integrated-dsnp-appeals-desk.pdf (fpdf2, Helvetica, latin-1 only).
Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r9_J.py
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
import datetime
import os

from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning", "UM-1210-integrated-dsnp-appeals-desk.pdf")

PLAN = "Mapleton Example Health Plan (synthetic)"
POLICY_NO = "UM-1210"
POLICY_TITLE = "Integrated D-SNP Appeals Desk Procedures"
FIXED_DATE = datetime.datetime(2026, 1, 1, 0, 0, 0, tzinfo=datetime.UTC)

# Content: a list of blocks. ("h1", text) numbered section heading; ("h2", text) subsection;
# ("p", text) paragraph; ("lead", text) list lead-in; ("ol", [items]) numbered list;
# ("table", header, rows).
CONTENT = [
    ("h1", "1 Purpose"),
    (
        "p",
        "This procedure tells the Appeals Desk how to take in, route, decide and close integrated "
        "grievances and integrated reconsiderations for members of Mapleton Together, the fully "
        "integrated dual eligible special needs plan offered by Mapleton Example Health Plan "
        "(synthetic). It carries out 42 CFR 422.629 through 422.634. Where this procedure sets a "
        "requirement or target that is tighter than the regulation, the requirement is marked "
        '"Plan rule". A plan rule never replaces the regulatory limit, which always still applies.',
    ),
    ("h1", "2 Scope"),
    (
        "p",
        "This procedure applies to Appeals Desk intake coordinators, appeals nurses, the Appeals Desk "
        "supervisor and physician reviewers. It covers the Medicare and Medicaid benefits that "
        "Mapleton Together administers for its members. It does not cover Part D drug coverage "
        "requests or Part D appeals, which go to the Pharmacy Appeals Unit, and it does not cover "
        "members of Mapleton's other Medicare Advantage products, whose grievances and appeals follow "
        "the standard Medicare Advantage procedures.",
    ),
    ("h1", "3 Definitions"),
    (
        "p",
        "Applicable integrated plan: a dual eligible special needs plan with exclusively aligned "
        "enrollment together with its affiliated Medicaid managed care plan, as defined in 42 CFR "
        "422.561. For Mapleton this is Mapleton Together.",
    ),
    (
        "p",
        "Integrated grievance: a complaint about any matter other than an integrated organization "
        "determination, handled under 42 CFR 422.630.",
    ),
    (
        "p",
        "Integrated reconsideration: the single plan-level appeal of an adverse integrated "
        "organization determination, handled under 42 CFR 422.633.",
    ),
    (
        "p",
        "Desk day (plan rule): 8:00 a.m. to 8:00 p.m. local time, seven days a week, holidays "
        "included.",
    ),
    (
        "p",
        "Receipt time: the date and time a request first reaches any Mapleton department, phone "
        "line, fax number or portal, not the time it reaches the Appeals Desk. Every clock in this "
        "procedure starts at receipt time.",
    ),
    ("h1", "4 Procedure"),
    ("h2", "4.1 Intake and triage"),
    (
        "p",
        "Plan rule: the intake coordinator logs every request in the appeals tracking system within "
        "60 minutes of receipt time. A department other than the Appeals Desk that receives a request "
        "forwards it to the Appeals Desk the same desk day (plan rule). An oral request to dispute a "
        "decision is logged as an integrated reconsideration, as 42 CFR 422.629(f) requires.",
    ),
    ("lead", "For every request, the intake coordinator records the following:"),
    (
        "ol",
        [
            "The receipt time and the channel (phone, fax, mail, portal or in person).",
            "Who is filing: the member, an appointed representative, or a provider acting for the member; "
            "for a Medicaid benefit, whether the provider has the member's written consent.",
            "Whether the request is a grievance or a reconsideration, and whether the requester asked for "
            "an expedited review or a physician supports one.",
            "The service or item at issue and whether it is a Medicare benefit, a Medicaid benefit or both.",
            "Whether the member asked for benefits to continue during the appeal.",
            "The member's preferred language and any auxiliary aid or alternate format the member needs.",
        ],
    ),
    (
        "p",
        "The coordinator offers language help through the plan's contracted interpreter line and TTY "
        "711, and sends the written acknowledgment required by 42 CFR 422.629(g). Part D requests "
        "are transferred to the Pharmacy Appeals Unit by warm transfer and logged as transferred.",
    ),
    ("h2", "4.2 Expedited requests"),
    (
        "p",
        "A request for an expedited review is handled as expedited from the moment it is logged until "
        "a decision is made not to expedite it. Plan rule: during the desk day an appeals nurse calls "
        "the requester back within 1 hour of receipt time; a request received outside the desk day "
        "goes to the on-call appeals nurse, who calls back within 2 hours of receipt time.",
    ),
    (
        "p",
        "When a physician states that the standard timeframe could seriously jeopardize the member's "
        "life, health or ability to regain maximum function, the nurse expedites the request; the "
        "physician's statement is not second-guessed. For any other request the nurse may recommend "
        "for or against expediting, but only a physician reviewer may decide not to expedite (plan "
        "rule). When a request is not expedited, the nurse tries to reach the member by phone the "
        "same desk day, the written notice goes out within 2 calendar days (42 CFR 422.633(c)(3)), "
        "and, if the member objects, the nurse logs an expedited integrated grievance, which must be "
        "answered within 24 hours. Plan rule: expedited integrated grievances are assigned to the "
        "Appeals Desk supervisor, not to the nurse who handled the request.",
    ),
    ("h2", "4.3 Case file and review"),
    (
        "p",
        "On request, the Appeals Desk sends the member or representative the case file free of charge, "
        "by the member's choice of mail, secure portal or fax. The member may present evidence by "
        "phone, in writing, or in person at the Mapleton member service center; in an expedited case "
        "the nurse tells the member on the first call how much time is available to do so.",
    ),
    (
        "p",
        "A reconsideration of a denial based on lack of medical necessity is decided by a physician "
        "reviewer who took no part in the initial decision and is not the subordinate of anyone who "
        "did. The Appeals Desk assigns the reviewer from the physician reviewer roster kept by the "
        "Medical Director's office. Plan rule: when the reviewer's specialty differs from the treating "
        "physician's, the reviewer documents in the case why his or her expertise fits the service at "
        "issue.",
    ),
    ("h2", "4.4 Timeframes and extensions"),
    (
        "p",
        "The plan targets below are plan rules. The regulatory limits are the outside limits and are "
        "counted from receipt time.",
    ),
    (
        "table",
        ["Request type", "Regulatory limit", "Plan target (plan rule)"],
        [
            ["Expedited integrated grievance", "24 hours", "12 hours"],
            ["Standard integrated grievance", "30 calendar days", "20 calendar days"],
            ["Expedited integrated reconsideration", "72 hours", "48 hours"],
            ["Standard integrated reconsideration", "30 calendar days", "21 calendar days"],
        ],
    ),
    (
        "p",
        "An extension of up to 14 calendar days is taken only where 42 CFR 422.630(e)(2) or 422.633(f) "
        "allows it. Plan rule: the Appeals Desk supervisor must approve any extension the plan takes "
        "on its own, and the Medical Director must also approve any extension of an expedited "
        "reconsideration. The nurse attempts oral notice the same desk day, and the written extension "
        "notice goes out within 2 calendar days. When the member asks for the extension, the nurse "
        "records the member's request and its date in the case.",
    ),
    ("h2", "4.5 Escalation and hand-off"),
    (
        "p",
        "Plan rule: the tracking system flags any open case that has used 75 percent of its regulatory "
        "limit without a decision, and the coordinator escalates a flagged case to the Appeals Desk "
        "supervisor the same desk day. A flagged expedited reconsideration is also escalated to the "
        "Medical Director (plan rule).",
    ),
    (
        "p",
        "When the physician reviewer upholds, in whole or in part, a denial of a Medicare benefit, the "
        "coordinator sends the case file to the independent review entity no later than the end of "
        "the applicable timeframe; for an expedited reconsideration the file goes the same day the "
        "decision is made (plan rule). If a regulatory limit is missed, the supervisor notifies the "
        "Compliance Officer within 1 business day (plan rule), sends the Medicare part of the case to "
        "the independent review entity, and makes sure the member is told that she or he may go "
        "straight to a State fair hearing on any Medicaid benefit at issue.",
    ),
    ("h1", "5 Notices"),
    (
        "p",
        "The Appeals Desk uses the plan's integrated notice templates: MEHP-IG-02 for grievance "
        "resolutions and MEHP-IR-04 for reconsideration decisions (synthetic template names). An "
        "adverse reconsideration notice states the reasons in plain language, tells the member that a "
        "Medicare benefit has been sent to the independent review entity automatically, explains the "
        "State fair hearing right for a Medicaid benefit and the right to have benefits continue, and "
        "tells the member the case file is free. Plan rule: before an adverse notice is mailed, a "
        "second appeals nurse checks it against the case file and initials the check in the tracking "
        "system. Notices are sent in the member's preferred language or alternate format. Every answer "
        "to a quality-of-care grievance is written and describes the right to complain to the QIO.",
    ),
    ("h1", "6 Quality review"),
    (
        "p",
        "Plan rule: each month the Appeals and Grievances quality lead audits a random sample of closed "
        "integrated cases for timeliness, notice content, reviewer independence and language access. "
        "The timeliness goal is 100 percent within the regulatory limits and 95 percent within the "
        "plan targets in section 4.4. Any case that missed a regulatory limit receives a root-cause "
        "review within 10 business days (plan rule). Audit results are reported to the Utilization "
        "Management Committee each quarter.",
    ),
]


class PolicyPDF(FPDF):
    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, PLAN, new_x="LMARGIN", new_y="TOP", align="L")
        self.cell(0, 5, f"{POLICY_NO} {POLICY_TITLE}", new_x="LMARGIN", new_y="NEXT", align="R")
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(
            0,
            5,
            f"{POLICY_NO} | Effective 01/01/2026 | Internal use only",
            new_x="LMARGIN",
            new_y="TOP",
            align="L",
        )
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def build():
    pdf = PolicyPDF(format="Letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(f"{POLICY_NO} {POLICY_TITLE}")
    pdf.set_author(PLAN)
    pdf.set_subject("Integrated D-SNP grievances and reconsiderations")
    pdf.set_creator("make_docs.py")
    pdf.set_producer("fpdf2")
    pdf.alias_nb_pages()
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, f"{POLICY_NO} {POLICY_TITLE}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        5,
        f"{PLAN} | Line of business: Medicare Advantage D-SNP (Mapleton Together) | "
        "Effective: January 1, 2026 | Owner: Appeals and Grievances",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)

    for block in CONTENT:
        kind = block[0]
        if kind == "h1":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 6, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "h2":
            pdf.ln(1)
            pdf.set_font("Helvetica", "B", 10.5)
            pdf.multi_cell(0, 5.5, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.5)
        elif kind in ("p", "lead"):
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5 if kind == "p" else 0.5)
        elif kind == "ol":
            pdf.set_font("Helvetica", "", 10)
            for i, item in enumerate(block[1], 1):
                pdf.set_x(pdf.l_margin + 5)
                pdf.cell(7, 5, f"{i}.")
                pdf.multi_cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif kind == "table":
            header, rows = block[1], block[2]
            pdf.set_font("Helvetica", "", 9.5)
            with pdf.table(col_widths=(60, 40, 45), text_align="LEFT", line_height=5.5) as table:
                r = table.row()
                for h in header:
                    r.cell(h)
                for row in rows:
                    r = table.row()
                    for c in row:
                        r.cell(c)
            pdf.ln(2)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    pdf.output(OUT)


if __name__ == "__main__":
    build()
    print("wrote", OUT)
