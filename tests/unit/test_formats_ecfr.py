"""eCFR XML: one document per section, designated paragraphs, apparatus left out."""

from pathlib import Path

import pytest

from retrieval.chunk import chunk_document
from retrieval.documents import DocType
from retrieval.errors import DocumentSkipped
from retrieval.loaders import load_documents

MB = 1_000_000
PART = """<?xml version="1.0" encoding="UTF-8"?>
<ECFR>{open}
<DIV5 N="438" TYPE="PART"><HEAD>PART 438—MANAGED CARE</HEAD>
<AUTH><HED>Authority:</HED><PSPACE>42 U.S.C. 1302.</PSPACE></AUTH>
<SOURCE><HED>Source:</HED><PSPACE>67 FR 41095, June 14, 2002.</PSPACE></SOURCE>
<DIV6 N="F" TYPE="SUBPART"><HEAD>Subpart F—Grievance and Appeal System</HEAD>
<DIV8 N="§ 438.408" TYPE="SECTION">
<HEAD>§ 438.408   Resolution and notification: Grievances and appeals.</HEAD>
<P>(a) <I>Basic rule.</I> Each plan resolves each appeal as fast as the condition requires.</P>
<P>(b) <I>Specific timeframes.</I> The timeframes are as follows:</P>
<P>(1) <I>Standard resolution of appeals.</I> No longer than 30 calendar days.</P>
<FP>(2) Extension by up to 14 calendar days.</FP>
<GPOTABLE COLS="2"><BOXHD><CHED H="1">Request</CHED><CHED H="1">Days</CHED></BOXHD>
<ROW><ENT I="01">Standard</ENT><ENT>30</ENT></ROW></GPOTABLE>
<CITA TYPE="N">[81 FR 27853, May 6, 2016]</CITA>
</DIV8>
<DIV8 N="§ 438.410" TYPE="SECTION"><HEAD>§ 438.410   Expedited resolution of appeals.</HEAD>
<P>(a) <I>General rule.</I> Each plan keeps an expedited process.</P>
<EDNOTE><HED>Editorial Note:</HED><PSPACE>A note of the editors.</PSPACE></EDNOTE>
</DIV8>
<DIV8 N="§ 438.411" TYPE="SECTION"><HEAD>§ 438.411 [Reserved]</HEAD></DIV8>
</DIV6></DIV5>{close}</ECFR>
"""


def _write(tmp_path: Path, with_title: bool = True) -> Path:
    opened = '<DIV1 N="42" TYPE="TITLE"><HEAD>Title 42—Public Health</HEAD>' if with_title else ""
    path = tmp_path / "part438.xml"
    path.write_text(PART.format(open=opened, close="</DIV1>" if with_title else ""))
    return path


def test_each_section_of_an_ecfr_file_is_its_own_regulation_document(tmp_path: Path) -> None:
    docs = load_documents(_write(tmp_path), MB)
    assert [d.meta.doc_id for d in docs] == ["42 CFR 438.408", "42 CFR 438.410"]
    first = docs[0].meta
    assert first.citation == "42 CFR 438.408"
    assert first.doc_type is DocType.regulation
    assert first.title == "§ 438.408 Resolution and notification: Grievances and appeals."
    assert any("empty section" in w for w in docs[0].warnings)


def test_ecfr_paragraphs_keep_their_designations_one_per_markdown_paragraph(
    tmp_path: Path,
) -> None:
    text = load_documents(_write(tmp_path), MB)[0].text
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "# § 438.408 Resolution and notification: Grievances and appeals."
    assert "(a) Basic rule. Each plan resolves each appeal as fast as the condition requires." in (
        paragraphs
    )
    assert "(b) Specific timeframes. The timeframes are as follows:" in paragraphs
    assert "(1) Standard resolution of appeals. No longer than 30 calendar days." in paragraphs
    assert "(2) Extension by up to 14 calendar days." in paragraphs
    assert "- Standard — Days: 30" in text  # a table row names its column


def test_ecfr_authority_source_citation_and_editorial_notes_are_not_text(tmp_path: Path) -> None:
    docs = load_documents(_write(tmp_path), MB)
    joined = "\n".join(d.text for d in docs)
    for apparatus in ("81 FR 27853", "U.S.C. 1302", "67 FR 41095", "A note of the editors"):
        assert apparatus not in joined


def test_ecfr_without_title_div_takes_the_title_from_the_part_with_a_warning(
    tmp_path: Path,
) -> None:
    docs = load_documents(_write(tmp_path, with_title=False), MB)
    assert docs[0].meta.doc_id == "42 CFR 438.408"
    assert any("title number is not stated" in w for w in docs[0].warnings)


def test_malformed_xml_is_skipped_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text('<ECFR><DIV8 N="§ 1.1"><P>(a) text</DIV8></ECFR>')
    with pytest.raises(DocumentSkipped, match=r"malformed XML \(mismatched tag: line 1"):
        load_documents(path, MB)


def test_xml_without_ecfr_structure_is_read_as_plain_paragraphs_with_a_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<notes><note>First remark.</note><note>Second remark.</note></notes>")
    (doc,) = load_documents(path, MB)
    assert doc.text == "First remark.\n\nSecond remark.\n"
    assert any("plain paragraphs" in w for w in doc.warnings)


def test_xml_declaring_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(DocumentSkipped, match="declares entities"):
        load_documents(path, MB)


def test_flush_paragraph_after_a_designated_one_closes_it(tmp_path: Path) -> None:
    xml = """<DIV8 N="422.137" TYPE="SECTION"><HEAD>§ 422.137 UM committee.</HEAD>
<P>(c) <E T="03">Membership.</E> The committee must meet each of the following:</P>
<P>(1) Practicing physicians are a majority of the members.</P>
<P>(2) At least one member has expertise in health equity.</P>
<FP>The requirement in paragraph (c)(5) of this section applies beginning January 1, 2025.</FP>
<P>(d) <E T="03">Duties.</E> The committee reviews the policies yearly.</P></DIV8>"""
    (tmp_path / "422.137.xml").write_text(xml)
    (doc,) = load_documents(tmp_path / "422.137.xml", MB)
    units = {u.citation: u.text for c in chunk_document(doc) for u in c.units}
    assert units["42 CFR 422.137(c)(2)"] == (
        "(2) At least one member has expertise in health equity. The requirement in paragraph "
        "(c)(5) of this section applies beginning January 1, 2025."
    )
    assert len(units) == 4  # (c), (c)(1), (c)(2), (d): the flush paragraph is no unit of its own
