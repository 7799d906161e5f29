"""Every setting is documented in .env.example, and nothing there is stale."""

import re

from bot.settings import BotSettings
from retrieval.settings import RetrievalSettings
from tests.conftest import REPO
from tools.settings import ToolsSettings


def env_names() -> set[str]:
    names = set()
    for cls in (RetrievalSettings, ToolsSettings, BotSettings):
        for name, field in cls.model_fields.items():
            alias = field.validation_alias
            choices = getattr(alias, "choices", None)
            names.add(str(choices[0]) if choices else "CAREASSIST_" + name.upper())
    return names


def test_env_example_lists_every_setting_and_only_those() -> None:
    text = (REPO / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", text, re.M))
    assert listed == env_names()
