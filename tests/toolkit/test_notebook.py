"""The client in a real Jupyter kernel (ipykernel, driven by nbclient): its event loop is running
while cells execute, which is where `asyncio.run` inside a library breaks."""

from __future__ import annotations

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")


CELLS = [
    "import asyncio, pinecone_backups as pb\n"
    "from pinecone_backups.testing import Emulator\n"
    "emu = Emulator().start()\n"
    "client = pb.Client(api_key=emu.api_key, host=emu.url)",
    "asyncio.get_running_loop() is not None  # the kernel's loop runs under this cell",
    "page = client.list_index_backups('docs-example')\nlen(page)",
    "[b.record_count for b in client.iter_index_backups('big-index', page_size=10)][:3]",
    "try:\n    client.list_index_backups('missing')\n"
    "except pb.NotFoundError as e:\n    print(e.code)",
    "aclient = pb.AsyncClient(api_key=emu.api_key, host=emu.url)\n"
    "len(await aclient.list_index_backups('docs-example'))  # top-level await",
    "[b.name async for b in aclient.iter_index_backups('my-index')]",
    "client.close(); emu.stop()",
]


def test_cells_run_in_a_kernel() -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    outputs = [cell.outputs for cell in notebook.cells]
    assert outputs[1][0]["data"]["text/plain"] == "True"
    assert outputs[2][0]["data"]["text/plain"] == "3"
    assert outputs[3][0]["data"]["text/plain"] == "[80000, 78750, 77500]"
    assert outputs[4][0]["text"] == "NOT_FOUND\n"
    assert outputs[5][0]["data"]["text/plain"] == "3"
    assert outputs[6][0]["data"]["text/plain"] == "['backup_2024_03_20', 'backup_2024_03_15']"
