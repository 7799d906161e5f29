"""junit.xml: one test case per eval case, grouped by case type, plus the gate itself, so a CI
system shows which cases failed and why without opening the HTML report."""

import xml.etree.ElementTree as ET
from pathlib import Path

from evals.results import RunResults


def build(results: RunResults) -> ET.Element:
    root = ET.Element("testsuites", name=f"careassist eval {results.dataset.get('name', '')}")
    by_type: dict[str, list] = {}
    for case in results.cases:
        by_type.setdefault(case.type, []).append(case)
    for kind in sorted(by_type):
        cases = by_type[kind]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"eval.{kind}",
            tests=str(len(cases)),
            failures=str(sum(c.status == "fail" for c in cases)),
            errors=str(sum(c.status == "error" for c in cases)),
            time=f"{sum(c.latency_s for c in cases):.3f}",
        )
        for case in cases:
            test = ET.SubElement(
                suite,
                "testcase",
                classname=f"eval.{kind}.{case.role}",
                name=case.id,
                time=f"{case.latency_s:.3f}",
            )
            if case.status == "error":
                node = ET.SubElement(
                    test, "error", message=case.error or "error", type="AgentError"
                )
                node.text = case.error or ""
            elif case.status == "fail":
                node = ET.SubElement(
                    test, "failure", message=case.failures[0] if case.failures else "failed"
                )
                node.text = "\n".join(case.failures)
            out = ET.SubElement(test, "system-out")
            out.text = f"Q: {case.question}\nA: {case.answer}"
    gate = results.gate
    suite = ET.SubElement(
        root,
        "testsuite",
        name="eval.gate",
        tests="1",
        failures="0" if gate.passed else "1",
        errors="0",
        time="0",
    )
    test = ET.SubElement(suite, "testcase", classname="eval.gate", name="thresholds")
    if not gate.passed:
        node = ET.SubElement(test, "failure", message=gate.failures[0])
        node.text = "\n".join(gate.failures)
    total = len(results.cases) + 1
    root.set("tests", str(total))
    root.set("failures", str(results.summary.failed + (0 if gate.passed else 1)))
    root.set("errors", str(results.summary.errors))
    return root


def write_junit(results: RunResults, path: Path) -> None:
    tree = ET.ElementTree(build(results))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
