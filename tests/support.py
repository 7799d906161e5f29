"""Deterministic test doubles plugged in at real seams, and tiny file builders."""

import hashlib
import re
from pathlib import Path

import numpy as np


class HashEmbedder:
    """Bag-of-words hashed into a fixed vector: deterministic, instant, and similar texts match."""

    name = "hash-embedder-64"
    dimension = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[i, h % self.dimension] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def write_doc(folder: Path, name: str, front: dict[str, str] | None, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    header = ""
    if front is not None:
        header = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n"
    path.write_text(header + body, encoding="utf-8")
    return path


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text pypdf can extract: enough to prove the loader path."""
    stream = (
        "BT /F1 11 Tf 72 720 Td 14 TL "
        + " ".join("(" + line.replace("(", r"\(").replace(")", r"\)") + ") '" for line in lines)
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out
