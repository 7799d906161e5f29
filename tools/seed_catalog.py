"""Fixed reference data for the synthetic store: plans, staff, contracted organisations and the
services UM cases ask for. Codes and terms come from the sample corpus (corpus/criteria/*.md
"Codes" sections, corpus/contracts/*.md) so cases and contracts line up with retrievable text.
Every name is obviously synthetic."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tools.enums import LineOfBusiness, PaymentModel, RequestType
from tools.roles import Role

MA, MCD, COM = LineOfBusiness.medicare_advantage, LineOfBusiness.medicaid, LineOfBusiness.commercial

PLANS: tuple[tuple[str, str, LineOfBusiness], ...] = (
    ("PLN-MA-01", "Sunrise Synthetic Medicare Advantage HMO", MA),
    ("PLN-MCD-01", "Sunrise Synthetic Medicaid Managed Care", MCD),
    ("PLN-COM-01", "Sunrise Synthetic Commercial PPO (ERISA)", COM),
)
PLAN_OF_LOB = {lob: plan_id for plan_id, _, lob in PLANS}
# CMS contract numbers are H + 4 digits; H0000 is never assigned, so it is plainly synthetic.
CMS_CONTRACT_IDS = {"PLN-MA-01": "H0000"}

# (user_id, role, display name, credentials)
STAFF: tuple[tuple[str, Role, str, str | None], ...] = (
    ("cm.alex", Role.case_manager, "Alex Casewell", None),
    ("cm.sam", Role.case_manager, "Sam Casewell", None),
    ("ur.blake", Role.um_reviewer, "Blake Reviewson", "RN"),
    ("ur.morgan", Role.um_reviewer, "Morgan Reviewson", "RN"),
    ("ur.riley", Role.um_reviewer, "Riley Reviewson", "PT"),
    ("dr.casey", Role.clinician, "Casey Clinicianne", "MD"),
    ("dr.jordan", Role.clinician, "Jordan Clinicianne", "DO"),
    ("co.dana", Role.compliance, "Dana Auditwell", None),
    ("ad.eli", Role.admin, "Eli Adminson", None),
)
REVIEWERS = ("ur.blake", "ur.morgan", "ur.riley")
CLINICIANS = ("dr.casey", "dr.jordan")


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    specialty: str
    doc_id: str
    # One payment model, effective and end dates and term set per plan it contracts with.
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _hospital_terms(drg_base: float, per_diem: float, icu: float) -> dict[str, dict[str, Any]]:
    common = {"admission_notification_business_days": 1, "prior_auth_required": True}
    return {
        "PLN-MA-01": {
            "payment_model": PaymentModel.drg,
            "timely_filing_days": 180,
            "terms": {
                "inpatient": "100% of Original Medicare MS-DRG payment",
                "outpatient": "100% of Medicare OPPS",
                "outlier": "Original Medicare",
            },
            **common,
        },
        "PLN-MCD-01": {
            "payment_model": PaymentModel.per_diem,
            "timely_filing_days": 365,
            "terms": {
                "per_diem_med_surg": per_diem,
                "per_diem_icu": icu,
                "observation_case_rate": 1950.00,
                "stop_loss_threshold": 175000.00,
                "stop_loss_percent": 45,
            },
            **common,
        },
        "PLN-COM-01": {
            "payment_model": PaymentModel.drg,
            "timely_filing_days": 180,
            "terms": {
                "drg_base_rate": drg_base,
                "outpatient": "185% of Medicare OPPS",
                "observation_case_rate": 1950.00,
                "stop_loss_threshold": 175000.00,
                "stop_loss_percent": 45,
            },
            **common,
        },
    }


def _pcp_terms(ma: float, mcd_adult: float, mcd_child: float, com: float) -> dict:
    base = {"admission_notification_business_days": None, "prior_auth_required": True}
    return {
        "PLN-MA-01": {
            "payment_model": PaymentModel.capitation,
            "timely_filing_days": 90,
            "terms": {
                "pmpm": ma,
                "risk_adjusted": True,
                "pmpm_floor": 45.00,
                "pmpm_ceiling": 160.00,
                "quality_incentive_pmpm": 3.00,
            },
            **base,
        },
        "PLN-MCD-01": {
            "payment_model": PaymentModel.capitation,
            "timely_filing_days": 90,
            "terms": {
                "pmpm_adult": mcd_adult,
                "pmpm_under_21": mcd_child,
                "quality_incentive_pmpm": 1.50,
            },
            **base,
        },
        "PLN-COM-01": {
            "payment_model": PaymentModel.capitation,
            "timely_filing_days": 90,
            "terms": {"pmpm": com, "quality_incentive_pmpm": 1.50},
            **base,
        },
    }


def _fee_terms(ma: str, mcd: str, com: str, filing: int) -> dict:
    base = {"admission_notification_business_days": None, "prior_auth_required": True}
    return {
        plan: {
            "payment_model": PaymentModel.fee_schedule,
            "timely_filing_days": filing,
            "terms": {"rate": rate},
            **base,
        }
        for plan, rate in (("PLN-MA-01", ma), ("PLN-MCD-01", mcd), ("PLN-COM-01", com))
    }


def _snf_terms(levels: tuple[float, float, float], medicaid: float) -> dict:
    base = {"admission_notification_business_days": None, "prior_auth_required": True}
    upper = {
        "level_1_per_diem": levels[0],
        "level_2_per_diem": levels[1],
        "level_3_per_diem": levels[2],
        "initial_authorized_days": 7,
        "concurrent_review_every_days": 7,
    }
    return {
        "PLN-MA-01": {
            "payment_model": PaymentModel.per_diem,
            "timely_filing_days": 120,
            "terms": upper,
            **base,
        },
        "PLN-MCD-01": {
            "payment_model": PaymentModel.per_diem,
            "timely_filing_days": 180,
            "terms": {
                "skilled_per_diem": medicaid,
                "initial_authorized_days": 7,
                "concurrent_review_every_days": 7,
            },
            **base,
        },
        "PLN-COM-01": {
            "payment_model": PaymentModel.per_diem,
            "timely_filing_days": 120,
            "terms": upper,
            **base,
        },
    }


def _delegated_terms() -> dict:
    base = {
        "payment_model": PaymentModel.capitation,
        "timely_filing_days": 60,
        "admission_notification_business_days": None,
        "prior_auth_required": False,
        "delegated_um": True,
        "effective_date": date(2026, 1, 1),
        "end_date": date(2027, 12, 31),
        "terms": {
            "admin_fee_pmpm": 0.92,
            "peer_to_peer_fee": 45.00,
            "delegated_functions": ["MP-201", "MP-202", "MP-210"],
            "timeliness_threshold_percent": 95,
        },
    }
    return {plan: dict(base) for plan, _, _ in PLANS}


# The counterparties named in corpus/contracts are listed first with the terms their documents
# state; the others contract on the same forms with their own rates.
ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "hospital-1",
        "Synthetic General Hospital",
        "Acute care hospital",
        "CON-101",
        _hospital_terms(7850.00, 1450.00, 2900.00),
    ),
    Organisation(
        "pcp-group-1",
        "Example Primary Care Group",
        "Primary care group",
        "CON-102",
        _pcp_terms(68.00, 26.50, 19.00, 41.00),
    ),
    Organisation(
        "aco-1",
        "Example ACO",
        "Accountable care organization",
        "CON-103",
        {
            "PLN-MA-01": {
                "payment_model": PaymentModel.shared_savings,
                "timely_filing_days": 180,
                "admission_notification_business_days": None,
                "prior_auth_required": True,
                "effective_date": date(2026, 1, 1),
                "end_date": date(2028, 12, 31),
                "terms": {
                    "benchmark_pmpm_2026": 1085.00,
                    "minimum_savings_rate_percent": 2,
                    "shared_savings_percent": 50,
                    "savings_cap_percent": 10,
                    "quality_gate_percent": 70,
                    "downside_risk_from": 2028,
                },
            }
        },
    ),
    Organisation(
        "dme-1",
        "Example Medical Supply",
        "Durable medical equipment supplier",
        "CON-104",
        _fee_terms(
            "100% of Medicare DMEPOS fee schedule",
            "100% of state Medicaid DME fee schedule",
            "110% of Medicare DMEPOS fee schedule",
            90,
        ),
    ),
    Organisation(
        "delegate-1",
        "Example Delegated UM Services",
        "Utilization review organization",
        "CON-105",
        _delegated_terms(),
    ),
    Organisation(
        "snf-1",
        "Example Skilled Nursing and Rehabilitation Center",
        "Skilled nursing facility",
        "CON-106",
        _snf_terms((465.00, 585.00, 745.00), 410.00),
    ),
    Organisation(
        "hospital-2",
        "Synthetic Valley Medical Center",
        "Acute care hospital",
        "CON-101",
        _hospital_terms(7420.00, 1380.00, 2760.00),
    ),
    Organisation(
        "hospital-3",
        "Example Community Hospital",
        "Acute care hospital",
        "CON-101",
        _hospital_terms(7100.00, 1325.00, 2650.00),
    ),
    Organisation(
        "pcp-group-2",
        "Synthetic Family Physicians",
        "Primary care group",
        "CON-102",
        _pcp_terms(64.00, 25.00, 18.00, 39.50),
    ),
    Organisation(
        "pcp-group-3",
        "Example Internal Medicine Associates",
        "Primary care group",
        "CON-102",
        _pcp_terms(66.50, 25.75, 18.50, 40.00),
    ),
    Organisation(
        "dme-2",
        "Synthetic Home Medical Equipment",
        "Durable medical equipment supplier",
        "CON-104",
        _fee_terms(
            "100% of Medicare DMEPOS fee schedule",
            "100% of state Medicaid DME fee schedule",
            "105% of Medicare DMEPOS fee schedule",
            90,
        ),
    ),
    Organisation(
        "snf-2",
        "Synthetic Meadows Skilled Nursing",
        "Skilled nursing facility",
        "CON-106",
        _snf_terms((450.00, 570.00, 720.00), 400.00),
    ),
    Organisation(
        "hh-1",
        "Example Home Health Agency",
        "Home health agency",
        "CON-106",
        _fee_terms(
            "100% of Medicare home health PPS",
            "state Medicaid home health rates",
            "$165.00 per skilled visit",
            120,
        ),
    ),
)
ORG_KINDS_REQUESTING = {
    "hospital": ("hospital-1", "hospital-2", "hospital-3"),
    "dme": ("dme-1", "dme-2"),
    "snf": ("snf-1", "snf-2"),
    "home_health": ("hh-1",),
}

# (specialty, how many, credential); PCP specialties first.
CLINICIAN_SPECIALTIES: tuple[tuple[str, int, str], ...] = (
    ("Family Medicine", 12, "MD"),
    ("Internal Medicine", 8, "MD"),
    ("Pediatrics", 3, "MD"),
    ("Orthopedic Surgery", 4, "MD"),
    ("Neurosurgery", 2, "MD"),
    ("Cardiac Electrophysiology", 3, "MD"),
    ("Sleep Medicine", 2, "MD"),
    ("Bariatric Surgery", 2, "MD"),
    ("Physical Therapy", 3, "DPT"),
    ("Medical Genetics", 2, "MD"),
    ("Endocrinology", 2, "MD"),
    ("Physical Medicine and Rehabilitation", 2, "DO"),
    ("Diagnostic Radiology", 2, "MD"),
)
PCP_SPECIALTIES = ("Family Medicine", "Internal Medicine")
CLINICIAN_SURNAMES = ("Testdoc", "Sampledoc", "Mockdoc", "Placeholdermd", "Fauxley", "Dummyford")
MEMBER_FIRST_NAMES = (
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India",
    "Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo",
    "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "Xray", "Yankee", "Zulu",
)  # fmt: skip
# Apostrophes and hyphens on purpose: name search must handle them safely.
MEMBER_LAST_NAMES = (
    "Testperson", "Sampleton", "Fakename", "Placeholder", "Mockwell", "Dummyford",
    "Synthetica", "Examplesson", "Notreal", "Pretendez", "O'Sampleton", "Mock-Wellington",
)  # fmt: skip
CITIES = ("Sampleton", "Testville", "Exampleburg", "Mockford", "Fauxport", "Placeholder Falls")
STREETS = ("Synthetic Way", "Example Street", "Test Avenue", "Sample Road", "Mock Lane")
LANGUAGES = (("English", 80), ("Spanish", 12), ("Vietnamese", 3), ("Chinese", 3),
             ("Haitian Creole", 2))  # fmt: skip


@dataclass(frozen=True)
class Service:
    policy: str
    codes: tuple[tuple[str, ...], ...]  # alternatives, one chosen per case
    diagnoses: tuple[tuple[str, ...], ...]
    description: str
    request_types: tuple[RequestType, ...]
    requesters: tuple[str, ...]  # specialties or organisation kinds
    expedited_share: float
    notes: tuple[str, ...]
    lobs: tuple[LineOfBusiness, ...] = (MA, MCD, COM)


PRE, CONC, POST, PARTB = (
    RequestType.pre_service,
    RequestType.concurrent,
    RequestType.post_service,
    RequestType.part_b_drug,
)

SERVICES: tuple[Service, ...] = (
    Service(
        "MP-201",
        (("72148",), ("72149",)),
        (("M54.16",), ("M51.16",), ("M48.062",)),
        "MRI lumbar spine",
        (PRE, PRE, POST),
        ("Diagnostic Radiology", "Orthopedic Surgery", "Family Medicine"),
        0.05,
        (
            "8 weeks of physical therapy and NSAIDs without improvement; L5 radiculopathy on "
            "exam; no red flags documented.",
            "Low back pain for 3 weeks; no conservative therapy documented yet.",
            "Progressive foot weakness over 10 days; cauda equina symptoms denied.",
        ),
    ),
    Service(
        "MP-202",
        (("E0601",), ("E0601", "A7034")),
        (("G47.33",),),
        "CPAP device, initial 12-week trial",
        (PRE,),
        ("Sleep Medicine", "dme"),
        0.0,
        (
            "Home sleep apnea test AHI 22 events/hour; face-to-face evaluation documented.",
            "Sleep study pending; Epworth score 14; snoring and witnessed apneas.",
            "AHI 9 events/hour with hypertension; instruction on device use documented.",
        ),
    ),
    Service(
        "MP-203",
        (("G0151",), ("G0299", "G0151")),
        (("Z96.651",), ("I50.22",)),
        "Home health physical therapy and skilled nursing",
        (PRE, CONC),
        ("home_health",),
        0.1,
        (
            "Homebound after knee replacement; PT 2x/week for 4 weeks requested.",
            "Heart failure with recent admission; skilled nursing for medication teaching.",
        ),
    ),
    Service(
        "MP-204",
        (("0024",),),
        (("I63.9",), ("S72.001A",), ("I69.351",)),
        "Inpatient rehabilitation facility admission",
        (PRE, CONC),
        ("hospital", "Physical Medicine and Rehabilitation"),
        0.5,
        (
            "Post-stroke hemiparesis; tolerates 3 hours of therapy daily; discharge pending.",
            "Hip fracture repair day 3; PT notes limited tolerance of 1 hour daily.",
        ),
    ),
    Service(
        "MP-205",
        (("43775",), ("43644",)),
        (("E66.01", "Z68.41"), ("E66.01", "Z68.35", "E11.9")),
        "Bariatric surgery",
        (PRE,),
        ("Bariatric Surgery",),
        0.0,
        (
            "BMI 42; 6-month supervised weight program completed; psychological evaluation "
            "documented.",
            "BMI 37 with type 2 diabetes; nutrition evaluation missing.",
        ),
    ),
    Service(
        "MP-206",
        (("22612",), ("22630",), ("22633",)),
        (("M43.16",), ("M48.062",)),
        "Lumbar spinal fusion",
        (PRE,),
        ("Neurosurgery", "Orthopedic Surgery"),
        0.05,
        (
            "Grade II spondylolisthesis with instability on flexion-extension films; 6 months "
            "conservative care.",
            "Stenosis without instability; no smoking status documented.",
        ),
    ),
    Service(
        "MP-207",
        (("K0823",), ("K0822",)),
        (("G35",), ("G12.21",), ("I69.351",)),
        "Power wheelchair, group 2",
        (PRE,),
        ("dme", "Physical Medicine and Rehabilitation"),
        0.0,
        (
            "Unable to self-propel manual wheelchair; home assessment completed.",
            "Mobility exam documented; home accessibility assessment pending.",
        ),
    ),
    Service(
        "MP-208",
        (("81162",), ("81432",)),
        (("Z80.3",), ("Z15.01",), ("Z80.41",)),
        "Hereditary cancer genetic testing (BRCA1/BRCA2)",
        (PRE,),
        ("Medical Genetics",),
        0.0,
        (
            "Mother and sister with breast cancer before 50; pre-test genetic counseling done.",
            "Family history documented; genetic counseling not yet provided.",
        ),
    ),
    Service(
        "MP-209",
        (("0022",),),
        (("Z47.1", "Z96.651"), ("J18.9",), ("S72.001D",)),
        "Skilled nursing facility admission",
        (PRE, CONC),
        ("hospital", "snf"),
        0.6,
        (
            "Discharge from acute stay expected tomorrow; daily skilled PT and wound care needed.",
            "Continued stay: therapy 5 days/week, progressing toward home discharge.",
        ),
    ),
    Service(
        "MP-210",
        (("97110", "97140"), ("97110", "97530")),
        (("M54.50",), ("M25.561",)),
        "Outpatient physical therapy beyond initial visits",
        (PRE, POST),
        ("Physical Therapy",),
        0.0,
        (
            "12 visits completed; functional scores improving; 8 more visits requested.",
            "Plateau after 10 visits; home exercise program established.",
        ),
    ),
    Service(
        "MP-211",
        (("33249",), ("33270",)),
        (("I42.0", "I50.22"), ("I49.01",), ("I25.5",)),
        "Implantable cardioverter-defibrillator",
        (PRE,),
        ("Cardiac Electrophysiology",),
        0.2,
        (
            "LVEF 30% after 3 months of guideline-directed therapy; NYHA class II.",
            "Survived ventricular fibrillation arrest; no reversible cause found.",
        ),
    ),
    Service(
        "MP-212",
        (("99223",),),
        (("J18.9",), ("I50.23",), ("A41.9",)),
        "Inpatient hospital admission",
        (CONC, PRE),
        ("hospital",),
        0.7,
        (
            "Admitted from ED; IV antibiotics; expected stay beyond two midnights.",
            "Observation 20 hours; improving on oral therapy.",
        ),
    ),
    Service(
        "MP-213",
        (("27447",), ("27446",)),
        (("M17.11",), ("M17.12",), ("M17.0",)),
        "Knee arthroplasty",
        (PRE, POST),
        ("Orthopedic Surgery",),
        0.0,
        (
            "Bone-on-bone changes on standing films; failed 6 months of injections and PT.",
            "Moderate osteoarthritis; BMI 41; no conservative therapy documented.",
        ),
    ),
    Service(
        "MP-214",
        (("E2103", "A4239"),),
        (("E11.65", "Z79.4"), ("E10.65",), ("E11.649",)),
        "Continuous glucose monitor",
        (PRE,),
        ("Endocrinology", "dme"),
        0.0,
        (
            "On multiple daily insulin injections; HbA1c 8.9%.",
            "Not on insulin; documented glucose below 54 mg/dL twice.",
        ),
    ),
    # No sample medical policy covers Part B drugs; find_criteria rightly finds none for these.
    Service(
        "PART-B",
        (("J1745",), ("J9312",)),
        (("K50.90",), ("M05.79",)),
        "Physician-administered infusion (Part B drug)",
        (PARTB,),
        ("Internal Medicine",),
        0.3,
        (
            "Maintenance infusion; prior response documented.",
            "New start; TB screening result pending.",
        ),
        lobs=(MA,),
    ),
)
