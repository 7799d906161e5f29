"""The migrations ship with the package and run from any working directory."""

import subprocess
import sys
from importlib import resources
from pathlib import Path


def test_migration_scripts_are_package_resources() -> None:
    migrations = resources.files("tools") / "migrations"
    assert (migrations / "env.py").is_file()
    assert (migrations / "script.py.mako").is_file()
    assert (migrations / "versions" / "0001_initial.py").is_file()
    import tools.migrations.versions  # a package, so wheels include every revision  # noqa: F401


def test_init_db_works_outside_the_repository(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "store.db"
    code = (
        "from alembic.runtime.migration import MigrationContext\n"
        "from tools.db import Database, init_db\n"
        f"init_db('sqlite:///{target}')\n"
        f"with Database.from_url('sqlite:///{target}').engine.connect() as conn:\n"
        "    print(MigrationContext.configure(conn).get_current_revision())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and target.is_file()
