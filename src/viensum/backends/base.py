"""The small interface every model backend implements."""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from viensum.registry import ModelSpec


class Backend(ABC):
    """One loaded model that turns source texts into generated texts.

    ``generate`` takes plain source texts (a backend adds the model's own
    prefix, language codes or chat template) and returns one output per input,
    in input order, with the model's output prefix stripped.
    """

    needs_weights: bool = True  # False for backends that load nothing (e.g. the tests' stand-in)
    engine: str = "transformers"  # what runs the network; recorded in Summary.settings["engines"]

    def __init__(
        self,
        spec: ModelSpec,
        path: Path | None,
        *,
        device: str | None = None,
        dtype: str | None = None,
        quantize: str | None = None,
    ) -> None:
        self.spec = spec
        self.path = path
        self.device = device or "cpu"
        self.dtype = dtype
        self.quantize = quantize
        from viensum.tiny import is_tiny

        # viensum's tiny random test models carry a marker: results can say their output is noise
        self.test_model: bool = bool(path) and is_tiny(path)

    @property
    def model_id(self) -> str:
        """What produced the output: the hub id, or the local path it was loaded from."""
        return self.spec.hub_id

    @property
    def provenance(self) -> str:
        """``model_id``, with "tiny random test model" when the weights are one of viensum's test models."""
        return f"{self.model_id} (tiny random test model, output is noise)" if self.test_model else self.model_id

    @property
    def max_input_tokens(self) -> int:
        """The longest source, in tokens, the model accepts without truncation."""
        return self.spec.max_input_tokens

    def strip_output(self, text: str) -> str:
        """A decoded output without surrounding space and the model's output prefix ("en: ")."""
        text = text.strip()
        prefix = self.spec.output_prefix.strip()
        if prefix and text.startswith(prefix):
            text = text[len(prefix):].lstrip()
        return text

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes as model input, prefix included."""

    @abstractmethod
    def generate(
        self,
        texts: Sequence[str],
        *,
        max_new_tokens: int | None = None,
        min_new_tokens: int | None = None,
        num_beams: int | None = None,
        batch_size: int = 16,
    ) -> list[str]:
        """Generate one output per input text, in input order."""

    @property
    def tokenizer_lock(self) -> threading.RLock:
        """Held around every call into this backend's tokenizer: a Hugging Face fast tokenizer keeps its
        padding and truncation settings on one shared object, so two threads' calls would race (one
        thread's padded batch encoded with the other's settings). The model itself runs unlocked."""
        return self.__dict__.setdefault("_tokenizer_lock", threading.RLock())

    def __repr__(self) -> str:
        extra = ", test_model=True" if self.test_model else ""
        return f"{type(self).__name__}({self.spec.name!r}, device={self.device!r}{extra})"
