"""Identifier and code shapes: what the tools accept before any query runs, and which codes
the criteria lookup recognises in a question."""

import pytest

from retrieval import ICD10_RE, SERVICE_CODE_RE
from tools.errors import InvalidInput
from tools.ids import case_id, member_id, npi, npi_check_digit, person_name
from tools.seed import make_npi


def test_npi_check_digit_matches_the_cms_published_example() -> None:
    assert npi_check_digit("123456789") == 3
    assert npi("1234567893") == "1234567893"
    with pytest.raises(InvalidInput, match="check digit"):
        npi("1234567890")


def test_synthetic_npis_are_valid_and_start_with_nine() -> None:
    for serial in (1, 42, 99_999_999):
        value = make_npi(serial)
        assert len(value) == 10 and value.startswith("9") and npi(value) == value


@pytest.mark.parametrize("good", ["M1000001", "m1000001", " M1234567 "])
def test_member_ids_are_normalised(good: str) -> None:
    assert member_id(good) == good.strip().upper()


@pytest.mark.parametrize(
    "bad", ["M123456", "M12345678", "X1000001", "M100000A", "M1000001'--", "", "M 1000001"]
)
def test_malformed_member_ids_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="member id"):
        member_id(bad)


def test_case_ids_are_c_plus_seven_digits() -> None:
    assert case_id("c2000001") == "C2000001"
    with pytest.raises(InvalidInput):
        case_id("C200000")


@pytest.mark.parametrize("code", ["72148", "E0601", "0024", "0001F", "K0823"])
def test_service_codes_accept_cpt_hcpcs_and_revenue_codes(code: str) -> None:
    assert SERVICE_CODE_RE.match(code)


@pytest.mark.parametrize("code", ["7214", "E060", "UNION", "72148;", "Z9999"])
def test_malformed_service_codes_are_refused(code: str) -> None:
    assert not SERVICE_CODE_RE.match(code)


@pytest.mark.parametrize("code", ["G47.33", "M54.16", "S72.001A", "G35", "Z68.41"])
def test_icd10_codes(code: str) -> None:
    assert ICD10_RE.match(code)


@pytest.mark.parametrize("name", ["O'Sampleton", "Mock-Wellington", "Zoë Testperson", "St. Alpha"])
def test_real_name_characters_are_accepted(name: str) -> None:
    assert person_name(name) == name


@pytest.mark.parametrize(
    "name", ["x'); DROP TABLE members;--", "%", "Alpha_", "R2D2", "", "a" * 101]
)
def test_names_with_other_characters_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        person_name(name)
