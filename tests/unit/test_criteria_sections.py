"""Which sections of a coverage document are its criteria, by their own headings."""

import pytest

from bot.offline import lists_criteria
from retrieval import Hit


def section(*headings: str) -> Hit:
    return Hit(
        doc_id="NCD 240.4",
        title="CPAP",
        doc_type="criteria",
        line_of_business="medicare_advantage",
        section="B",
        citation="NCD 240.4 §B",
        text="x",
        score=1.0,
        source_path="ncd.html",
        version="1",
        effective_date=None,
        end_date=None,
        heading_path=list(headings),
        chunk_id="c",
        similarity=0.5,
    )


NCD = "Indications and Limitations of Coverage"


@pytest.mark.parametrize(
    ("headings", "criteria"),
    [
        ((NCD, "B. Nationally Covered Indications"), True),
        ((NCD, "A. General"), False),
        ((NCD, "C. Nationally Non-Covered Indications"), False),
        (("3. Medical necessity criteria", "3.1 Lumbar MRI"), True),
        (("4. Not medically necessary",), False),
        (("2. Background",), False),
    ],
)
def test_a_section_is_criteria_by_its_headings(headings: tuple[str, ...], criteria: bool) -> None:
    assert lists_criteria(section(*headings)) is criteria
