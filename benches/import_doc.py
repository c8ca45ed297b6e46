"""Makes a long Word document for the import benchmark: PAGES pages of a school's work
report (about 500 characters a page, headings every page, a list and a table every few),
with PICTURES photos of 800×600 (noisy, so they compress like photos do).

    python3 benches/import_doc.py OUT.docx [PAGES] [PICTURES]
"""
import io
import os
import random
import struct
import sys
import zlib

from docx import Document
from docx.shared import Cm


def photo(seed, width=800, height=600):
    rng = random.Random(seed)
    rows = []
    for y in range(height):
        base = bytes((x * 3 + y + seed * 7) % 256 for x in range(width * 3))
        noise = bytes(rng.getrandbits(8) & 0x1F for _ in range(width * 3))
        rows.append(b"\x00" + bytes((a + b) % 256 for a, b in zip(base, noise)))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b"")


SENTENCE = "本学期，学校坚持立德树人根本任务，扎实推进课堂教学改革，深化“双减”工作，教育教学质量稳步提升。"


def main():
    out = sys.argv[1]
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    pictures = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    doc = Document()
    doc.add_heading("江北区滨江小学2026年秋季学期工作总结", level=0)
    every = max(1, pages // max(1, pictures))
    shown = 0
    for page in range(pages):
        doc.add_heading(f"{page + 1}、第{page + 1}项工作", level=1)
        for _ in range(5):
            doc.add_paragraph("\u3000\u3000" + SENTENCE * 2)
        if page % 3 == 0:
            for item in ("落实课后服务", "开展教研活动", "做好家校沟通"):
                doc.add_paragraph(item, style="List Bullet")
        if page % 5 == 0:
            table = doc.add_table(rows=4, cols=4)
            for r in range(4):
                for c in range(4):
                    table.cell(r, c).text = f"{r}-{c}"
        if page % every == 0 and shown < pictures:
            doc.add_picture(io.BytesIO(photo(shown)), width=Cm(12))
            doc.element.body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")[-1].set("descr", f"活动照片{shown + 1}")
            shown += 1
    doc.save(out)
    print(f"{out}: {pages} pages, {shown} pictures, {os.path.getsize(out) // 1024} KB")


if __name__ == "__main__":
    main()
