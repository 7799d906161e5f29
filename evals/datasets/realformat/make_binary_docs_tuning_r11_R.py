# Round r11, author R, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r11_R.py
"""Generate docs/PRV-2010-privacy-complaints-and-workforce-sanctions.pdf (deterministic).

Run with /work/main/.venv/bin/python make_docs.py. Uses fpdf2, Helvetica core font,
latin-1 text only, fixed creation date, so the output is byte-identical run to run.
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
import datetime
import os

from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(
    HERE, "docs", "tuning", "PRV-2010-privacy-complaints-and-workforce-sanctions.pdf"
)

PLAN = "Cobalt Bay Example Health Plan (synthetic)"
TITLE = "PRV-2010 Privacy Complaints and Workforce Sanctions"

# Body: list of blocks. ("h1", text) numbered section heading; ("h2", text) subsection;
# ("p", text) paragraph; ("ul", [items]) bulleted list; ("table", rows) table.
BODY = [
    ("h1", "1 Purpose"),
    (
        "p",
        "This procedure describes how the Cobalt Bay Privacy Office takes in a complaint about the "
        "handling of protected health information (PHI), investigates it, decides and applies any "
        "workforce sanction, mitigates harm, and documents the outcome. It carries out the "
        "administrative requirements of 45 CFR 164.530(a), (d), (e), (f), (g), (h) and (j) for all "
        "Cobalt Bay lines of business.",
    ),
    ("h1", "2 Scope"),
    (
        "p",
        "This procedure applies to every member of the Cobalt Bay workforce: employees, temporary "
        "and agency staff, interns, volunteers, and contractors who work under the plan's direct "
        "control, in the Medicare Advantage, Medicaid managed care and commercial lines of business.",
    ),
    (
        "p",
        "Complaints about a business associate are taken and investigated under this procedure. "
        "Discipline of the business associate's own staff belongs to the business associate under "
        "its business associate agreement, but the plan's duty to mitigate (see section 7) still "
        "applies. Complaints that do not concern privacy (claims payment, benefits, service, or "
        "quality of care) are routed to Member Services and are outside this procedure.",
    ),
    ("h1", "3 Definitions"),
    (
        "p",
        "3.1 Privacy complaint. Any oral or written statement, by a member, a personal "
        "representative, a provider, a workforce member or any other person, that Cobalt Bay or one "
        "of its business associates mishandled PHI or did not follow the plan's privacy policies or "
        'the HIPAA Privacy Rule. The complaint does not have to use the word "complaint".',
    ),
    (
        "p",
        "3.2 Privacy Officer. The Chief Privacy Officer, designated as the plan's privacy official "
        "under 45 CFR 164.530(a)(1)(i).",
    ),
    (
        "p",
        "3.3 Privacy Office. The office named in the Notice of Privacy Practices as the contact "
        "office for complaints under 45 CFR 164.530(a)(1)(ii). Its staff are the Privacy Officer and "
        "the Privacy Analysts.",
    ),
    (
        "p",
        "3.4 Finding. The investigator's conclusion on each allegation: substantiated, "
        "unsubstantiated, or inconclusive.",
    ),
    ("h1", "4 Receiving a Privacy Complaint"),
    ("h2", "4.1 Intake channels"),
    (
        "p",
        "A privacy complaint may reach the plan through any of the following channels, and each of "
        "them must be accepted:",
    ),
    (
        "ul",
        [
            "a call to Member Services, which opens a privacy ticket and routes it to the Privacy Office;",
            "a letter or fax to the Privacy Office at the address printed in the Notice of Privacy Practices;",
            "a secure message sent through the member portal;",
            "the Compliance and Ethics Hotline, which accepts anonymous reports;",
            "a report made in person to any workforce member, who must forward it to the Privacy Office "
            "the same day;",
            "a letter from the HHS Office for Civil Rights telling the plan that a complaint was filed "
            "with the Secretary.",
        ],
    ),
    (
        "p",
        "No one may insist that a complaint be put in writing or on a plan form before it is accepted.",
    ),
    ("h2", "4.2 Logging and acknowledgment"),
    (
        "p",
        "The Privacy Analyst logs every privacy complaint in the Privacy Complaint Register on the day it "
        "is received, or on the next business day if it arrives after hours, and assigns a case "
        "number in the form PC-YYYY-NNNN. The log entry records the date received, the channel, the "
        "complainant, the member or members affected, a short description, and the line of business. "
        "When contact information is available, the analyst acknowledges the complaint to the "
        "complainant and explains that the complainant may also file a complaint with the Secretary "
        "of HHS. Every complaint is logged, including complaints that are later found "
        "unsubstantiated, as 45 CFR 164.530(d)(2) requires.",
    ),
    ("h2", "4.3 Protecting the complainant"),
    (
        "p",
        "No workforce member may intimidate, threaten, coerce, discriminate against, or retaliate "
        "against anyone because that person filed a privacy complaint, exercised a privacy right, "
        "or took part in an investigation (45 CFR 164.530(g)). Prohibited acts include flagging or "
        "restricting the member's account, slowing down the member's claims, authorizations or "
        "appeals, trying to disenroll the member, and changing a workforce complainant's duties, "
        "schedule or performance rating because of the complaint. Cobalt Bay never asks a member to "
        "give up privacy rights, or the right to complain to HHS, as a condition of treatment, "
        "payment, enrollment or eligibility for benefits (45 CFR 164.530(h)). Suspected retaliation "
        "is logged as a new privacy complaint and, if substantiated, is a Level 3 violation (see "
        "section 6.1).",
    ),
    ("h1", "5 Investigation"),
    ("h2", "5.1 Triage"),
    (
        "p",
        "Within 2 business days after logging, the Privacy Analyst assigns each complaint a priority. "
        "Priority A covers PHI that is still being disclosed, PHI held by someone with no right to "
        "it, media attention, and suspected intentional misuse; Priority A cases go to the Privacy "
        "Officer the same day. All other complaints are Priority B. If the facts suggest a breach of "
        "unsecured PHI, the analyst also opens a breach risk assessment under PRV-2030 Breach Risk "
        "Assessment; breach analysis and notification are handled only under PRV-2030, not here.",
    ),
    ("h2", "5.2 Investigation steps"),
    ("p", "The assigned investigator completes these steps and records each one in the case file:"),
    (
        "ul",
        [
            "interviews the complainant, or reviews the written complaint if the complainant is anonymous;",
            "pulls user access audit reports from the claims, utilization management, care management "
            "and member services systems for the members named;",
            "interviews the workforce members involved and their supervisor;",
            "reviews the workforce members' privacy training records and any prior sanctions;",
            "makes a finding on each allegation (see section 3.4) and identifies the root cause;",
            "recommends corrective action, including any sanction level under section 6.1.",
        ],
    ),
    ("h2", "5.3 Investigation timeline"),
    (
        "p",
        "The investigation must be completed, with written findings, within 30 calendar days after "
        "the Privacy Office received the complaint. The Privacy Officer may extend a case once, by up "
        "to 30 more calendar days, and must write the reason in the case file (for example, waiting "
        "for a business associate's audit logs). These are Cobalt Bay internal targets; the Privacy "
        "Rule itself sets no deadline for a covered entity to finish its own complaint investigation.",
    ),
    ("h1", "6 Workforce Sanctions"),
    ("h2", "6.1 Sanction levels"),
    (
        "p",
        "A substantiated violation by a workforce member is assigned one of four levels. The table "
        "gives the usual sanction; section 6.2 lists the factors that can move a case within or "
        "between levels.",
    ),
    (
        "table",
        [
            ["Level", "Conduct and examples", "Usual sanction", "Decided by"],
            [
                "Level 1",
                "Unintentional error, low risk, no pattern. Examples: a misdirected letter or fax "
                "that is retrieved; an unlocked workstation; PHI left at a shared printer.",
                "Documented coaching; privacy refresher module.",
                "Supervisor",
            ],
            [
                "Level 2",
                "Careless handling, or a second Level 1 within 12 months. Examples: discussing a "
                "member's PHI in a public area; emailing PHI outside the plan unencrypted; sharing "
                "a system password.",
                "Written warning; retraining.",
                "Department manager with Privacy Officer concurrence",
            ],
            [
                "Level 3",
                "Deliberate access or disclosure with no business need and no personal gain. "
                "Examples: looking up a relative, neighbor, coworker or public figure out of "
                "curiosity; retaliating against a complainant.",
                "Final written warning; unpaid suspension of up to 5 working days; review of system access.",
                "Sanctions Review Panel",
            ],
            [
                "Level 4",
                "Access or disclosure for personal gain or to harm someone, selling PHI, or any "
                "repeat of a Level 3 violation.",
                "Termination of employment or contract; referral to law enforcement or a licensing board "
                "when Legal advises.",
                "See section 6.4",
            ],
        ],
    ),
    ("h2", "6.2 Factors that adjust the level"),
    ("p", "When choosing the level and the sanction, the decision maker weighs:"),
    (
        "ul",
        [
            "whether the act was intentional;",
            "the amount of PHI involved and how sensitive it is (for example behavioral health, substance "
            "use disorder, HIV or reproductive health information);",
            "actual or likely harm to the member;",
            "sanctions the workforce member received in the previous 24 months;",
            "whether the workforce member reported the problem on his or her own;",
            "whether the workforce member had completed required privacy training.",
        ],
    ),
    (
        "p",
        "Self-reporting within 1 business day of discovering one's own error may lower a Level 2 "
        "violation to Level 1. It never lowers a Level 3 or Level 4 violation.",
    ),
    ("h2", "6.3 When no sanction is applied"),
    ("p", "As 45 CFR 164.530(e)(1) provides, no sanction is applied to a workforce member for:"),
    (
        "ul",
        [
            "a good-faith whistleblower disclosure that meets 45 CFR 164.502(j)(1), made to a health "
            "oversight agency, a public health authority, an accrediting organization, or the workforce "
            "member's own attorney;",
            "a disclosure to law enforcement by a workforce member who is a crime victim, within the "
            "limits of 45 CFR 164.502(j)(2);",
            "filing a complaint with the Secretary of HHS, testifying, assisting or taking part in an "
            "investigation, compliance review, proceeding or hearing, or opposing an act the person in "
            "good faith believes is unlawful under HIPAA (45 CFR 164.530(g)(2) and 160.316).",
        ],
    ),
    ("p", "Cobalt Bay also does not sanction good-faith internal reports of a privacy concern."),
    ("h2", "6.4 Who decides, and how fast"),
    (
        "p",
        "The Sanctions Review Panel is made up of the Privacy Officer (chair), an HR Business Partner, "
        "and the director of the workforce member's department. The panel, or the supervisor or "
        "manager for Levels 1 and 2, records the sanction decision within 10 business days after the "
        "findings are final. Only the Chief Privacy Officer and the HR Director, acting jointly, may "
        "approve a Level 4 termination; Legal is consulted before the decision is communicated. For "
        "contractors and agency staff, the contract manager notifies the staffing vendor and has "
        "system access removed. A workforce member who disputes a sanction uses HR-410 Corrective "
        "Action, not the Privacy Office.",
    ),
    ("h1", "7 Mitigation"),
    (
        "p",
        "Mitigation starts as soon as a harmful effect is known and does not wait for final findings. "
        "For each substantiated complaint the investigator records which of the following steps were "
        "taken, or why a step was not practicable (45 CFR 164.530(f)):",
    ),
    (
        "ul",
        [
            "getting misdirected PHI back, or getting the recipient's written statement that it was "
            "destroyed and not used or passed on;",
            "stopping any ongoing disclosure, for example by correcting a mailing address or suspending a "
            "user's system access;",
            "fixing the letter template, system setting or workflow that caused the error;",
            "contacting the affected member to explain what happened and what the plan has done;",
            "requiring corrective action from a business associate under its business associate agreement.",
        ],
    ),
    ("h1", "8 Closing and Documenting the Outcome"),
    ("h2", "8.1 Closure letter"),
    (
        "p",
        "The Privacy Analyst sends the complainant a closure letter within 10 business days after the "
        "sanction decision, or after the findings when no sanction is involved. The letter states the "
        "finding, describes in general terms what the plan did, gives the Privacy Office's contact "
        "information, and repeats that the complainant may file a complaint with the Secretary of HHS. "
        "The letter never names the workforce member involved or the sanction applied.",
    ),
    ("h2", "8.2 Case file contents"),
    ("p", "The closed case file must hold:"),
    (
        "ul",
        [
            "the complaint and the intake register entry;",
            "investigation notes, audit report extracts and interview summaries;",
            "the findings and root cause;",
            "the sanction decision, with the workforce member's signed acknowledgment;",
            "the mitigation record (section 7);",
            "the closure letter.",
        ],
    ),
    ("h2", "8.3 Retention"),
    (
        "p",
        "Closed case files, the Privacy Complaint Register and sanction records are kept in the Privacy "
        "Office records repository for six years from the date they were created or the date they "
        "were last in effect, whichever is later, as 45 CFR 164.530(j)(2) requires. A legal hold "
        "suspends destruction until Legal releases it.",
    ),
    ("h2", "8.4 Reporting to the Compliance Committee"),
    (
        "p",
        "Each quarter the Privacy Officer reports to the Compliance Committee the number of privacy "
        "complaints by channel and line of business, the findings, sanctions applied by level, and "
        "any case still open beyond the timeline in section 5.3.",
    ),
    ("h1", "9 References"),
    (
        "ul",
        [
            "45 CFR 164.530 Administrative requirements; 45 CFR 164.502(j); 45 CFR 160.316",
            "PRV-2030 Breach Risk Assessment",
            "HR-410 Corrective Action",
            "Cobalt Bay Notice of Privacy Practices",
        ],
    ),
]


class PolicyPDF(FPDF):
    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, PLAN, new_x="LMARGIN", new_y="NEXT", align="L")
        self.cell(
            0,
            4,
            TITLE + "  |  Version 3.1  |  Effective 2026-07-01",
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, "Internal use only. Printed copies are uncontrolled.", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def build():
    pdf = PolicyPDF(format="Letter", unit="mm")
    pdf.set_creation_date(datetime.datetime(2026, 7, 1, 9, 0, 0, tzinfo=datetime.UTC))
    pdf.set_title(TITLE)
    pdf.set_author("Cobalt Bay Privacy Office (synthetic)")
    pdf.set_subject("Privacy complaint intake, investigation, workforce sanctions")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, PLAN + " - Privacy Office Procedure", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        5,
        "Owner: Chief Privacy Officer  |  Approved by: Compliance Committee  |  "
        "Effective: 2026-07-01  |  Lines of business: all",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)

    for kind, content in BODY:
        if kind == "h1":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, content, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "h2":
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, content, new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, content, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "ul":
            pdf.set_font("Helvetica", "", 10)
            for item in content:
                pdf.set_x(pdf.l_margin + 4)
                pdf.cell(4, 5, "-")
                pdf.multi_cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "table":
            pdf.set_font("Helvetica", "", 9)
            with pdf.table(
                col_widths=(16, 70, 50, 40),
                text_align="LEFT",
                line_height=4.5,
                first_row_as_headings=True,
            ) as table:
                for row in content:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(3)
        else:
            raise ValueError(kind)

    pdf.output(OUT)


if __name__ == "__main__":
    build()
    print(OUT)
