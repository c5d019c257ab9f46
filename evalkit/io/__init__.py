"""Data in and out: fill-in workbooks, task-tracker import, JSON, and the archive.

The submodules import pandas and openpyxl, so they are imported on demand::

    from evalkit.io.workbook import read_workbook, write_template
    from evalkit.io.tasks import task_components
    from evalkit.io.jsonio import to_json, from_json
    from evalkit.io.archive import Archive

Every writer is atomic (a temporary file in the same directory, then ``os.replace``):
a crash never leaves half a file where a good one was.
"""

from __future__ import annotations

__all__: list[str] = []
