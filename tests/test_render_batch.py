"""One PDF per person at month end: names, atomic writes, resume, executors (issue 6 §4)."""

from __future__ import annotations

import concurrent.futures as cf
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_render import demo_sheet, pdf_text  # noqa: E402

import evalkit.render._batch as batch  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.render import Sheet, render_pdf, run_batch, write_pdfs  # noqa: E402

NAMES = ["Lê Văn Bình", "Trần Thị Cúc", "Phạm Quốc Đạt", "Hoàng Yến Nhi", "Vũ Đức Ánh"]


def team(n: int = 5) -> list[Sheet]:
    """``n`` sheets of distinct people in one unit."""
    return [demo_sheet(f"{NAMES[i % len(NAMES)]} {i}", staff_id=f"CC-{i:04d}") for i in range(n)]


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


class TestWritePdfs:
    """The batch writer's contract."""

    def test_one_pdf_per_person_with_deterministic_names(self, tmp_path: Path) -> None:
        """Each sheet becomes {period}_{unit}_{id}_{name}.pdf holding that person's sheet."""
        sheets = team(3)
        paths = write_pdfs(sheets, tmp_path, executor="serial")
        assert [p.name for p in paths] == [
            "2026-03_P-TCCB_CC-0000_Le_Van_Binh_0.pdf",
            "2026-03_P-TCCB_CC-0001_Tran_Thi_Cuc_1.pdf",
            "2026-03_P-TCCB_CC-0002_Pham_Quoc_Dat_2.pdf",
        ]
        for sheet, path in zip(sheets, paths, strict=True):
            assert path.read_bytes() == render_pdf(sheet)
            assert sheet.staff.full_name in pdf_text(path.read_bytes())[1]
        assert leftovers(tmp_path) == []

    def test_resume_skips_finished_files(self, tmp_path: Path) -> None:
        """A second run leaves existing files untouched and writes only the missing ones."""
        sheets = team(3)
        first = run_batch(sheets[:2], tmp_path, executor="serial")
        assert (first.written, first.skipped) == (2, 0)
        stamp = {p: p.stat().st_mtime_ns for p in first.paths}
        second = run_batch(sheets, tmp_path, executor="serial")
        assert (second.written, second.skipped) == (1, 2)
        assert {p: p.stat().st_mtime_ns for p in first.paths} == stamp
        again = run_batch(sheets, tmp_path, executor="serial", resume=False)
        assert (again.written, again.skipped) == (3, 0)

    def test_a_failure_mid_batch_leaves_no_partial_pdf(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When writing the second file fails, no temporary or half-written file remains,
        and none of the batch's files (the month's sheets are all written or none, as the
        summaries and the annual sheets are)."""
        real_replace = os.replace
        calls = {"n": 0}

        def flaky_replace(src: str, dst: str) -> None:
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError("disk full")
            real_replace(src, dst)

        monkeypatch.setattr(batch.os, "replace", flaky_replace)
        with pytest.raises(OSError, match="disk full"):
            write_pdfs(team(3), tmp_path, executor="serial")
        assert leftovers(tmp_path) == []
        assert list(tmp_path.iterdir()) == []

    def test_a_failure_in_a_late_chunk_leaves_the_folder_as_it_was(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A finished batch of two sheets, then a batch of four (one sheet corrected, two
        new) whose last chunk fails: the folder holds the first batch's files, unchanged,
        and its manifest, so the next run resumes from them; nothing of the failed run."""
        import attrs

        sheets = team(4)
        first = run_batch(sheets[:2], tmp_path, executor="serial")
        before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        assert sorted(before) == [".evalkit-manifest.json", *(p.name for p in first.paths)]
        fixed = attrs.evolve(sheets[1], assessment=attrs.evolve(
            sheets[1].assessment, self_comment="Đã sửa nhận xét."))  # fmt: skip
        real = batch.render_pdf
        calls: list[str] = []

        def failing(sheet: Sheet, **kw: object) -> bytes:
            calls.append(sheet.staff.id)
            if len(calls) == 3:  # the last chunk (chunks of one)
                raise RuntimeError("injected: a late chunk fails")
            return real(sheet, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(batch, "render_pdf", failing)
        with pytest.raises(RuntimeError, match="injected"):
            run_batch([sheets[0], fixed, *sheets[2:]], tmp_path, executor="serial", chunk_size=1)
        assert calls == ["CC-0001", "CC-0002", "CC-0003"]  # CC-0000 is up to date
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
        monkeypatch.setattr(batch, "render_pdf", real)
        again = run_batch([sheets[0], fixed, *sheets[2:]], tmp_path, executor="serial")
        assert (again.written, again.skipped) == (3, 1)
        assert "Đã sửa nhận xét." in pdf_text(again.paths[1].read_bytes())[1]

    def test_two_people_sharing_a_file_name_are_refused_before_writing(
        self, tmp_path: Path
    ) -> None:
        """Ids that differ only in case share a name on Windows and macOS: RenderError naming
        both and the cause; nothing is written. (Ids that sanitise alike, 'CC/1' and 'CC_1',
        get distinct names now: audit 17 #4, tests/test_render_file_names.py.)"""
        a = demo_sheet("An", staff_id="cc_1")
        b = demo_sheet("An", staff_id="CC_1")
        with pytest.raises(RenderError, match=r"'cc_1' and staff 'CC_1'.*only in upper/lower"):
            write_pdfs([a, b], tmp_path, executor="serial")
        assert list(tmp_path.iterdir()) == []

    def test_long_ids_sharing_their_first_40_characters_get_distinct_files(
        self, tmp_path: Path
    ) -> None:
        """Audit 16 (long_ids): two 44-character ids sharing their first 40 characters were
        refused ("make their ids distinct"); each file keeps a hash of its whole id."""
        ids = ["NV-" + "0" * 40 + "1", "NV-" + "0" * 40 + "2"]
        sheets = [demo_sheet("An", staff_id=i) for i in ids]
        paths = write_pdfs(sheets, tmp_path, executor="serial")
        assert len({p.name for p in paths}) == 2
        for sheet, path in zip(sheets, paths, strict=True):
            assert path.parent == tmp_path and path.name.isascii()
            assert path.name.startswith("2026-03_P-TCCB_NV-" + "0" * 20)
            assert path.read_bytes() == render_pdf(sheet)

    def test_a_thread_pool_is_accepted_as_executor(self, tmp_path: Path) -> None:
        """Any concurrent.futures.Executor runs the chunks; results equal the serial ones."""
        sheets = team(4)
        with cf.ThreadPoolExecutor(2) as pool:
            paths = write_pdfs(sheets, tmp_path, executor=pool, chunk_size=1, progress=True)
        assert [p.read_bytes() for p in paths] == [render_pdf(s) for s in sheets]

    def test_the_default_process_pool_writes_identical_files(self, tmp_path: Path) -> None:
        """The default executor (a process pool, chunks of 2) writes the serial bytes."""
        sheets = team(4)
        report = run_batch(sheets, tmp_path, chunk_size=2, max_workers=2)
        assert report.written == 4
        assert report.max_rss_kib_by_pid and os.getpid() not in report.max_rss_kib_by_pid
        assert [p.read_bytes() for p in report.paths] == [render_pdf(s) for s in sheets]

    def test_a_bad_executor_is_refused(self, tmp_path: Path) -> None:
        """An unknown executor spec raises RenderError naming it."""
        with pytest.raises(RenderError, match="'dask'"):
            write_pdfs(team(1), tmp_path, executor="dask")  # type: ignore[arg-type]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc only")
def test_a_workers_peak_memory_is_its_own_not_its_parents() -> None:
    """A process started by exec reports its own VmHWM, not the ru_maxrss it inherited."""
    import subprocess

    code = (
        "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096]); import os, sys; "
        "os.execv(sys.executable, [sys.executable, '-c', "
        "'import resource; from evalkit.render._batch import _max_rss_kib; "
        "print(_max_rss_kib(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    own, inherited = (int(x) for x in out.stdout.split())
    assert inherited > 300 * 1024 > own


class TestDask:
    """Dask distributed is the engine for several machines (issue 6 §4)."""

    def test_a_dask_local_cluster_executor_writes_the_same_files(self, tmp_path: Path) -> None:
        """Client.get_executor() plugs into write_pdfs; the files equal the serial render."""
        distributed = pytest.importorskip("distributed")
        sheets = team(3)
        with (
            distributed.LocalCluster(
                n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            paths = write_pdfs(sheets, tmp_path, executor=client.get_executor(), chunk_size=2)
        assert [p.read_bytes() for p in paths] == [render_pdf(s) for s in sheets]
