"""Tiny randomly initialised models with real tokenizers, for tests and offline demos.

``make_tiny(out)`` writes one folder per registered model, laid out exactly as
a downloaded checkpoint (config.json, model.safetensors, tokenizer files,
generation_config.json), so everything from ``store.resolve`` to
``generate()`` runs for real. The weights are random: the output is noise.
Each folder carries ``viensum-tiny.json`` saying so.

Tokenizers are trained with sentencepiece (the byte-level BPE of Qwen with
the ``tokenizers`` trainer) on the sample articles in ``seeds/`` when they are
around, plus a small Vietnamese/English corpus shipped in the package, so a
wheel install can build the same set.

``make_real_vocab`` builds *real-vocabulary* test models instead: the real
tokenizer files and config.json of a registered model (a folder per model,
e.g. the project's ``../shared/real-models``), with the layers shrunk and
random weights, so tokenisation, prefixes, special tokens and conversion are
the real model's while the output is still noise.

Every test model is marked twice: ``viensum-tiny.json`` beside it and
``"viensum_test_model": true`` in its config.json (``Backend.test_model``).
"""
from __future__ import annotations

import functools
import io
import json
import logging
import tempfile
import zlib
from pathlib import Path

from viensum.registry import MODELS, ModelSpec

log = logging.getLogger(__name__)

MARKER = "viensum-tiny.json"
CONFIG_FLAG = "viensum_test_model"  # in config.json of every test model
REAL_MODELS_ENV = "VIENSUM_REAL_MODELS"  # folder of real tokenizer/config files, one sub-folder per model
REAL_VOCAB_DIR = "real-vocab"  # make_tiny puts the real-vocabulary models in <out>/real-vocab/<name>
# what a test model keeps of a real checkpoint folder (never weights)
REAL_FILES = ("config.json", "spiece.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
# real T5 configs shrunk to this: one layer each side, tiny width (the vocabulary stays real)
SHRINK_T5 = {"num_layers": 1, "num_decoder_layers": 1, "num_heads": 2, "d_kv": 8, "d_model": 32, "d_ff": 64}
VOCAB_SIZE = 600
TINY_MAX_NEW_TOKENS = 24  # written to each generation_config.json
_CORPUS = Path(__file__).with_name("data") / "tiny_corpus.txt"

# Qwen2.5's chat template, trimmed to plain messages (no tool calls).
QWEN_CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] != 'system' %}"
    "{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def corpus_lines() -> list[str]:
    """Training text for the tiny tokenizers: the seed articles if present, plus the bundled corpus."""
    lines: list[str] = []
    for folder in _seed_dirs():
        files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        if files:
            for f in files:
                lines += f.read_text(encoding="utf-8").splitlines()
            break
    lines += _CORPUS.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def _seed_dirs() -> tuple[Path, ...]:
    # looked up when the models are built, not at import: the working directory may change in between
    return Path.cwd() / "seeds", Path(__file__).resolve().parents[2] / "seeds"


@functools.lru_cache(maxsize=None)
def _train_spm(model_type: str, ids: tuple[int, int, int, int]) -> bytes:
    """A sentencepiece model (serialised) trained on the corpus; ids = (pad, eos, unk, bos), -1 for none."""
    import sentencepiece as spm

    pad, eos, unk, bos = ids
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines()), model_writer=out, vocab_size=VOCAB_SIZE,
        model_type=model_type, character_coverage=1.0, hard_vocab_limit=False,
        pad_id=pad, eos_id=eos, unk_id=unk, bos_id=bos, minloglevel=2,
    )
    return out.getvalue()


def _spm_file(folder: Path, name: str, model_type: str, ids: tuple[int, int, int, int]) -> Path:
    path = folder / name
    path.write_bytes(_train_spm(model_type, ids))
    return path


def _t5_tokenizer(spec: ModelSpec, work: Path):
    from transformers import T5Tokenizer

    _spm_file(work, "spiece.model", "unigram", (0, 1, 2, -1))  # T5 layout: <pad>=0 </s>=1 <unk>=2
    tok = T5Tokenizer.from_pretrained(work, extra_ids=0, model_max_length=spec.max_input_tokens)
    if spec.decoder_start:
        tok.add_tokens([spec.decoder_start])  # a piece of the real vocabulary (mT5's "▁<extra_id_69>")
    return tok


def _marian_tokenizer(spec: ModelSpec, work: Path):
    import sentencepiece as spm
    from transformers import MarianTokenizer

    model = _spm_file(work, "source.spm", "unigram", (-1, 2, 0, 1))
    (work / "target.spm").write_bytes(model.read_bytes())
    pieces = spm.SentencePieceProcessor(model_file=str(model))
    # Marian's vocab.json is separate from the spm ids: </s>=0, <unk>=1, ..., <pad> last
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(pieces.get_piece_size()):
        if not (pieces.is_control(i) or pieces.is_unknown(i)):
            vocab.setdefault(pieces.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return MarianTokenizer(str(work / "source.spm"), str(work / "target.spm"), str(work / "vocab.json"),
                           source_lang="vi", target_lang="en", model_max_length=spec.max_input_tokens)


def _mbart50_tokenizer(spec: ModelSpec, work: Path):
    from transformers import MBart50Tokenizer

    _spm_file(work, "sentencepiece.bpe.model", "bpe", (-1, 2, 0, 1))  # fairseq spm: <unk>=0 <s>=1 </s>=2
    return MBart50Tokenizer.from_pretrained(work, src_lang=spec.src_lang, tgt_lang=spec.tgt_lang,
                                            model_max_length=spec.max_input_tokens)


def _qwen2_tokenizer(spec: ModelSpec, work: Path):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import Qwen2Tokenizer

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.train_from_iterator(corpus_lines(), trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, special_tokens=specials, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    trained = json.loads(bpe.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in trained["merges"]]
    tok = Qwen2Tokenizer(vocab=trained["vocab"], merges=merges, eos_token="<|im_end|>",
                         pad_token="<|endoftext|>", unk_token=None, bos_token=None,
                         model_max_length=spec.max_input_tokens, chat_template=QWEN_CHAT_TEMPLATE)
    tok.add_special_tokens({"additional_special_tokens": specials[1:]})
    return tok


def _model(spec: ModelSpec, tok):
    """A randomly initialised model of the spec's architecture sized to the tokenizer."""
    import torch
    import transformers as tf

    torch.manual_seed(zlib.crc32(spec.name.encode()))  # reproducible, and different for each model
    arch = spec.architecture
    # a wide initialisation makes the random output depend visibly on the input (tests can tell inputs apart)
    small = {"init_std": 2.0, "d_model": 32, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
             "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64}
    if arch in ("t5", "mt5"):
        cls, conf = (tf.T5ForConditionalGeneration, tf.T5Config) if arch == "t5" else \
            (tf.MT5ForConditionalGeneration, tf.MT5Config)
        config = conf(vocab_size=len(tok), d_model=32, d_kv=8, d_ff=64, num_layers=1, num_decoder_layers=1,
                      num_heads=4, relative_attention_num_buckets=8, feed_forward_proj="gated-gelu", initializer_factor=2.0,
                      tie_word_embeddings=False, pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                      decoder_start_token_id=tok.pad_token_id)
    elif arch == "marian":
        cls = tf.MarianMTModel
        pad = tok.pad_token_id
        config = tf.MarianConfig(vocab_size=len(tok), max_position_embeddings=spec.max_input_tokens,
                                 pad_token_id=pad, eos_token_id=tok.eos_token_id, decoder_start_token_id=pad,
                                 forced_eos_token_id=tok.eos_token_id, **small)
    elif arch == "mbart":
        cls = tf.MBartForConditionalGeneration
        config = tf.MBartConfig(vocab_size=len(tok), max_position_embeddings=spec.max_input_tokens,
                                pad_token_id=tok.pad_token_id, bos_token_id=tok.cls_token_id,
                                eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.eos_token_id,
                                forced_eos_token_id=tok.eos_token_id, **small)
    elif arch == "qwen2":
        cls = tf.Qwen2ForCausalLM
        config = tf.Qwen2Config(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                                num_attention_heads=4, num_key_value_heads=2, initializer_range=0.5,
                                max_position_embeddings=spec.max_input_tokens, tie_word_embeddings=True,
                                bos_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                                pad_token_id=tok.pad_token_id)
    else:
        raise ValueError(f"no tiny recipe for architecture '{arch}' ({spec.name})")
    model = cls(config).eval()
    gen = model.generation_config
    gen.max_length = None
    # random weights never choose EOS: cap their output so smoke tests stay fast
    gen.max_new_tokens = TINY_MAX_NEW_TOKENS
    if config.is_encoder_decoder:
        # as in the published opus-mt generation configs; random T5s otherwise babble <pad> forever
        gen.bad_words_ids = [[config.pad_token_id]]
    if arch == "qwen2":
        gen.eos_token_id = [tok.eos_token_id, tok.pad_token_id]
    return model


_TOKENIZERS = {"t5": _t5_tokenizer, "mt5": _t5_tokenizer, "marian": _marian_tokenizer,
               "mbart": _mbart50_tokenizer, "qwen2": _qwen2_tokenizer}


def tiny_names() -> list[str]:
    """Registered models a tiny stand-in can be built for (architectures with a tiny tokenizer; no GGUF files)."""
    return [name for name, spec in MODELS.items()
            if not spec.gguf_file and spec.architecture in _TOKENIZERS]


def make_one(spec: ModelSpec, folder: Path) -> Path:
    """Write a tiny random model for ``spec`` into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        tok = _TOKENIZERS[spec.architecture](spec, Path(work))
        tok.save_pretrained(folder)
    model = _model(spec, tok)
    model.save_pretrained(folder)
    if spec.architecture == "mt5":
        # mT5 checkpoints have their own output matrix (transformers 5 builds every mT5 tied)
        _write_weights(model, folder, untied=True)
    _mark(spec, folder, model, {})
    return folder


def _mark(spec: ModelSpec, folder: Path, model, extra: dict) -> None:
    """The two test-model marks: viensum-tiny.json and the flag in config.json."""
    config_file = folder / "config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config[CONFIG_FLAG] = True
    config_file.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    marker = {"random": True, "name": spec.name, "architecture": spec.architecture, "imitates": spec.hub_id,
              "parameters": sum(p.numel() for p in model.parameters()), **extra,
              "note": "tiny randomly initialised model built by viensum for tests; its output is noise"}
    (folder / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")


def _write_weights(model, folder: Path, *, untied: bool, pytorch_bin: bool = False) -> None:
    """The model's weights as a checkpoint file; ``untied`` gives the output layer its own random matrix."""
    import torch

    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    if untied:
        generator = torch.Generator().manual_seed(zlib.crc32(folder.name.encode()))
        # its own matrix: the shared one plus noise, so the random model's outputs stay as spread as a tied one's
        shared = state["shared.weight"]
        noise = torch.randn(shared.shape, generator=generator)
        state["lm_head.weight"] = shared + 0.1 * shared.std() * noise
    else:
        state.pop("lm_head.weight", None)  # tied: the checkpoint holds the shared matrix once
    for old in ("model.safetensors", "pytorch_model.bin"):
        (folder / old).unlink(missing_ok=True)
    if pytorch_bin:
        torch.save(state, folder / "pytorch_model.bin")
    else:
        from safetensors.torch import save_file

        save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})


def real_vocab_names(real_dir: str | Path) -> list[str]:
    """Registered T5-family models whose real tokenizer and config are in ``real_dir/<name>/``."""
    root = Path(real_dir)
    return [name for name, spec in MODELS.items() if spec.architecture in ("t5", "mt5")
            and (root / name / "config.json").is_file()
            and any((root / name / f).is_file() for f in ("spiece.model", "tokenizer.json"))]


def make_real_vocab(spec: ModelSpec, source: str | Path, folder: str | Path) -> Path:
    """A test model with ``source``'s real tokenizer files and config (layers shrunk), random weights.

    Untied configs (``tie_word_embeddings: false``: EnViT5) get a separate
    random output matrix, as their real checkpoints have. A folder whose real
    repository ships only ``pytorch_model.bin`` (EnViT5's main branch) gets its
    weights in that format, so loading a ``.bin`` is tested too.
    """
    import shutil

    import torch
    import transformers as tf

    source, folder = Path(source), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in REAL_FILES:
        if (source / name).is_file():
            shutil.copyfile(source / name, folder / name)
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    config.update(SHRINK_T5)
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    torch.manual_seed(zlib.crc32(spec.name.encode()))
    model = tf.AutoModelForSeq2SeqLM.from_config(tf.AutoConfig.from_pretrained(folder)).eval()
    # untied: T5 v1.1-style checkpoints (no output scaling); a config saved by transformers 5.0 may say
    # tie_word_embeddings: false next to scale_decoder_outputs: true, which is a tied v1.0 model
    untied = config.get("tie_word_embeddings") is False and not config.get("scale_decoder_outputs", False)
    _write_weights(model, folder, untied=untied, pytorch_bin=spec.name in BIN_ONLY)
    gen = tf.GenerationConfig.from_model_config(model.config)
    gen.max_length = None
    gen.max_new_tokens = TINY_MAX_NEW_TOKENS  # random weights never choose EOS
    gen.bad_words_ids = [[model.config.pad_token_id]]
    gen.save_pretrained(folder)
    _mark(spec, folder, model, {"real_vocabulary": True, "untied": untied, "source": str(source)})
    return folder


# hub repositories whose main branch has pytorch_model.bin and no safetensors
BIN_ONLY = frozenset({"envit5-translation"})


def make_tiny(out_dir: str | Path, names: list[str] | None = None,
              real_models: str | Path | None = None) -> dict[str, Path]:
    """Build tiny random models for ``names`` (default: every model they can be built for) under out_dir/<name>.

    With ``real_models`` (default: ``$VIENSUM_REAL_MODELS``), a folder of real
    tokenizer/config files per model, the real-vocabulary test models of the
    chosen names found there are built too, under out_dir/real-vocab/<name>
    (returned as ``"real-vocab/<name>"``).
    """
    import os

    from viensum.registry import get_model

    out = Path(out_dir)
    chosen = names if names else tiny_names()
    built = {}
    for name in chosen:
        spec = get_model(name)
        if name not in tiny_names():
            raise ValueError(f"cannot build a tiny '{name}' (family {spec.family}, architecture {spec.architecture})")
        built[name] = make_one(spec, out / name)
        log.info("tiny %s written to %s", name, built[name])
    real = real_models or os.environ.get(REAL_MODELS_ENV)
    if real:
        for name in real_vocab_names(real):
            if name in chosen:
                key = f"{REAL_VOCAB_DIR}/{name}"
                built[key] = make_real_vocab(get_model(name), Path(real) / name, out / REAL_VOCAB_DIR / name)
                log.info("real-vocabulary test model %s written to %s", name, built[key])
    return built


def is_tiny(folder: str | Path) -> bool:
    """Whether a model folder holds one of viensum's random test models (either mark)."""
    folder = Path(folder)
    if (folder / MARKER).is_file():
        return True
    try:
        return json.loads((folder / "config.json").read_text(encoding="utf-8")).get(CONFIG_FLAG) is True
    except (OSError, ValueError, AttributeError):
        return False
