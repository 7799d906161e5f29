#!/usr/bin/env python3
"""Deterministic generator for author D's r7 documents (Lakeshore Example Health Plan, synthetic).

Run:  .venv/bin/python evals/datasets/realformat/make_binary_docs_tuning_r7.py
Writes into docs/tuning/ (the seventh writing round, author D). Fixed metadata dates and fixed
ZIP timestamps, so re-running gives byte-identical files.
"""

import datetime as _dt
import io
import os
import zipfile

import docx
from docx.shared import Pt
from fpdf import FPDF
from fpdf.enums import XPos, YPos

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "tuning")
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
PLAN = "Lakeshore Example Health Plan (synthetic)"
FIXED = _dt.datetime(2025, 11, 20, 9, 0, 0, tzinfo=_dt.UTC)

# --------------------------------------------------------------------------------------------
# Block model shared by the PDF and DOCX writers:
#   ("title", text) ("meta", text) ("h1", text) ("h2", text) ("p", text)
#   ("bullets", [..]) ("numbered", [..])   numbered items are written with their number in the PDF
#   ("table", [header, row, row ...])
# --------------------------------------------------------------------------------------------

UM1010 = [
    ("title", "Sleep Study and PAP Titration Review"),
    ("meta", "Policy Number: UM-1010    Department: Utilization Management"),
    ("meta", "Effective Date: March 1, 2025    Last Reviewed: February 12, 2025"),
    ("meta", "Lines of business: Commercial, Medicare Advantage, Medicaid"),
    ("h1", "1. Purpose"),
    (
        "p",
        "This policy tells utilization review staff how to review requests for diagnostic sleep "
        "testing for suspected obstructive sleep apnea (OSA) and for positive airway pressure "
        "(PAP) "
        "titration studies. It sets out when a home test is expected, when an attended study in a "
        "sleep laboratory is appropriate, and what the ordering provider must send.",
    ),
    ("h1", "2. Scope"),
    (
        "p",
        "The policy applies to members of every Lakeshore line of business. It covers home sleep "
        "apnea testing (HSAT), attended in-lab polysomnography (PSG), split-night studies and "
        "titration studies. It does not address PAP devices, supplies or member cost sharing, "
        "which are handled under other plan documents.",
    ),
    ("h1", "3. Review criteria"),
    ("h2", "3.1 Who may order"),
    ("p", "A sleep study may be ordered by:"),
    (
        "bullets",
        [
            "a physician board certified in sleep medicine;",
            "the member's treating physician, nurse practitioner or physician assistant, after a "
            "documented clinical evaluation for sleep-disordered breathing.",
        ],
    ),
    (
        "p",
        "A dentist may not order a diagnostic study but may refer the member to one of the above. "
        "Studies must be interpreted by a physician board certified or board eligible in sleep "
        "medicine. Home tests must be read from the raw data, not from an automated score alone.",
    ),
    ("h2", "3.2 Home sleep apnea testing"),
    (
        "p",
        "HSAT is the expected first test for an adult 18 or older with a high pretest probability "
        "of moderate to severe OSA. A high pretest probability is shown by snoring or witnessed "
        "apneas together with daytime sleepiness (an Epworth Sleepiness Scale score of 10 or more) "
        "or a STOP-Bang score of 3 or more. The device must record at least airflow, respiratory "
        "effort and oxygen saturation, and the study must capture at least 4 hours of technically "
        "adequate recording time.",
    ),
    ("h2", "3.3 In-lab polysomnography"),
    (
        "p",
        "An attended diagnostic PSG in a sleep laboratory is appropriate when one or more of the "
        "following is documented:",
    ),
    (
        "numbered",
        [
            "significant cardiopulmonary disease, such as heart failure with reduced ejection "
            "fraction "
            "or COPD needing supplemental oxygen;",
            "suspected central sleep apnea, opioid-related hypoventilation or a neuromuscular "
            "disorder;",
            "a prior HSAT that was negative, inconclusive or technically inadequate while clinical "
            "suspicion of OSA remains high;",
            "the member is under 18 years of age;",
            "a cognitive or physical limitation that keeps the member from applying a home device;",
            "a suspected sleep disorder other than sleep apnea, such as narcolepsy or a "
            "parasomnia.",
        ],
    ),
    ("h2", "3.3.1 Split-night studies"),
    (
        "p",
        "When an in-lab study is approved, the laboratory should convert it to a split-night study "
        "if the diagnostic portion records at least 2 hours of sleep with an apnea-hypopnea index "
        "of 40 or more. The titration portion must then last at least 3 hours. A second full-night "
        "titration is not approved when a split-night titration was adequate.",
    ),
    ("h2", "3.4 Titration studies"),
    (
        "p",
        "An attended titration study in a laboratory may be approved when the member was diagnosed "
        "with OSA and either an auto-titrating PAP trial of at least 14 nights failed, or the "
        "member "
        "has one of the conditions in 3.3 items 1 or 2. Bilevel titration requires documented "
        "intolerance of continuous pressure. No more than one attended titration is approved in a "
        "12-month period without medical director review.",
    ),
    ("h2", "3.5 Repeat studies"),
    ("p", "A repeat diagnostic study may be approved when:"),
    (
        "bullets",
        [
            "the member gained or lost 10% or more of body weight since the last study;",
            "the member had upper airway surgery or started an oral appliance and efficacy must "
            "be checked;",
            "symptoms returned despite documented good use of therapy.",
        ],
    ),
    (
        "p",
        "Any repeat study within 12 months of the last one needs prior authorization, even in the "
        "home setting.",
    ),
    ("h1", "4. Prior authorization by setting"),
    (
        "table",
        [
            ["Study", "Home", "Freestanding sleep center", "Hospital outpatient"],
            ["HSAT, first study", "No PA", "No PA", "PA required"],
            ["Diagnostic PSG", "n/a", "PA required", "PA required + site review"],
            ["Split-night or titration", "n/a", "PA required", "PA required + site review"],
            ["Multiple sleep latency test", "n/a", "PA required", "PA required"],
            ["Repeat study within 12 months", "PA required", "PA required", "PA required"],
        ],
    ),
    (
        "p",
        "A site review means the reviewer checks whether a freestanding network sleep center "
        "within "
        "30 miles of the member could do the study; if one could, the reviewer approves the study "
        "at that center instead.",
    ),
    ("h1", "5. Documentation"),
    ("p", "The request for an in-lab study must include:"),
    (
        "bullets",
        [
            "the clinical evaluation note with sleep history, BMI and neck circumference;",
            "the Epworth or STOP-Bang score;",
            "the comorbid conditions relied on under section 3.3;",
            "prior sleep study reports, including the raw-data interpretation of any HSAT;",
            "the reason a home test is not appropriate.",
        ],
    ),
    ("h1", "6. Adverse determinations"),
    (
        "p",
        "Only a physician reviewer may deny a sleep study request. When an in-lab PSG is denied "
        "because a home test is appropriate, the reviewer must offer the ordering provider an "
        "approval for HSAT in the same notice, and the notice must name the criterion in 3.3 that "
        "was not met. The ordering provider may ask for a peer-to-peer conversation before or "
        "after "
        "the notice is sent.",
    ),
    ("h1", "7. Revision history"),
    (
        "p",
        "Version 3, effective March 1, 2025: added the 4-hour recording rule and the site review. "
        "Version 2, effective January 1, 2023. Version 1, effective July 1, 2021.",
    ),
]

UM1020 = [
    ("title", "Genetic Testing Prior Authorization"),
    ("meta", "Policy Number: UM-1020"),
    ("meta", "Effective Date: April 1, 2025"),
    ("meta", "Owner: Utilization Management, Pharmacy and Laboratory Review Unit"),
    ("h1", "1. Purpose"),
    (
        "p",
        "This policy explains how Lakeshore reviews prior authorization requests for germline "
        "hereditary cancer testing and for pharmacogenomic testing.",
    ),
    ("h1", "2. Scope"),
    (
        "p",
        "It applies to members of all Lakeshore lines of business and to tests performed by any "
        "laboratory, in or out of network. Testing of tumor tissue (somatic testing) is outside "
        "the "
        "scope of this policy.",
    ),
    ("h1", "3. Definitions"),
    (
        "bullets",
        [
            "Hereditary cancer panel: a germline test that looks at two or more genes linked to an "
            "inherited risk of cancer.",
            "Pharmacogenomic (PGx) test: a test of one or more genes that affect how a person "
            "processes "
            "or responds to a drug.",
            "Close relative: a first-degree or second-degree blood relative.",
            "Genetic counselor: a counselor certified by the American Board of Genetic Counseling "
            "or "
            "licensed in the state where the service is given.",
        ],
    ),
    ("h1", "4. Criteria"),
    ("h2", "4.1 Hereditary cancer panels"),
    (
        "p",
        "A hereditary cancer panel is approved when the member has not already had germline "
        "testing "
        "of the same genes and at least one of the following applies:",
    ),
    (
        "numbered",
        [
            "personal history of breast cancer diagnosed at age 50 or younger;",
            "personal history of ovarian, pancreatic or metastatic prostate cancer at any age;",
            "personal history of colorectal or endometrial cancer diagnosed before age 50;",
            "a close relative with one of the cancers above where that relative cannot be tested;",
            "a known pathogenic variant in a close relative (see 4.1.1).",
        ],
    ),
    (
        "p",
        "Panels are limited to the genes that fit the member's personal and family history, and "
        "to no "
        "more than 30 genes. A larger panel goes to the medical director. Testing a minor for a "
        "cancer syndrome that appears only in adulthood is not approved.",
    ),
    (
        "p",
        "4.1.1 Known familial variant. When a close relative carries a known pathogenic variant, "
        "only "
        "targeted testing for that single variant is approved, not a full panel, unless the member "
        "also meets another item of 4.1 on their own history.",
    ),
    ("h2", "4.2 Pharmacogenomic tests"),
    (
        "p",
        "A single-gene PGx test is approved when the member is starting, or is taking, a drug on "
        "the "
        "plan's PGx drug list and the result will decide whether the drug is used or at what dose. "
        "Examples on the list include HLA-B*57:01 before abacavir, HLA-B*15:02 before "
        "carbamazepine, CYP2C19 before clopidogrel after a stent, and TPMT/NUDT15 before a "
        "thiopurine.",
    ),
    (
        "bullets",
        [
            "Multi-gene PGx panels sold to choose antidepressants are not approved.",
            "A gene is tested once per lifetime; a repeat request for the same gene is not "
            "approved.",
            "Tests ordered only for general wellness are not approved.",
        ],
    ),
    ("h1", "5. Genetic counseling requirement"),
    (
        "p",
        "Before a hereditary cancer panel, the member must have pre-test counseling with a genetic "
        "counselor or a medical geneticist. Counseling by telehealth counts. The counseling note "
        "must be sent with the request. An oncologist who ordered the test may do the counseling "
        "only if the note covers the benefits, limits and possible results of testing. PGx tests "
        "do not need pre-test counseling. When a pathogenic variant is found, the plan expects "
        "post-test counseling and covers it without a separate authorization.",
    ),
    ("h1", "6. Documentation"),
    ("p", "Every request must include:"),
    (
        "bullets",
        [
            "the name of the test, the laboratory and the CPT codes;",
            "the list of genes to be tested;",
            "a family history covering at least three generations, for cancer panels;",
            "the genetic counseling note, for cancer panels;",
            "for PGx tests, the drug and how the result will change treatment.",
        ],
    ),
    ("h1", "7. Decision timeframes"),
    (
        "p",
        "Standard requests are decided within 7 calendar days of receipt. Expedited requests are "
        "decided within 72 hours when the ordering provider states that waiting could seriously "
        "harm the member's life, health or ability to regain maximum function, for example when "
        "surgery depends on the result. If information is missing, the reviewer asks the ordering "
        "provider for it within 1 business day; the timeframe keeps running.",
    ),
    ("h1", "8. Reviewer qualifications"),
    (
        "p",
        "A UR nurse who has finished the plan's genetic testing module may approve requests that "
        "clearly meet section 4. Only a physician reviewer may issue a denial. Before denying a "
        "hereditary cancer panel, the physician reviewer must consult a board-certified medical "
        "geneticist or a genetic counselor on the plan's review panel and record that consult in "
        "the case file.",
    ),
]


def _um1030(version):
    v1 = version == 1
    blocks = [
        ("title", "Home Infusion Therapy Review"),
        ("meta", "Policy Number: UM-1030"),
        ("meta", "Version 1" if v1 else "Version 2"),
        ("meta", "Effective Date: January 1, 2024" if v1 else "Effective Date: January 1, 2026"),
    ]
    if v1:
        blocks.append(("meta", "End Date: December 31, 2025"))
    else:
        blocks.append(
            ("meta", "Supersedes: Version 1 (effective January 1, 2024 through December 31, 2025)")
        )
    blocks += [
        ("h1", "1. Purpose"),
        (
            "p",
            "This policy sets how utilization review staff review requests for drugs given by "
            "infusion in the member's home, the nursing visits that go with them and the site "
            "where "
            "an infusion is given.",
        ),
        ("h1", "2. Scope"),
        (
            "p",
            "All Lakeshore lines of business. It covers home infusion of anti-infectives, "
            "parenteral nutrition, hydration, inotropes and specialty drugs on the Site-of-Care "
            "List. Chemotherapy given in an oncology office is not covered by this policy.",
        ),
        ("h1", "3. Ordering and review"),
        (
            "p",
            "Home infusion must be ordered by the member's treating physician or an advanced "
            "practice "
            "provider working with that physician. A UR nurse may approve a request that meets "
            "this "
            "policy; only a physician reviewer may deny one or approve less than was requested.",
        ),
        ("h1", "4. Authorization"),
        ("h2", "4.1 Initial authorization"),
        (
            "p",
            (
                "An initial authorization covers the drug, supplies and per diem for up to 30 "
                "calendar "
                "days, or for the ordered course if that is shorter."
            )
            if v1
            else (
                "An initial authorization covers the drug, supplies and per diem for up to 60 "
                "calendar "
                "days, or for the ordered course if that is shorter. Parenteral nutrition may be "
                "authorized for up to 90 calendar days at a time."
            ),
        ),
        ("h2", "4.2 Reauthorization"),
        (
            "p",
            (
                "A request to continue therapy may be sent no earlier than 10 calendar days "
                "before the "
                "current authorization ends."
            )
            if v1
            else (
                "A request to continue therapy may be sent no earlier than 14 calendar days "
                "before the "
                "current authorization ends."
            ),
        ),
        ("p", "A continuation request must include:"),
        (
            "bullets",
            [
                "progress notes from the last 30 days;",
                "laboratory results that the drug's monitoring requires;",
                "the infusion pharmacy's record of doses given and missed.",
            ],
        ),
        ("h2", "4.3 Nursing visits"),
        (
            "p",
            (
                "Skilled nursing visits for line care, teaching and monitoring are authorized at "
                "up to 2 "
                "visits per week. More than 2 visits in a week needs physician reviewer approval."
            )
            if v1
            else (
                "Skilled nursing visits for line care, teaching and monitoring are authorized at "
                "up to 3 "
                "visits per week, plus one extra teaching visit in the first week of therapy. "
                "More than "
                "3 visits in a week needs physician reviewer approval."
            ),
        ),
        ("h1", "5. Site-of-care review"),
        ("h2", "5.1 Rule"),
        (
            "p",
            (
                "When a drug on the Site-of-Care List is requested in a hospital outpatient "
                "department, "
                "the reviewer checks whether the member could safely receive it at home or in an "
                "ambulatory infusion center. The review is done at the initial request only."
            )
            if v1
            else (
                "When a drug on the Site-of-Care List is requested in a hospital outpatient "
                "department, "
                "the reviewer checks whether the member could safely receive it at home or in an "
                "ambulatory infusion center. The review is done at the initial request and again "
                "at "
                "every reauthorization."
            ),
        ),
        ("h2", "5.2 Exceptions"),
        ("p", "The hospital outpatient setting is approved without redirection when:"),
        (
            "bullets",
            [
                "it is the member's first dose, or the first dose after a gap of 6 months or more;",
                "the member had a moderate or severe infusion reaction to the drug;",
                "the member's condition needs monitoring that only a hospital can give.",
            ],
        ),
        ("h1", "6. Documentation"),
        (
            "p",
            "The initial request must include the diagnosis, the drug, dose, route and frequency, "
            "the "
            "planned length of therapy, the vascular access device and the name of the infusion "
            "pharmacy.",
        ),
        ("h1", "7. Version history"),
    ]
    if v1:
        blocks.append(
            (
                "p",
                "Version 1, effective January 1, 2024: first issue. This version ends "
                "December 31, 2025.",
            )
        )
    else:
        blocks.append(
            (
                "p",
                "Version 2, effective January 1, 2026: initial authorization lengthened; "
                "nursing visit limit raised; site-of-care review added at reauthorization; "
                "reauthorization window widened. Version 1, effective January 1, 2024, "
                "ended December 31, 2025.",
            )
        )
    return blocks


UM1040 = """\
Home > Policies & Procedures > Utilization Management > UM-1040
Lakeshore Example Health Plan (synthetic) | Staff Intranet
[Print]  [Email this page]  [Subscribe to changes]

Policy Number: UM-1040
Title: Utilization Review Staff Roles and Authority
Effective Date: July 1, 2025
Last Revised: June 3, 2025
Owner: Director, Utilization Management
Applies to: All lines of business

1. PURPOSE
This policy describes who does what in utilization review at Lakeshore and which
decisions each role is allowed to make.

2. SCOPE
It applies to plan employees and delegated vendor staff who take, review or decide
prior authorization, concurrent review and retrospective review requests.

3. DEFINITIONS
Adverse determination: a decision to deny, reduce or end a requested service, or to
approve less than was requested, for any reason.
Clinical criteria: the screening criteria and plan medical policies adopted by the
UM Committee.

4. ROLES
4.1 Intake Coordinator
Intake coordinators are non-clinical staff. They log requests, check eligibility
and benefits, and ask providers for missing documents. They may approve only a
service on the plan's administrative approval list. They may not read or apply
clinical criteria.

4.2 Utilization Review Nurse
The UR nurse holds an active, unrestricted RN license. The nurse applies clinical
criteria and may approve any request that meets them. When criteria are not met,
the nurse sends the case to a physician reviewer and may not deny it.

4.3 Physician Reviewer
The physician reviewer holds an active, unrestricted MD or DO license and board
certification. The physician reviewer makes every adverse determination based on
medical necessity and is available for peer-to-peer discussion.

4.4 Pharmacist Reviewer
A licensed pharmacist reviews drug requests under the medical benefit for dose,
route and interactions, and makes recommendations to the physician reviewer.

5. DECISION RULES
5.1 A request that meets clinical criteria may be approved at the first level that
is qualified to apply those criteria.
5.2 Only a physician reviewer may issue an adverse determination based on medical
necessity. An intake coordinator may close a request as administratively
incomplete only after two documented attempts to reach the provider.
5.3 Before the physician reviewer decides a case that the nurse could not approve,
the case file must contain:
   a) the request and all clinical records received;
   b) the criteria set and version the nurse applied;
   c) the nurse's summary of which criteria were not met;
   d) a record of any attempt to get more information;
   e) the pharmacist's recommendation, for drug requests;
   f) any prior decisions on the same service in the last 12 months.
5.4 A reviewer may not decide a case in which the reviewer treated the member, or
in which the reviewer has a financial interest.
5.4.1 For an appeal of an adverse determination, the reviewer must be someone who
did not make the first decision and is not that person's subordinate.
5.5 For behavioral health cases, a psychiatrist or a doctoral-level psychologist
acting within the scope of licensure makes the adverse determination.

6. TRAINING AND OVERSIGHT
6.1 New review staff complete UM orientation within 30 days of hire and before
deciding cases alone.
6.2 Nurses and physician reviewers take an inter-rater reliability test every year.
The passing score is 90%.
6.2.1 A reviewer who scores below 90% gets focused coaching and retakes the test
within 60 days. Until passing, that reviewer's decisions are audited at 100%.
6.3 Licenses are verified at hire and at every renewal date.

Related policies: UM-1010, UM-1020, UM-1030
Printed copies are uncontrolled. Check the intranet for the current version.
Was this page helpful?  Yes | No
Back to top
(c) 2025 Lakeshore Example Health Plan (synthetic). Internal use only.
"""


# --------------------------------------------------------------------------------------------
# PDF writer
# --------------------------------------------------------------------------------------------
class PolicyPDF(FPDF):
    def header(self):
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{PLAN} — Confidential", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(160, 160, 160)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def write_pdf(blocks, path, subject):
    pdf = PolicyPDF(format="Letter")
    pdf.add_font("DejaVu", "", os.path.join(FONT_DIR, "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(FIXED)
    pdf.set_title(subject)
    pdf.set_author(PLAN)
    pdf.set_creator("make_binary_docs_tuning_r7.py (author D, r7)")
    pdf.set_producer("fpdf2")
    pdf.alias_nb_pages()
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    body = 10.5
    for kind, val in blocks:
        if kind == "title":
            pdf.set_font("DejaVu", "B", 18)
            pdf.multi_cell(0, 9, val, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
        elif kind == "meta":
            pdf.set_font("DejaVu", "", 9.5)
            pdf.multi_cell(0, 5, val, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif kind in ("h1", "h2"):
            pdf.ln(3 if kind == "h1" else 1.5)
            pdf.set_font("DejaVu", "B", 12.5 if kind == "h1" else 11)
            pdf.multi_cell(0, 6.5, val, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.5)
        elif kind == "p":
            pdf.set_font("DejaVu", "", body)
            pdf.multi_cell(0, 5.4, val, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif kind in ("bullets", "numbered"):
            pdf.set_font("DejaVu", "", body)
            for i, item in enumerate(val, 1):
                mark = "•" if kind == "bullets" else f"{i}."
                pdf.set_x(pdf.l_margin + 4)
                pdf.cell(7, 5.4, mark)
                pdf.multi_cell(0, 5.4, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif kind == "table":
            pdf.set_font("DejaVu", "", 9.5)
            with pdf.table(
                col_widths=(38, 18, 30, 34), line_height=5.5, text_align="LEFT"
            ) as table:
                for row in val:
                    trow = table.row()
                    for cell in row:
                        trow.cell(cell)
            pdf.ln(3)
    pdf.output(path)


# --------------------------------------------------------------------------------------------
# DOCX writer
# --------------------------------------------------------------------------------------------
def write_docx(blocks, path, subject):
    d = docx.Document()
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)
    sec = d.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = f"{PLAN} — Utilization Management Policy"
    fp = sec.footer.paragraphs[0]
    fp.text = "Internal use only. Printed copies are uncontrolled."
    for kind, val in blocks:
        if kind == "title":
            d.add_paragraph(val, style="Title")
        elif kind == "meta":
            d.add_paragraph(val, style="Normal")
        elif kind == "h1":
            d.add_paragraph(val, style="Heading 1")
        elif kind == "h2":
            d.add_paragraph(val, style="Heading 2")
        elif kind == "p":
            d.add_paragraph(val, style="Normal")
        elif kind == "bullets":
            for item in val:
                d.add_paragraph(item, style="List Bullet")
        elif kind == "numbered":
            for item in val:
                d.add_paragraph(item, style="List Number")
    cp = d.core_properties
    cp.title = subject
    cp.author = PLAN
    cp.last_modified_by = PLAN
    cp.created = FIXED.replace(tzinfo=None)
    cp.modified = FIXED.replace(tzinfo=None)
    cp.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    # re-pack with fixed timestamps so the output is byte-identical between runs
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(
            src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)
        ):
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 11, 20, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))


def main():
    os.makedirs(OUT, exist_ok=True)
    write_pdf(
        UM1010,
        os.path.join(OUT, "UM-1010-sleep-study-and-pap-review.pdf"),
        "UM-1010 Sleep Study and PAP Titration Review",
    )
    write_docx(
        UM1020,
        os.path.join(OUT, "UM-1020-genetic-testing-prior-authorization.docx"),
        "UM-1020 Genetic Testing Prior Authorization",
    )
    write_pdf(
        _um1030(1),
        os.path.join(OUT, "UM-1030-v1-home-infusion-review-2024.pdf"),
        "UM-1030 Home Infusion Therapy Review, Version 1",
    )
    write_docx(
        _um1030(2),
        os.path.join(OUT, "UM-1030-v2-home-infusion-review.docx"),
        "UM-1030 Home Infusion Therapy Review, Version 2",
    )
    with open(
        os.path.join(OUT, "UM-1040-utilization-review-staff-roles.txt"),
        "w",
        encoding="utf-8",
        newline="\n",
    ) as f:
        f.write(UM1040)


if __name__ == "__main__":
    main()
