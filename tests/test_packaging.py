"""The built wheel carries the prompts and schemas and finds them outside the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (found,) = out.glob("agreement_summarizer-*.whl")
    return found


def test_wheel_contains_prompts_and_schemas(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for prompt in (ROOT / "prompts").glob("*.jinja"):
        assert f"summarizer/_data/prompts/{prompt.name}" in names
    assert "summarizer/_data/schemas/agreement.v1.json" in names
    # The calibration the confidence of every record is computed with.
    assert "summarizer/extract/rules/calibration.json" in names


def test_installed_wheel_loads_prompts_and_schemas_outside_the_checkout(
    wheel: Path, tmp_path: Path
):
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    code = (
        "import json, summarizer, summarizer.extract.model.prompt as p\n"
        f"assert summarizer.__file__.startswith({str(site)!r}), summarizer.__file__\n"
        "assert p.load_prompt('articles').render(document='x')[1]['content']\n"
        "schema = json.loads((p.schemas_dir() / 'agreement.v1.json').read_text())\n"
        "from summarizer.extract.rules.confidence import shipped_calibration\n"
        "assert shipped_calibration().kinds, 'the calibration ships with the package'\n"
        "print(p.prompts_dir(), schema['title'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert str(site) in result.stdout
    assert "SummaryResult" in result.stdout
