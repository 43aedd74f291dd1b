"""Tokenizers that give the ids a model was trained with, for both engines (transformers and CTranslate2).

T5-family checkpoints (ViT5, EnViT5, mT5) are tokenised by a sentencepiece model.
transformers 5's ``T5Tokenizer`` always builds a *Unigram* model from
``spiece.model``, but VietAI's ViT5/EnViT5 vocabularies are sentencepiece
**BPE**: "▁tướng" came out as "▁t ướ ng", an input the model never saw. And
EnViT5's ``tokenizer.json`` (an old-format BPE file) makes ``AutoTokenizer``
raise a TypeError. So these folders are read here, with the ``tokenizers``
library directly:

* ``tokenizer.json`` when the folder has one: the authors' own fast tokenizer;
* else ``spiece.model``, converted to the equivalent ``tokenizers`` model
  (BPE with the merges in piece order, or Unigram with the piece scores) and
  sentencepiece's own normaliser, so the ids equal ``SentencePieceProcessor``'s.

The sentinel ``<extra_id_N>`` tokens fill the vocabulary up to the config's
``vocab_size`` in T5's order (``<extra_id_0>`` is the last id), so the
tokenizer and the embedding table have the same size and CTranslate2 gets the
same token -> id map (ViT5: 36,000 pieces + 96 = 36,096).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from viensum.registry import ModelSpec

log = logging.getLogger(__name__)

T5_FAMILY = frozenset({"t5", "mt5"})  # sentencepiece, </s> appended, relative positions


def load_tokenizer(spec: ModelSpec, path: str | Path, vocab_size: int | None = None):
    """The tokenizer ``spec``'s model was trained with, from the checkpoint folder ``path``."""
    folder = Path(path)
    if spec.architecture in T5_FAMILY:
        raw = _t5_raw_tokenizer(folder)
        if raw is not None:
            return wrap_t5(raw, vocab_size, spec.max_input_tokens)
    kwargs = {k: v for k, v in (("src_lang", spec.src_lang), ("tgt_lang", spec.tgt_lang)) if v}
    if spec.architecture == "marian":
        # the class AutoTokenizer would pick, imported directly: AutoTokenizer reads the model config
        # through transformers' config classes, which import torch (the CTranslate2 runtime needs none)
        from transformers.models.marian.tokenization_marian import MarianTokenizer

        return MarianTokenizer.from_pretrained(folder, **kwargs)
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(folder, **kwargs)


def _t5_raw_tokenizer(folder: Path):
    """A ``tokenizers.Tokenizer`` from tokenizer.json, else from spiece.model; None when neither is there."""
    from tokenizers import Tokenizer

    if (folder / "tokenizer.json").is_file():
        return Tokenizer.from_file(str(folder / "tokenizer.json"))
    if (folder / "spiece.model").is_file():
        return from_sentencepiece(folder / "spiece.model")
    return None


def from_sentencepiece(model_file: str | Path):
    """The ``tokenizers`` equivalent of a T5 sentencepiece model (BPE or Unigram), ``</s>`` appended."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers.convert_slow_tokenizer import SentencePieceExtractor

    extractor = SentencePieceExtractor(str(model_file))
    proto = extractor.proto
    spec = proto.trainer_spec
    if spec.model_type == 2:  # BPE: merges in piece order, as sentencepiece applies them
        parts = extractor.extract(models.BPE)
        model = models.BPE(parts["vocab"], parts["merges"], unk_token=spec.unk_piece, fuse_unk=True,
                           byte_fallback=spec.byte_fallback)
    else:
        parts = extractor.extract(models.Unigram)
        model = models.Unigram(parts["vocab"], unk_id=spec.unk_id, byte_fallback=spec.byte_fallback)
    tok = Tokenizer(model)
    steps = []
    if proto.normalizer_spec.precompiled_charsmap:
        steps.append(normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap))
    if proto.normalizer_spec.remove_extra_whitespaces:
        steps += [normalizers.Replace(Regex(" {2,}"), " "), normalizers.Strip()]
    if steps:
        tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    eos = proto.pieces[spec.eos_id].piece
    tok.post_processor = processors.TemplateProcessing(
        single=f"$A {eos}", pair=f"$A {eos} $B {eos}", special_tokens=[(eos, spec.eos_id)])
    return tok


def wrap_t5(raw, vocab_size: int | None, max_length: int):
    """A transformers tokenizer around ``raw`` with T5's special tokens and sentinels up to ``vocab_size``."""
    from transformers import PreTrainedTokenizerFast

    have = raw.get_vocab_size(with_added_tokens=True)
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, eos_token="</s>", unk_token="<unk>", pad_token="<pad>",
                                  model_max_length=max_length)
    vocab = tok.get_vocab()
    sentinels = [t for t in vocab if t.startswith("<extra_id_")]
    if not sentinels and vocab_size and vocab_size > have:
        # T5's order: the highest id is <extra_id_0>
        sentinels = [f"<extra_id_{i}>" for i in range(vocab_size - have - 1, -1, -1)]
    if sentinels:
        tok.add_special_tokens({"additional_special_tokens": sentinels})
    if vocab_size and len(tok) != vocab_size:
        log.warning("tokenizer has %d tokens, the model %d", len(tok), vocab_size)
    return tok


def config_vocab_size(path: str | Path) -> int | None:
    """``vocab_size`` from a checkpoint's config.json, read without building a config object."""
    file = Path(path) / "config.json"
    try:
        return int(json.loads(file.read_text(encoding="utf-8"))["vocab_size"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def vocabulary(tokenizer, size: int) -> list[str]:
    """Exactly ``size`` token strings, index = id: what the model's embedding table holds.

    Ids the tokenizer lacks (padding of the table to a multiple of 128, e.g.
    mT5's 250,100 tokens in a 250,112-row table) get unique placeholder names.
    """
    by_id = {i: t for t, i in tokenizer.get_vocab().items()}
    return [by_id.get(i, f"<unused_{i}>") for i in range(size)]
