"""Why the system refused a file, in Chinese: ``[Errno 13] Permission denied`` means nothing to an office.

The reasons an office meets (a file gone, no permission, a folder where a file was expected, a full or
read-only disk, a name too long) are said in Chinese; any other keeps the system's own words.
"""
from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限读写（请检查文件的权限，或换一个当前用户能读写的位置）",
    errno.EPERM: "操作不被允许（请检查文件的权限）",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.ENOSPC: "磁盘空间已满",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EMFILE: "同时打开的文件太多",
    errno.EIO: "读写磁盘时出错（磁盘或网络存储可能有故障）",
    errno.EEXIST: "同名的文件已存在",
}


def os_reason(error: OSError) -> str:
    """What went wrong, in Chinese where it is one of the usual reasons, else the system's words."""
    return _REASONS.get(error.errno, error.strerror or str(error))


def process_end(code: int | None) -> str:
    """How a process ended, from its exit code as multiprocessing gives it (negative: the signal that
    ended it; None: not known, it had not ended when asked)."""
    return "原因不明" if code is None else f"信号 {-code}" if code < 0 else f"退出码 {code}"
