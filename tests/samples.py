"""Small inputs and helpers shared by several test modules."""
from pathlib import Path

# short Vietnamese inputs of different lengths, for batching and backend-agreement tests
SENTENCES = [
    "Hà Nội là thủ đô của Việt Nam.",
    "Sáng nay, Thủ tướng chủ trì cuộc họp về phát triển kinh tế - xã hội với nhiều bộ, ngành và địa phương.",
    "Giá xăng giảm.",
    "Đội tuyển bóng đá Việt Nam giành chiến thắng 2-0 trước đối thủ ở vòng loại.",
    "Mưa lớn gây ngập úng ở miền Trung.",
]


def run_batch(*args, **kwargs):
    """Run the batch handler to its end: (rows, JSONL text, CSV text, every progress line).

    The result files only exist until the generator finishes (Gradio copies them first),
    so they are read at the last stage.
    """
    from viensum.ui.batch import summarize_batch

    progress, jsonl, csv_text, rows = [], None, None, None
    for line, rows, jsonl_path, csv_path in summarize_batch(*args, **kwargs):
        progress.append(line)
        if jsonl_path:
            jsonl = Path(jsonl_path).read_text(encoding="utf-8")
            csv_text = Path(csv_path).read_text(encoding="utf-8-sig")
            folder = Path(jsonl_path).parent
    assert not folder.exists(), "the batch's temporary folder outlives the run"
    # names are shown with break opportunities (zero-width spaces) after their separators
    assert all("\u200b" in row[0] for row in rows if any(c in row[0] for c in "/_."))
    rows = [[row[0].replace("\u200b", ""), *row[1:]] for row in rows]
    return rows, jsonl, csv_text, progress
