"""CRAFT inference options (defaults = the official CRAFT-pytorch ``test.py``, plus ocrkit's
second pass for small text, ``text_height``, polygons for curved words, ``poly=auto``, and
short words boxed along the page's text, ``follow_page``; ``text_height=0 poly=false
follow_page=false`` is the reference exactly)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CraftConfig:
    """Detector options, settable with ``--det-opt KEY=VALUE`` or ``load_detector(..., KEY=VALUE)``.

    Scores are the network's raw region/affinity regressions (trained toward [0, 1]).
    """

    text_threshold: float = 0.7  # min peak region score of a kept word
    # A component peaking from this up to text_threshold, under 2:1 (a lone character), comes
    # flagged unsure: a pipeline keeps it only where the recogniser reads it confidently
    # (ocrkit.unsure). >= text_threshold: none (the reference).
    unsure_threshold: float = 0.5
    low_text: float = 0.4  # region score above which a pixel belongs to a character
    link_threshold: float = 0.4  # affinity score above which two characters are joined
    canvas_size: int = 1280  # cap on the resized long side (pixels)
    mag_ratio: float = 1.5  # magnification before the cap (>1 enlarges small images)
    tile_size: int = 2560  # inputs larger than this (after resizing) run in overlapping tiles
    tile_overlap: int = 256  # pixels of network input shared by neighbouring tiles
    text_height: float = 24.0  # re-detect images whose median word is smaller (network px); 0 = off
    max_side: int = 2560  # cap on that second pass's resized long side (EasyOCR's canvas; = tile_size)
    poly: bool | str = "auto"  # 14-point polygons: true = every word, auto = curved words only
    follow_page: bool = True  # near-square words take the direction of the image's long words
    weights: str | None = None  # path to a state dict / ocrkit checkpoint; None = craft_mlt_25k
    batch_size: int | None = None  # images per forward pass; None = all given to detect()
    batch_padding: bool = False  # pad mixed input shapes into one pass (faster, see detector)
    precision: str = "fp32"  # fp32 (exact reference) | bf16 | fp16 (CUDA) | auto (ocrkit.precision)
    runtime: str = "torch"  # torch | onnx (ONNX Runtime on the CPU; weights=X.onnx or exported once)
    preprocess: str = "auto"  # cpu (numpy, the reference) | device (torch on the GPU) | auto
    memory_format: str = "auto"  # contiguous | channels_last | auto (channels_last on CUDA)
    compile: bool = False  # torch.compile the network (one compilation per input shape)
    postprocess_threads: int = 0  # threads fitting boxes of a batch's images; 0 = min(4, CPUs)
    # processes fitting boxes instead (spawned once; a map is ~2-6 MB to send): the per-word
    # steps run in parallel past the GIL, for a GPU host's many cores; 0 = the threads
    postprocess_processes: int = 0

    def __post_init__(self) -> None:
        for name in ("text_threshold", "unsure_threshold", "low_text", "link_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value}")
        if self.canvas_size < 32:
            raise ValueError(f"canvas_size must be >= 32 pixels, got {self.canvas_size}")
        if self.tile_size < 64 or self.tile_size % 32:
            raise ValueError(f"tile_size must be a multiple of 32, >= 64, got {self.tile_size}")
        if not 0 <= self.tile_overlap <= self.tile_size - 32:
            raise ValueError(
                f"tile_overlap must be in [0, tile_size - 32], got {self.tile_overlap}"
            )
        if self.text_height < 0:
            raise ValueError(f"text_height must be >= 0 (0 = one pass), got {self.text_height}")
        if self.max_side < 32:
            raise ValueError(f"max_side must be >= 32 pixels, got {self.max_side}")
        if isinstance(self.poly, str) and self.poly != "auto":
            raise ValueError(f"poly must be true, false or auto, got {self.poly!r}")
        if self.mag_ratio <= 0:
            raise ValueError(f"mag_ratio must be > 0, got {self.mag_ratio}")
        from ocrkit.precision import check_precision

        check_precision(self.precision, self.runtime)
        for name, allowed in (("preprocess", ("auto", "cpu", "device")),
                              ("memory_format", ("auto", "contiguous", "channels_last"))):  # fmt: skip
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {getattr(self, name)!r}")
        for name in ("postprocess_threads", "postprocess_processes"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")
