# Round r10, author O, written blind to the code; writes into docs/tuning/.
# Run: .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r10_O.py
"""Generate docs/UM-1710-emergency-and-post-stabilization-review.pdf (deterministic).

Run with /work/main/.venv/bin/python make_docs.py. Helvetica core font, latin-1 text only,
fixed creation date, so two runs give byte-identical output.
"""

# ruff: noqa: E501  (document text keeps its sentences whole, as the author wrote them)
import datetime
import os

from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning", "UM-1710-emergency-and-post-stabilization-review.pdf")

PLAN = "Willowbrook Example Health Plan (synthetic)"
POLICY = "UM-1710 Emergency and Post-Stabilization Review"
FIXED_DATE = datetime.datetime(2025, 12, 15, 9, 0, 0, tzinfo=datetime.UTC)


class PolicyPDF(FPDF):
    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 4, PLAN + "  |  Utilization Management Policy", new_x="LMARGIN", new_y="NEXT")
        self.cell(
            0, 4, POLICY + "  |  Version 3  |  Effective 01/01/2026", new_x="LMARGIN", new_y="NEXT"
        )
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 4, "Internal use only - printed copies are uncontrolled", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def h1(pdf, text):
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def h2(pdf, text):
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def para(pdf, text):
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def items(pdf, entries):
    pdf.set_font("Helvetica", "", 10)
    for label, text in entries:
        pdf.set_x(pdf.l_margin + 5)
        pdf.cell(7, 5, label)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def build():
    pdf = PolicyPDF(format="Letter")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(POLICY)
    pdf.set_author(PLAN)
    pdf.set_subject("Utilization Management policy")
    pdf.alias_nb_pages()
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, POLICY, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in [
        "Plan: " + PLAN,
        "Policy number: UM-1710    Version: 3    Effective date: January 1, 2026",
        "Lines of business: Commercial (fully insured group, individual, and self-funded plans administered by Willowbrook)",
        "Policy owner: Director, UM Clinical Operations    Approved by: Utilization Management Committee",
        "Replaces: UM-1710 version 2",
    ]:
        pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    h1(pdf, "1 Purpose")
    para(
        pdf,
        "This policy tells Willowbrook Utilization Management (UM) staff how to handle emergency claims that "
        "Claims routes to UM, calls from a hospital that wants to keep treating a member after stabilization "
        "(post-stabilization requests), and the notice-and-consent forms a nonparticipating provider sends when "
        "it wants to bill the member above in-network cost sharing. It applies 45 CFR 149.110, 149.410 and "
        "149.420 and the parity rules at 45 CFR 146.136 and 146.137.",
    )

    h1(pdf, "2 Scope")
    h2(pdf, "2.1 In scope")
    para(
        pdf,
        "All Willowbrook commercial products (fully insured group, individual, and self-funded group plans "
        "for which Willowbrook performs UM), for medical and behavioral health conditions alike.",
    )
    h2(pdf, "2.2 Out of scope")
    para(
        pdf,
        "Medicare Advantage and Medicaid products (separate policies apply), ground and air ambulance claims, "
        "and claim pricing. How much Willowbrook pays a nonparticipating provider is set by Claims and Payment "
        "Integrity and is not a UM decision.",
    )

    h1(pdf, "3 Definitions")
    h2(pdf, "3.1 Emergency medical condition")
    para(
        pdf,
        "A condition, physical or behavioral, whose acute symptoms (including severe pain) would lead a prudent "
        "layperson with average knowledge of health and medicine to expect serious harm without immediate care. "
        "See 45 CFR 149.110(c)(1). The test looks at the symptoms the member had, not the diagnosis reached later.",
    )
    h2(pdf, "3.2 Emergency services")
    para(
        pdf,
        "The screening examination, the ancillary services the emergency department routinely uses to evaluate "
        "the member, and the treatment needed to stabilize the member, as described in 45 CFR 149.110(c)(2)(i). "
        "Care furnished by a nonparticipating hospital or provider after stabilization remains an emergency "
        "service until every condition in 45 CFR 149.410(b) is met (see section 5.3).",
    )
    h2(pdf, "3.3 Post-stabilization request")
    para(
        pdf,
        "Any call, fax or portal message from a hospital telling Willowbrook that a stabilized member is being "
        "admitted, placed in observation or kept for further treatment after an emergency visit.",
    )
    h2(pdf, "3.4 Notice-and-consent form")
    para(
        pdf,
        "The written notice and signed consent described in 45 CFR 149.420(c) through (g), by which a member "
        "agrees to be treated by a nonparticipating provider or facility and gives up the balance billing "
        "protections for the services named on the form.",
    )

    h1(pdf, "4 Emergency Claims")
    h2(pdf, "4.1 No authorization requirement")
    para(
        pdf,
        "Emergency services never need prior authorization at Willowbrook, whether the hospital and "
        "physicians are participating or not (45 CFR 149.110(b)(1) and (b)(2)). The claims edit that pends "
        "services for a missing authorization is switched off for emergency department revenue codes and place "
        "of service 23. UM does not ask a hospital to obtain an authorization number for an emergency visit.",
    )
    h2(pdf, "4.2 Prudent layperson review")
    para(
        pdf,
        "When Claims routes an emergency claim to UM, the nurse reviewer reads the chief complaint, triage "
        "notes and presenting symptoms and applies the prudent layperson standard in section 3.1. A final "
        "diagnosis that turned out to be minor does not make the visit non-emergent. If the nurse cannot "
        "confirm that the standard is met, the case goes to a medical director; a nurse may not deny it.",
    )
    h2(pdf, "4.3 Reasons that may never be used")
    para(
        pdf,
        "Staff must not deny, reduce or pend an emergency claim for any of the following reasons:",
    )
    items(
        pdf,
        [
            ("a.", "no prior authorization or notification is on file;"),
            (
                "b.",
                "the hospital, freestanding emergency department or emergency physician is nonparticipating;",
            ),
            (
                "c.",
                "the final diagnosis code appears on a list of non-emergent codes (45 CFR 149.110(b)(4));",
            ),
            (
                "d.",
                "the member did not call the Willowbrook nurse line or a primary care provider before going;",
            ),
            (
                "e.",
                "the facility told Willowbrook about the visit or the admission later than the facility contract asks.",
            ),
        ],
    )
    h2(pdf, "4.4 Cost sharing on nonparticipating emergency claims")
    para(
        pdf,
        "The member's copayment, coinsurance and deductible are the in-network amounts, and what the member "
        "pays counts toward the in-network deductible and in-network out-of-pocket maximum (45 CFR "
        "149.110(b)(3)). UM notes on the case that the visit was an emergency so that Claims applies the "
        "in-network benefit level.",
    )

    h1(pdf, "5 Post-Stabilization Requests")
    h2(pdf, "5.1 What the contact is for")
    para(
        pdf,
        "A post-stabilization request is not a prior authorization request. While the services remain "
        "emergency services, coverage does not depend on our approval. UM uses the contact to open concurrent "
        "review, to offer a transfer to a participating facility, and to tell the hospital whether the "
        "notice-and-consent process is available for the case (see section 6).",
    )
    h2(pdf, "5.2 Intake and response target")
    para(
        pdf,
        "The UM intake line is staffed 24 hours a day, 7 days a week, including holidays. The nurse reviewer "
        "logs the time of the call and calls the hospital back within 60 minutes with the result of the "
        "review and, where a participating bed is open, the transfer option. This is a Willowbrook internal "
        "target; missing it never reduces coverage for the member.",
    )
    h2(pdf, "5.3 When post-stabilization care stops being emergency care")
    para(
        pdf,
        "Care from a nonparticipating hospital or provider after stabilization is covered as emergency "
        "services until all of the conditions in 45 CFR 149.410(b) are met. The nurse documents each one:",
    )
    items(
        pdf,
        [
            (
                "a.",
                "the attending emergency physician or treating provider has decided the member can travel by "
                "nonmedical or nonemergency medical transportation to an available participating provider or "
                "facility within a reasonable travel distance;",
            ),
            (
                "b.",
                "the hospital or provider has met the notice-and-consent rules of 45 CFR 149.420(c) through (g);",
            ),
            (
                "c.",
                "the member (or authorized representative) was in a condition to receive the notice and give "
                "informed consent, as judged by the attending emergency physician or treating provider;",
            ),
            ("d.", "any added requirement of State law has been met."),
        ],
    )
    para(
        pdf,
        "The travel decision belongs to the treating physician. UM staff may offer a participating facility "
        "and help arrange transport, but may not substitute their own judgment for the physician's.",
    )
    h2(pdf, "5.4 Who may issue an adverse determination")
    para(
        pdf,
        "A UM nurse may approve continued inpatient or observation care on a post-stabilization case. Only a "
        "Willowbrook physician medical director may issue an adverse determination, meaning a decision that "
        "continued care is not medically necessary or that a lower level of care is appropriate. In every "
        "case, medical or behavioral, the medical director must be in the same or a similar specialty as the "
        "treating physician (see section 8.2).",
    )

    h1(pdf, "6 Notice-and-Consent Forms")
    h2(pdf, "6.1 Validity checklist")
    para(
        pdf,
        "Claims sends every notice-and-consent form to the UM coordinator. A form can change the member's cost "
        "sharing only when all of the following are true:",
    )
    items(
        pdf,
        [
            ("a.", "the service is not one listed in section 6.2;"),
            (
                "b.",
                "the notice was given on time under 45 CFR 149.420(c)(1): at least 72 hours before the date of "
                "service, or, for an appointment made within 72 hours, on the day it was made and at least 3 hours "
                "before the service;",
            ),
            (
                "c.",
                "the notice contains the items listed in 45 CFR 149.420(d), including the good faith estimate and "
                "the statement that consent is optional;",
            ),
            (
                "d.",
                "the member or authorized representative signed before the service, and the dates and times of "
                "the notice and the signature are recorded (45 CFR 149.420(e));",
            ),
            (
                "e.",
                "Willowbrook received the signed form no later than the claim (45 CFR 149.420(g));",
            ),
            (
                "f.",
                "for post-stabilization care, the case file shows each condition in section 5.3.",
            ),
        ],
    )
    h2(pdf, "6.2 Forms that never have effect")
    para(
        pdf,
        "A signed form has no effect for the ancillary services listed in 45 CFR 149.420(b)(2)(i) (for "
        "example anesthesiology, radiology, laboratory, hospitalist and intensivist services) or for services "
        "needed because of an unforeseen, urgent medical need that came up during the service (45 CFR "
        "149.420(b)(2)(ii)). The coordinator notes the form as not applicable and Claims applies in-network "
        "cost sharing.",
    )
    h2(pdf, "6.3 Late or missing forms")
    para(
        pdf,
        "If the signed form arrives after the claim, or never arrives, the claim is processed as though no "
        "consent was given: in-network cost sharing applies and the member keeps the balance billing "
        "protections. Claims must not pend a claim to wait for a form. Provider Relations is told when the "
        "same provider sends late forms three times in a calendar quarter.",
    )

    h1(pdf, "7 Quick Reference Table")
    para(pdf, "If the table and the text seem to differ, the section in the last column controls.")
    pdf.set_font("Helvetica", "", 8.5)
    rows = [
        ("Scenario", "Member cost sharing", "UM action", "See"),
        (
            "ER visit at a nonparticipating hospital, no auth on file",
            "In-network",
            "No auth review; prudent layperson review only if Claims routes it",
            "4.1, 4.2",
        ),
        (
            "Post-stabilization stay at a nonparticipating hospital, transfer conditions not all met",
            "In-network",
            "Concurrent review; offer participating transfer",
            "5.3",
        ),
        (
            "Post-stabilization stay, all conditions met and valid consent on file",
            "Out-of-network benefit level under the plan",
            "Document each condition and the consent",
            "5.3, 6.1",
        ),
        (
            "Nonparticipating anesthesiologist at a participating hospital, form attached",
            "In-network (form has no effect)",
            "Mark form not applicable",
            "6.2",
        ),
        (
            "Nonparticipating surgeon at a participating facility, valid form received with the claim",
            "Out-of-network benefit level under the plan",
            "Attach form to the claim",
            "6.1",
        ),
        (
            "Signed form arrives after the claim",
            "In-network",
            "Treat as no consent; do not pend",
            "6.3",
        ),
    ]
    with pdf.table(
        col_widths=(62, 38, 52, 18), text_align="LEFT", line_height=4.5, first_row_as_headings=True
    ) as table:
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(c)
    pdf.ln(3)

    h1(pdf, "8 Adverse Determinations, Notices and Peer-to-Peer")
    h2(pdf, "8.1 Content of the denial notice")
    para(
        pdf,
        "Every written adverse determination on an emergency claim or a post-stabilization case must state:",
    )
    items(
        pdf,
        [
            ("a.", "the specific reason for the decision, in plain language;"),
            ("b.", "the clinical criteria or plan provision the decision rests on;"),
            ("c.", "that the member may ask for a free copy of the criteria and of the case file;"),
            ("d.", "how to file an internal appeal and that external review is available;"),
            (
                "e.",
                "for a mental health or substance use disorder case, that the member may ask for the medical "
                "necessity criteria (45 CFR 146.136(d)(1)) and for the comparative analysis of the limitation "
                "applied (45 CFR 146.137(c)(4)).",
            ),
        ],
    )
    h2(pdf, "8.2 Parity")
    para(
        pdf,
        "Emergency care is one of the six parity classifications (45 CFR 146.136(c)(2)(ii)(A)). UM applies "
        "every step in this policy - the callback target, the review criteria, the reviewer qualifications "
        "and the documentation - in the same way to psychiatric and substance use disorder emergencies as to "
        "medical and surgical emergencies. A step added for behavioral health cases only would be a more "
        "restrictive nonquantitative treatment limitation and is not allowed.",
    )
    h2(pdf, "8.3 Peer-to-peer conversation")
    para(
        pdf,
        "The medical director tells the attending physician of an adverse determination by phone. The "
        "attending may ask for a peer-to-peer conversation within one business day after that call, and the "
        "medical director holds it before the end of the following business day. A peer-to-peer conversation "
        "is not an appeal and does not stop the member's appeal rights.",
    )

    h1(pdf, "9 Documentation and Audit")
    para(
        pdf,
        "The nurse records the call and callback times, the physician who made the travel decision, any "
        "transfer offered, and the status of any notice-and-consent form. UM Quality audits a sample of cases "
        "every quarter and reports results to the UM Committee.",
    )

    h1(pdf, "10 References and Revision History")
    para(
        pdf,
        "45 CFR 149.110; 45 CFR 149.410; 45 CFR 149.420; 45 CFR 146.136; 45 CFR 146.137; 45 CFR 147.136.",
    )
    para(
        pdf,
        "Version 1 (01/01/2022) first issue. Version 3 (01/01/2026) added section 8.2 and the table.",
    )

    pdf.output(OUT)


if __name__ == "__main__":
    build()
    print("wrote", OUT)
