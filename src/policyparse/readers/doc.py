"""Legacy Word (.doc) and WPS (.wps) files: converted to .docx by LibreOffice, then read by the
docx reader. Without LibreOffice, one line says how to convert. An encrypted .docx is an OLE
file too (Office wraps the encrypted package in one), so it is recognised and named here.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from . import ReadResult

CONVERT_TIMEOUT = 120          # seconds for one conversion
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the stream names an encrypted Office package carries, as UTF-16 directory entries
_ENCRYPTED_MARKS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, name: str, fmt: str = "doc") -> ReadResult:
    if data.startswith(OLE_MAGIC) and any(mark in data for mark in _ENCRYPTED_MARKS):
        raise InputError(name, "encrypted (password-protected) Office file: open it in Word/WPS, remove the password and save as .docx")
    if not data.startswith(OLE_MAGIC):
        raise InputError(name, f"not a .{fmt} file (no Word/WPS file header); corrupt, or named wrongly")
    exe = soffice()
    if exe is None:
        raise InputError(name, f".{fmt} needs LibreOffice to convert (apt-get install libreoffice-writer), "
                               f"or save it as .docx in Word/WPS: soffice --headless --convert-to docx FILE")
    from .docx import read as read_docx

    with tempfile.TemporaryDirectory(prefix="policyparse-doc-") as tmp:
        src = Path(tmp) / f"input.{fmt}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"       # a private profile: no clash with a running LibreOffice
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(name, f"LibreOffice did not convert it within {CONVERT_TIMEOUT} s") from None
        except OSError as e:
            raise InputError(name, f"cannot run LibreOffice ({e.strerror or e})") from None
        out = Path(tmp) / "input.docx"
        if proc.returncode != 0 or not out.is_file():
            said = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
            raise InputError(name, f"LibreOffice could not convert it ({said[-1] if said else f'exit {proc.returncode}'})")
        result = read_docx(out.read_bytes(), name)
    result.format = fmt
    return result
