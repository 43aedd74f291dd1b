"""Randomly initialised models of the registered models' real sizes, for speed and memory benchmarks.

Speed depends on the architecture and the tensor shapes, not on the weights'
values, so a random model of the real shape costs what the real one costs,
provided the inputs have the real length. That needs the real vocabulary:

* **vit5-base-vietnews** uses ViT5's own sentencepiece BPE model
  (``../shared/real-models/vit5-base-vietnews/spiece.model``, 36,000 pieces
  plus 96 extra ids = 36,096), turned into a ``tokenizer.json`` with the
  ``tokenizers`` library (merges ordered by the pieces' scores). It gives
  token for token what sentencepiece gives on the sample articles (about 1.18
  tokens per word). transformers 5's ``T5Tokenizer`` cannot read this file
  correctly (it treats it as a Unigram model and splits words into 2x more
  pieces), so the benchmark builds the fast tokenizer itself.
* **opus-mt-vi-en**: its own vocabulary is not available here, so its source
  side uses the same ViT5 Vietnamese BPE (the same kind of 32k-36k Vietnamese
  sentencepiece model, so sources have realistic lengths); the rest of its
  60,352 ids decode to dummy words ("Xqab", every 12th ending a sentence) so
  random output becomes text of realistic length.

The real files are read from ``../shared`` (``$VIENSUM_SHARED`` overrides) and
never copied: the Marian folder links to the sentencepiece model, the ViT5
folder holds a ``tokenizer.json`` derived from it. Each model is written once
to ``~/.cache/viensum-bench/<name>`` (or ``$VIENSUM_BENCH_DIR``) in the layout
of a downloaded checkpoint, so the benchmarks load it through
``viensum.backends.load_backend(path=...)``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Published shapes. opus-mt-vi-en: Marian transformer-base (6+6 layers, d_model 512,
# 8 heads, ffn 2048, tied embeddings); its vocabulary is sized so the parameter count
# matches the registered 75M (Tatoeba vie-eng uses a joint spm32k+spm32k vocabulary).
# vit5-base: T5 v1.0 layout (ReLU FFN, tied embeddings), 12+12 layers, d_model 768,
# 12 heads of 64, d_ff 3072, vocabulary 36096 - exactly the registered 226M parameters
# (the same shapes as ../shared/real-models/vit5-base-vietnews/config.json).
SHAPES: dict[str, dict] = {
    "opus-mt-vi-en": {"vocab_size": 60_352, "d_model": 512, "encoder_layers": 6, "decoder_layers": 6,
                      "encoder_attention_heads": 8, "decoder_attention_heads": 8,
                      "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048},
    "vit5-base-vietnews": {"vocab_size": 36_096, "d_model": 768, "d_kv": 64, "d_ff": 3072, "num_layers": 12,
                           "num_decoder_layers": 12, "num_heads": 12, "feed_forward_proj": "relu",
                           "tie_word_embeddings": True},
}
VIT5_EXTRA_IDS = 96  # 36,000 pieces + 96 sentinels = the 36,096 ids of ViT5's embedding
VERSION = 2  # bump when the recipe changes: older builds in the cache are rebuilt


def shared_dir() -> Path:
    return Path(os.environ.get("VIENSUM_SHARED", ROOT / ".." / "shared")).resolve()


def vit5_spm() -> Path:
    path = shared_dir() / "real-models" / "vit5-base-vietnews" / "spiece.model"
    if not path.is_file():
        raise SystemExit(f"the real ViT5 vocabulary is missing: {path} (set VIENSUM_SHARED)")
    return path


def bench_dir() -> Path:
    return Path(os.environ.get("VIENSUM_BENCH_DIR", Path.home() / ".cache" / "viensum-bench")).expanduser()


def build(name: str, out: Path | None = None) -> Path:
    """Write (once) a random model of ``name``'s real size with a real-vocabulary tokenizer; return its folder."""
    folder = (out or bench_dir()) / name
    marker = folder / "viensum-bench.json"
    if marker.is_file() and json.loads(marker.read_text()).get("version") == VERSION:
        return folder
    import shutil

    import torch
    import transformers as tf

    from viensum.registry import get_model

    spec = get_model(name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shape = SHAPES[name]
    torch.manual_seed(0)
    if spec.architecture == "marian":
        tok = _marian_tokenizer(spec, folder, shape["vocab_size"])
        config = tf.MarianConfig(max_position_embeddings=spec.max_input_tokens, pad_token_id=tok.pad_token_id,
                                 eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.pad_token_id,
                                 forced_eos_token_id=tok.eos_token_id, **shape)
        model = tf.MarianMTModel(config)
    elif spec.architecture == "t5":
        tok = _vit5_tokenizer(spec, folder)
        config = tf.T5Config(pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                             decoder_start_token_id=tok.pad_token_id, **shape)
        model = tf.T5ForConditionalGeneration(config)
    else:
        raise ValueError(f"no real-size shape for {name}")
    model.eval()
    gen = model.generation_config
    gen.max_length = None
    gen.bad_words_ids = [[tok.pad_token_id]]
    model.save_pretrained(folder)
    params = sum(p.numel() for p in model.parameters())
    marker.write_text(json.dumps({"random": True, "name": name, "imitates": spec.hub_id, "parameters": params,
                                  "version": VERSION, "vocabulary": str(vit5_spm()),
                                  "note": "random weights of the real shape, for benchmarks only"}, indent=2) + "\n")
    return folder


def vit5_fast_tokenizer():
    """ViT5's sentencepiece BPE as a ``tokenizers.Tokenizer``: the same pieces as sentencepiece, plus T5's sentinels."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import BPE
    from transformers.convert_slow_tokenizer import import_protobuf
    from transformers.tokenization_utils_base import generate_merges

    proto = import_protobuf().ModelProto()
    proto.ParseFromString(vit5_spm().read_bytes())
    assert proto.trainer_spec.model_type == 2, "ViT5's spiece.model is a BPE model"
    vocab = {p.piece: i for i, p in enumerate(proto.pieces)}
    # sentencepiece BPE applies merges in the order of the merged pieces' scores
    merges = generate_merges(vocab, {p.piece: p.score for p in proto.pieces})
    tok = Tokenizer(BPE(vocab, merges, unk_token=proto.trainer_spec.unk_piece, fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap),
                                           normalizers.Strip(left=False, right=True),
                                           normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(single=["$A", "</s>"], pair=["$A", "</s>", "$B", "</s>"],
                                                       special_tokens=[("</s>", vocab["</s>"])])
    specials = [p.piece for p in proto.pieces if p.type == 3]  # <pad>, </s>
    sentinels = [f"<extra_id_{i}>" for i in range(VIT5_EXTRA_IDS - 1, -1, -1)]  # T5: <extra_id_0> is the last id
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in specials + sentinels])
    assert tok.get_vocab_size() == len(vocab) + VIT5_EXTRA_IDS
    return tok


def _vit5_tokenizer(spec, folder: Path):
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(tokenizer_object=vit5_fast_tokenizer(), eos_token="</s>", unk_token="<unk>",
                                  pad_token="<pad>", model_max_length=spec.max_input_tokens)
    tok.save_pretrained(folder)
    return tok


def _marian_tokenizer(spec, folder: Path, size: int):
    """MarianTokenizer over ViT5's sentencepiece model (linked, not copied); dummy words fill the vocabulary."""
    import sentencepiece as spm
    from transformers import MarianTokenizer

    for name in ("source.spm", "target.spm"):
        (folder / name).symlink_to(vit5_spm())
    pieces = spm.SentencePieceProcessor(model_file=str(vit5_spm()))
    # Marian's vocab.json is separate from the spm ids: </s>=0, <unk>=1, ..., <pad> last
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(pieces.get_piece_size()):
        if not (pieces.is_control(i) or pieces.is_unknown(i)):
            vocab.setdefault(pieces.id_to_piece(i), len(vocab))
    for word in _dummy_words(size - len(vocab) - 1):
        vocab[word] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
                          source_lang="vi", target_lang="en", model_max_length=spec.max_input_tokens)
    # save only the config files: the spm links and vocab.json above stay as they are
    config = {"tokenizer_class": "MarianTokenizer", "source_lang": "vi", "target_lang": "en",
              "model_max_length": spec.max_input_tokens, "eos_token": "</s>", "unk_token": "<unk>",
              "pad_token": "<pad>", "separate_vocabs": False}
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return tok


def _dummy_words(n: int) -> list[str]:
    """Distinct capitalised non-Vietnamese words; every 12th ends a sentence, as news sentences do."""
    letters = "abcdefghijklmnoprstuvy"
    words = []
    for i in range(n):
        stem, k = "", i
        while True:
            stem, k = letters[k % len(letters)] + stem, k // len(letters)
            if not k:
                break
        words.append(f"Xq{stem}" + ("." if i % 12 == 11 else ""))
    return words


def check_vocabulary() -> None:
    """Print how the benchmark's ViT5 tokenizer compares with sentencepiece on the sample articles."""
    import sentencepiece as spm

    fast = vit5_fast_tokenizer()
    fast.post_processor = None  # compare the pieces alone, without the closing </s>
    sp = spm.SentencePieceProcessor(model_file=str(vit5_spm()))
    lines = [line.strip() for f in sorted((ROOT / "seeds").glob("*.txt"))
             for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    same = sum(fast.encode(line).ids == sp.encode(line) for line in lines)
    tokens, words = sum(len(sp.encode(line)) for line in lines), sum(len(line.split()) for line in lines)
    check = "Thủ tướng Việt Nam đã đến Hà Nội hôm qua."
    print(f"ViT5 vocabulary: same ids as sentencepiece on {same}/{len(lines)} lines of the sample articles; "
          f"{tokens / words:.2f} tokens per word; {check!r} -> {len(sp.encode(check))} pieces + </s>")


if __name__ == "__main__":
    import sys

    for n in sys.argv[1:] or list(SHAPES):
        print(n, build(n))
    check_vocabulary()
