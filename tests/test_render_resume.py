"""Resume by content: a sheet is skipped only when it was rendered from the same inputs (issue 16 §3)."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import attrs
import openpyxl
import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_render import demo_sheet, pdf_text  # noqa: E402

import evalkit._files as files  # noqa: E402
from evalkit.cli import main  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.io.workbook import SCORES_SHEET  # noqa: E402
from evalkit.render import Sheet, render_html, render_pdf, run_batch  # noqa: E402
from evalkit.render._batch import MANIFEST_NAME, sheet_fingerprints  # noqa: E402
from evalkit.render._env import _fs_templates_dir  # noqa: E402
from tests._io_helpers import filled_workbook, header_ids, person  # noqa: E402


def team(n: int = 3) -> list[Sheet]:
    """``n`` sheets of distinct people."""
    return [demo_sheet(f"Người {i}", staff_id=f"CC-{i:04d}") for i in range(n)]


def stamps(paths: tuple[Path, ...]) -> list[int]:
    """Modification times, to see which files were rewritten."""
    return [p.stat().st_mtime_ns for p in paths]


class TestFingerprint:
    """What the fingerprint depends on."""

    def test_the_same_sheet_has_the_same_fingerprint_in_every_process(self) -> None:
        """Stable across processes (no hash randomisation, no object addresses)."""
        import subprocess

        code = ("import sys; sys.path[:0] = ['tests', '.']\n"
                "from test_render import demo_sheet\n"
                "from evalkit.render._batch import sheet_fingerprints\n"
                "print(sheet_fingerprints([demo_sheet()])[0])")  # fmt: skip
        root = Path(__file__).resolve().parents[1]
        outs = {
            subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
                           ).stdout.strip()
            for seed in ("1", "2")
        }  # fmt: skip
        assert outs == {sheet_fingerprints([demo_sheet()])[0]}

    def test_every_input_of_the_sheet_changes_the_fingerprint(self) -> None:
        """A comment, a discipline, a name, the language or the PDF variant: each counts."""
        base = demo_sheet()
        variants = [
            demo_sheet(comment="Đã sửa."),
            demo_sheet(discipline=1),
            demo_sheet("Tên khác"),
            attrs.evolve(base, signed_on=None),
        ]
        fp = sheet_fingerprints([base, *variants])
        assert len(set(fp)) == len(fp)
        assert sheet_fingerprints([base], lang="en") != sheet_fingerprints([base])
        assert sheet_fingerprints([base], pdf_variant="pdf/a-3b") != sheet_fingerprints([base])
        assert sheet_fingerprints([base]) == sheet_fingerprints([demo_sheet()])

    def test_an_agency_template_file_changes_the_fingerprint(self, tmp_path: Path) -> None:
        """Editing the agency's custom.css re-renders every sheet."""
        (tmp_path / "custom.css").write_text("body { color: black }")
        before = sheet_fingerprints([demo_sheet()], template_dir=tmp_path)
        (tmp_path / "custom.css").write_text("body { color: navy }")
        assert sheet_fingerprints([demo_sheet()], template_dir=tmp_path) != before


class TestResume:
    """run_batch with resume=True skips exactly the sheets whose PDF is current."""

    def test_an_unchanged_batch_is_skipped_entirely(self, tmp_path: Path) -> None:
        """The second run of the same sheets writes nothing."""
        first = run_batch(team(), tmp_path, executor="serial")
        before = stamps(first.paths)
        again = run_batch(team(), tmp_path, executor="serial")
        assert (again.written, again.skipped) == (0, 3)
        assert stamps(again.paths) == before
        doc = json.loads((tmp_path / MANIFEST_NAME).read_text())
        assert sorted(doc["files"]) == sorted(p.name for p in first.paths)

    def test_a_changed_input_rewrites_that_sheet_only(self, tmp_path: Path) -> None:
        """The stale-sheet reproduction: after a correction the sheet shows the new data."""
        sheets = team()
        first = run_batch(sheets, tmp_path, executor="serial")
        before = stamps(first.paths)
        fixed = demo_sheet("Người 1", staff_id="CC-0001", comment="Nhận xét đã sửa.")
        second = run_batch([sheets[0], fixed, sheets[2]], tmp_path, executor="serial")
        assert (second.written, second.skipped) == (1, 2)
        after = stamps(second.paths)
        assert after[0] == before[0] and after[2] == before[2] and after[1] != before[1]
        assert second.paths[1].read_bytes() == render_pdf(fixed)

    def test_no_resume_rewrites_every_sheet(self, tmp_path: Path) -> None:
        """resume=False renders all, even when current."""
        run_batch(team(), tmp_path, executor="serial")
        again = run_batch(team(), tmp_path, executor="serial", resume=False)
        assert (again.written, again.skipped) == (3, 0)

    def test_resume_must_be_a_boolean(self, tmp_path: Path) -> None:
        """resume is explicit: a truthy string is refused rather than guessed."""
        with pytest.raises(RenderError, match="resume must be True or False"):
            run_batch(team(1), tmp_path, executor="serial", resume="no")  # type: ignore[arg-type]

    def test_a_pdf_without_a_manifest_entry_is_rendered_again(self, tmp_path: Path) -> None:
        """A file of an older evalkit, or copied in by hand, is not trusted."""
        sheets = team(2)
        first = run_batch(sheets, tmp_path, executor="serial")
        (tmp_path / MANIFEST_NAME).unlink()
        first.paths[0].write_bytes(b"%PDF-1.4 stale")
        again = run_batch(sheets, tmp_path, executor="serial")
        assert (again.written, again.skipped) == (2, 0)
        assert first.paths[0].read_bytes() == render_pdf(sheets[0])

    def test_a_pdf_replaced_after_rendering_is_rendered_again(self, tmp_path: Path) -> None:
        """The manifest records size and time: a file swapped afterwards is redone."""
        sheets = team(2)
        first = run_batch(sheets, tmp_path, executor="serial")
        first.paths[1].write_bytes(b"%PDF-1.4 someone else's file")
        again = run_batch(sheets, tmp_path, executor="serial")
        assert (again.written, again.skipped) == (1, 1)
        assert first.paths[1].read_bytes() == render_pdf(sheets[1])

    @pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": "other", "files": {}}',
                                         b'{"format": "evalkit-render-manifest/1", "files": []}'])
    def test_a_damaged_manifest_means_everything_is_rendered(
        self, tmp_path: Path, content: bytes
    ) -> None:
        """A manifest that cannot be read is ignored, never an error."""
        run_batch(team(2), tmp_path, executor="serial")
        (tmp_path / MANIFEST_NAME).write_bytes(content)
        again = run_batch(team(2), tmp_path, executor="serial")
        assert (again.written, again.skipped) == (2, 0)

    def test_a_killed_runs_temporary_is_removed_by_the_next_batch(self, tmp_path: Path) -> None:
        """A hidden .tmp of a dead process disappears when the folder is rendered again."""
        stale = tmp_path / f".x.pdf.evalkit-{files._HOST}-999999999-0123abcd.tmp"
        stale.write_bytes(b"half")
        files._CLEANED.clear()
        run_batch(team(1), tmp_path, executor="serial")
        assert not stale.exists()

    def test_files_are_readable_by_group_and_others_under_umask_022(self, tmp_path: Path) -> None:
        """Issue 15 §2: PDFs and the manifest are 0644 under umask 022."""
        old = os.umask(0o022)
        try:
            report = run_batch(team(1), tmp_path, executor="serial")
        finally:
            os.umask(old)
        for p in (*report.paths, tmp_path / MANIFEST_NAME):
            assert p.stat().st_mode & 0o777 == 0o644


class TestCliRerender:
    """`evalkit render` of a corrected workbook into the same folder (issue 16 reproduction)."""

    def test_a_corrected_discipline_reaches_the_persons_sheet(self, tmp_path: Path) -> None:
        """A reprimand typed after the first render reaches the sheet (a month NĐ 335 only
        scores: the discipline is stated as a fact for the year), like the summary."""
        book = filled_workbook(tmp_path / "t.xlsx", [person("CC-1"), person("CC-2")])
        out = tmp_path / "phieu"
        assert main(["render", str(book), "--out", str(out)], stdout=io.StringIO()) == 0
        sheet_pdf = next(p for p in out.glob("*CC-1*.pdf"))
        first = sheet_pdf.read_bytes()
        assert "Bị kỷ luật" not in " ".join(pdf_text(first)[1].split())
        wb = openpyxl.load_workbook(book)
        ws = wb[SCORES_SHEET]
        ws.cell(row=2, column=header_ids(ws).index("discipline") + 1).value = 1
        wb.save(book)
        other = next(p for p in out.glob("*CC-2*.pdf"))
        other_stamp = other.stat().st_mtime_ns
        assert main(["render", str(book), "--out", str(out)], stdout=io.StringIO()) == 0
        text = " ".join(pdf_text(sheet_pdf.read_bytes())[1].split())
        assert "Bị kỷ luật từ khiển trách trở lên" in text
        assert other.stat().st_mtime_ns == other_stamp  # unchanged person: skipped


class TestTemplateConfinement:
    """Issue 16: include/extends reach only real files inside the template folders."""

    @pytest.fixture
    def agency(self, tmp_path: Path) -> Path:
        """An agency folder whose sheet template includes a partial."""
        folder = tmp_path / "agency"
        folder.mkdir()
        src = (_fs_templates_dir() / "sheet.html.j2").read_text(encoding="utf-8")
        (folder / "sheet.html.j2").write_text('{% include "header.html.j2" %}' + src,
                                             encoding="utf-8")  # fmt: skip
        return folder

    def test_a_real_partial_inside_the_folder_is_included(self, agency: Path) -> None:
        """The ordinary case works."""
        (agency / "header.html.j2").write_text("<!-- đầu trang cơ quan -->", encoding="utf-8")
        assert "đầu trang cơ quan" in render_html(demo_sheet(), template_dir=agency)

    @pytest.mark.skipif(os.name != "posix", reason="symbolic links")
    def test_a_symlink_to_a_file_outside_is_refused_naming_the_template(
        self, agency: Path, tmp_path: Path
    ) -> None:
        """header.html.j2 -> a secret file: RenderError, and the secret is not printed."""
        secret = tmp_path / "secret.txt"
        secret.write_text("root:x:0:0:MẬT", encoding="utf-8")
        (agency / "header.html.j2").symlink_to(secret)
        with pytest.raises(RenderError, match=r"template 'header\.html\.j2' is refused") as info:
            render_html(demo_sheet(), template_dir=agency)
        assert "outside the template folder" in str(info.value)
        with pytest.raises(RenderError, match=r"header\.html\.j2"):
            render_pdf(demo_sheet(), template_dir=agency)

    @pytest.mark.skipif(os.name != "posix", reason="symbolic links")
    def test_a_symlinked_folder_pointing_outside_is_refused(
        self, agency: Path, tmp_path: Path
    ) -> None:
        """parts/ -> elsewhere: a file reached through it is outside too."""
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "h.html.j2").write_text("x")
        (agency / "parts").symlink_to(elsewhere, target_is_directory=True)
        (agency / "sheet.html.j2").write_text('{% include "parts/h.html.j2" %}')
        with pytest.raises(RenderError, match=r"template 'parts/h\.html\.j2' is refused"):
            render_html(demo_sheet(), template_dir=agency)

    @pytest.mark.parametrize("name", ["../secret.html.j2", "/etc/passwd", "a/../../b.html.j2"])
    def test_a_name_leaving_the_folder_is_refused(self, agency: Path, name: str) -> None:
        """'..' and absolute names in include/extends: RenderError naming the template."""
        (agency / "sheet.html.j2").write_text(f'{{% extends "{name}" %}}')
        with pytest.raises(RenderError, match=re.escape(f"template {name!r} is refused")):
            render_html(demo_sheet(), template_dir=agency)
