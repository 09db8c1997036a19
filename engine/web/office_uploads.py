"""A new batch from the upload form (POST ``/office/batches``; the route is in engine.web.office).

The files (many, or zips of them) are saved by engine.web.uploads into a folder of the upload's own
under ``<data_dir>/uploads/``, and only when some were taken is the batch's row made and the folder
moved to the batch's ``inputs/`` (engine.web.batches.BatchFolder), so that a batch is queued only once
its files are all there, and a refused upload leaves nothing behind. The names the files were sent
under go into the batch's ``names.json`` (for display, each name distinct: the files are named by
uploads.py, and the pages show the names: engine.render.shown), and every
file refused into its ``notes.json`` with the reason: listed on the batch page, never dropped.
An upload past the size limit is refused whole (413), so that the office never gets half a batch
without noticing: it is told to split it.
"""
from __future__ import annotations

import json
import secrets
import shutil
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from ..history import web_batches
from .batches import BatchFolder, NotAudited, runner
from .security import current_account
from .state import state
from .uploads import Limits, save_uploads, size_text

#: The longest batch title taken.
LONGEST_TITLE = 200


def upload() -> Any:
    web = state()
    config, store = web.config, web.store
    title = " ".join(request.form.get("title", "").split())[:LONGEST_TITLE]
    files = [item for item in request.files.getlist("files") if item.filename]
    if not files:
        return _refused("请选择要审核的报告文件（可多选，或选一个 zip 压缩包）。", [], 400)
    staging = config.data_dir / "uploads" / secrets.token_hex(16)
    try:
        saved = save_uploads(files, staging, Limits.batch(config))
        if saved.oversized or not saved.taken:
            why = (f"上传的文件合计超过 {size_text(config.batch_bytes)} 的上限，本批次未保存，请分成几批上传。"
                   if saved.oversized else "上传的文件都未能保存，本批次未建立。")
            return _refused(why, saved.refused, 413 if saved.oversized else 400)
        by = current_account().name
        title = title or f"{datetime.now().astimezone():%Y-%m-%d %H:%M} 上传的 {len(saved.taken)} 个文件"
        batch = store.write(lambda c: web_batches.add_batch(c, store.tables, title, by, len(saved.taken)))
        folder = BatchFolder.of(config.data_dir, batch)
        shutil.rmtree(folder.root, ignore_errors=True)  # left by a store since replaced: the id is new
        folder.root.mkdir(parents=True)
        staging.rename(folder.inputs)
        shown = dict(zip([upload.path.name for upload in saved.taken],
                         distinct([upload.name for upload in saved.taken]), strict=True))
        folder.names_file.write_text(json.dumps(shown, ensure_ascii=False, indent=1), encoding="utf-8")
        folder.note([NotAudited(name, reason) for name, reason in saved.refused])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    runner(web).submit(batch)
    refused = f"；{len(saved.refused)} 个文件未保存（见批次页面）" if saved.refused else ""
    flash(f"已上传 {len(saved.taken)} 个文件{refused}，正在排队审核。", "ok")
    return redirect(url_for("office.batch_page", batch=batch))


def distinct(names: list[str]) -> list[str]:
    """The names the files are shown under, told apart where several were sent under one name (the
    second ``报告.docx`` is shown as ``报告.docx（同名第2个）``): on the pages, each name shown is one file."""
    taken, seen, shown = set(names), set(), []
    for name in names:
        if name in seen:
            n = 2
            while (other := f"{name}（同名第{n}个）") in taken:
                n += 1
            taken.add(other)
            name = other
        seen.add(name)
        shown.append(name)
    return shown


def form(refused: tuple[NotAudited, ...] = ()) -> str:
    """The batches page: the upload form (with the files of a refused upload and why), the batches."""
    store, config = state().store, state().config
    batches = store.read(lambda c: web_batches.all_batches(c, store.tables))
    return render_template("office_batches.html", batches=batches, limits=config,
                           batch_size=size_text(config.batch_bytes), refused=refused)


def _refused(message: str, refused: list[tuple[str, str]], status: int) -> Any:
    flash(message, "error")
    return form(tuple(NotAudited(name, reason) for name, reason in refused)), status
