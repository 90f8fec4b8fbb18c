"""`policyparse text`: print the text policyparse reads from a file, the text every span indexes."""

import sys
from typing import Annotated

import typer

from .root import app
from .common import report_failure, stderr_console


@app.command()
def text(
    path: Annotated[str, typer.Argument(metavar="FILE", show_default=False,
                                        help="A .txt, .html/.htm, .docx, .doc/.wps, .pdf file, or '-' for standard input.")],
    tables: Annotated[bool, typer.Option("--tables", help="Print the tables instead, as JSON: rows of cells, each with its [start, end) in the text.")] = False,
) -> None:
    """Print the plain text read from FILE: one paragraph per line, each table row on one line
    with its cells separated by a tab. Every span in `parse` output indexes exactly this text,
    so text[start:end] can be checked against it.

    \b
    Examples:
      policyparse text notice.docx | head
      policyparse text page.html > page.txt
      curl -s https://example.gov.cn/art.html | policyparse text -
      policyparse text plan.docx --tables | jq '.[0].rows[0]'
    """
    from ..errors import InputError
    from ..readers import read_path

    try:
        result = read_path(path)
    except InputError as e:
        report_failure(stderr_console(), e.path, e.cause, None, False)
        raise typer.Exit(code=1) from None
    if tables:
        import json

        out = [{"caption": t.caption, "span": [t.start, t.end],
                "rows": [[{"text": c.text, "span": [c.start, c.end]} for c in row] for row in t.rows]}
               for t in result.tables]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write(result.text)
    sys.stdout.flush()
