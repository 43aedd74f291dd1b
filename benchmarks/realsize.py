"""Randomly initialised models of the registered models' real sizes, for speed and memory benchmarks.

Speed depends on the architecture and the tensor shapes, not on the weights'
values, so a random model of the real shape costs what the real one costs.
The configs below are the published architectures; the embedding matrices
have the real vocabulary size. The tokenizer is viensum's tiny one (600
pieces, trained on the sample articles): it only produces ids below 600, which
all exist in the real-size embedding, but it cuts Vietnamese into about 1.5x
more pieces than the real 32k-36k vocabularies do, so sources are longer than
with the real tokenizer (a pessimistic encoder cost, the same for viensum and
the baseline; decoding dominates). ViT5's input limit is raised by the same
factor (``TOKEN_INFLATION``) so articles are chunked where the real model
would chunk them. Every other id decodes to a dummy word (``_pad_vocabulary``)
so random output becomes text of realistic length.

Each model is written once to ``~/.cache/viensum-bench/<name>`` (or
``$VIENSUM_BENCH_DIR``) in the layout of a downloaded checkpoint, so the
benchmarks load it through ``viensum.backends.load_backend(path=...)``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

# Published shapes. opus-mt-vi-en: Marian transformer-base (6+6 layers, d_model 512,
# 8 heads, ffn 2048, tied embeddings); its vocabulary is sized so the parameter count
# matches the registered 75M (Tatoeba vie-eng uses a joint spm32k+spm32k vocabulary).
# vit5-base: T5 v1.0 layout (ReLU FFN, tied embeddings), 12+12 layers, d_model 768,
# 12 heads of 64, d_ff 3072, vocabulary 36096 - exactly the registered 226M parameters.
SHAPES: dict[str, dict] = {
    "opus-mt-vi-en": {"vocab_size": 60_352, "d_model": 512, "encoder_layers": 6, "decoder_layers": 6,
                      "encoder_attention_heads": 8, "decoder_attention_heads": 8,
                      "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048},
    "vit5-base-vietnews": {"vocab_size": 36_096, "d_model": 768, "d_kv": 64, "d_ff": 3072, "num_layers": 12,
                           "num_decoder_layers": 12, "num_heads": 12, "feed_forward_proj": "relu",
                           "tie_word_embeddings": True},
}


# The tiny tokenizer cuts Vietnamese into ~1.8 tokens per syllable, the real ones into ~1.2:
# limits on input length are scaled by this so texts are chunked where the real model would.
TOKEN_INFLATION = 1.5


def bench_dir() -> Path:
    return Path(os.environ.get("VIENSUM_BENCH_DIR", Path.home() / ".cache" / "viensum-bench")).expanduser()


def build(name: str, out: Path | None = None) -> Path:
    """Write (once) a random model of ``name``'s real size with a working tokenizer; return its folder."""
    folder = (out or bench_dir()) / name
    marker = folder / "viensum-bench.json"
    if marker.is_file():
        return folder
    import torch
    import transformers as tf

    from viensum.registry import get_model
    from viensum.tiny import make_one

    spec = get_model(name)
    make_one(spec, folder)  # tokenizer files (and a tiny model, overwritten below)
    shape = SHAPES[name]
    tok = _pad_vocabulary(folder, spec.architecture, shape["vocab_size"])
    torch.manual_seed(0)
    if spec.architecture == "marian":
        config = tf.MarianConfig(max_position_embeddings=spec.max_input_tokens, pad_token_id=tok.pad_token_id,
                                 eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.pad_token_id,
                                 forced_eos_token_id=tok.eos_token_id, **shape)
        model = tf.MarianMTModel(config)
    elif spec.architecture == "t5":
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
    (folder / "viensum-tiny.json").unlink(missing_ok=True)
    marker.write_text(json.dumps({"random": True, "name": name, "imitates": spec.hub_id, "parameters": params,
                                  "note": "random weights of the real shape, for benchmarks only"}, indent=2) + "\n")
    return folder


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


def _pad_vocabulary(folder: Path, architecture: str, size: int):
    """Give every id of the real-size vocabulary a word, so random output decodes to text of realistic length.

    The tiny tokenizer knows 600 pieces; the random model draws ids from the
    whole real vocabulary. The extra words ("Xqab", "Xqac.") never occur in
    Vietnamese input, so they change neither the source tokenization nor its length.
    """
    import transformers as tf

    if architecture == "marian":
        vocab_file = folder / "vocab.json"
        vocab = json.loads(vocab_file.read_text(encoding="utf-8"))
        vocab.pop("<pad>")  # stays the last id, as in the published Marian vocabularies
        for word in _dummy_words(size - len(vocab) - 1):
            vocab[word] = len(vocab)
        vocab["<pad>"] = len(vocab)
        vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        config_file = folder / "tokenizer_config.json"
        config = json.loads(config_file.read_text(encoding="utf-8"))
        added = config["added_tokens_decoder"]
        for key in [k for k, v in added.items() if v["content"] == "<pad>"]:
            added[str(vocab["<pad>"])] = added.pop(key)
        config_file.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
        return tf.AutoTokenizer.from_pretrained(folder)
    tok = tf.AutoTokenizer.from_pretrained(folder)
    # a leading space in the token itself: added tokens decode verbatim, without separators
    tok.add_tokens([tf.AddedToken(" " + w, normalized=False) for w in _dummy_words(size - len(tok))])
    tok.model_max_length = int(tok.model_max_length * TOKEN_INFLATION)
    tok.save_pretrained(folder)
    return tok


if __name__ == "__main__":
    import sys

    for n in sys.argv[1:] or list(SHAPES):
        print(n, build(n))
