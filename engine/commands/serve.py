"""``ogi-audit serve [--host 127.0.0.1] [--port 8000] [--db URL] [--data DIR] [--rules DIR]
[--settings FILE] [--jobs N]``: the web app (engine.web) on waitress.

It listens on 127.0.0.1 unless told otherwise: an office puts it behind its own web server (TLS,
its domain login) rather than open it to the network as it is. Exit status: 0 after Ctrl-C, 2 for bad
usage or a store, settings or rules that cannot be used (said before the server starts).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import RULES_DIR
from ..history import ENVIRONMENT, default_path

BAD_INPUT = 2
#: Threads answering requests: enough for 20 self-checks at once and the office's clicks beside them.
THREADS = 32


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..web.config import WebConfig
    defaults = WebConfig()
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只在本机可访问）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--db", metavar="URL",
                        help=f"审核历史库（默认：环境变量 {ENVIRONMENT}，未设置时为 {default_path()}）")
    parser.add_argument("--data", type=Path, default=defaults.data_dir, metavar="DIR",
                        help=f"网页版保存批次文件和审核结果的文件夹（默认 {defaults.data_dir}）")
    parser.add_argument("--rules", type=Path, default=RULES_DIR, metavar="DIR", help="规则文件夹（默认：rules/）")
    parser.add_argument("--settings", type=Path, metavar="FILE", help="整改通知书的设置文件")
    parser.add_argument("--jobs", type=int, default=defaults.jobs, metavar="N",
                        help=f"审核用的工作进程数（默认 {defaults.jobs}）")


def run(args: argparse.Namespace) -> int:
    from waitress import serve

    from ..history.errors import HistoryError
    from ..rules import RuleFileError
    from ..web.app import close_app, create_app
    from ..web.config import WebConfig
    from ..web.state import KEY
    from ..yamlsource import SourceError
    if args.jobs < 1:
        print("--jobs 至少为 1。", file=sys.stderr)
        return BAD_INPUT
    config = WebConfig(db=args.db, rules_dir=args.rules, data_dir=args.data, settings=args.settings, jobs=args.jobs)
    try:
        app = create_app(config)
    except (HistoryError, RuleFileError, SourceError) as error:
        print(f"{error}\n网页版未启动。", file=sys.stderr)
        return BAD_INPUT
    try:
        # The self-check's workers compile the rules now, not on an agency's first upload.
        app.extensions[KEY].services["checker"].warm()
        print(f"网页版已启动：http://{args.host}:{args.port}/ （自查 /check，办公室 /office/）。按 Ctrl-C 停止。",
              flush=True)
        serve(app, host=args.host, port=args.port, threads=THREADS, ident="ogi-audit",
              max_request_body_size=config.request_bytes)
    finally:
        close_app(app)
    return 0
