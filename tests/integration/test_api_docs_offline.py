"""/docs and /redoc work without the internet: every script, style and icon they load is served
by this app from an installed package, never from a CDN."""

import re
import subprocess
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest

from tests.conftest import require_chromium
from tests.integration.api_stack import ApiStack, api_stack

REFERENCE_RE = re.compile(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiStack]:
    with api_stack(tmp_path_factory.mktemp("docs")) as s:
        yield s


def references(html: str) -> list[str]:
    return REFERENCE_RE.findall(html)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_page_loads_only_assets_this_app_serves(stack: ApiStack, page: str) -> None:
    with stack.client() as c:
        r = c.get(page)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        found = references(r.text)
        scripts = [u for u in found if u.endswith(".js")]
        assert scripts, r.text
        assert "/openapi.json" in found
        for url in found:
            assert not re.match(r"^(https?:)?//", url), f"{page} loads {url} from outside"
            asset = c.get(urljoin(page, url))
            assert asset.status_code == 200, url
            assert len(asset.content) > 1000 or url.endswith(".json"), url
        assert "fonts.googleapis" not in r.text


@pytest.mark.parametrize(
    ("page", "marker"), [("/docs", "opblock-summary"), ("/redoc", "operation-type")]
)
def test_headless_chromium_renders_the_operations_offline(
    stack: ApiStack, page: str, marker: str
) -> None:
    browser = require_chromium()
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--virtual-time-budget=15000",
        "--dump-dom",
    ]
    done = subprocess.run(
        [browser, *flags, stack.url + page], capture_output=True, text=True, timeout=120
    )
    assert marker in done.stdout, done.stderr[-2000:]
    assert "/v1/deadlines" in done.stdout
