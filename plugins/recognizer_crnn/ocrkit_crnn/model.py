"""CRNN: VGG feature extractor → 2 × BiLSTM → linear, as EasyOCR's english_g2 (SPEC §4.1).

Module names and Sequential indices follow the official state dict so it loads with strict=True.
"""

from __future__ import annotations

import torch
from torch import nn

from ocrkit.layers import MaxPool2d  # nn.MaxPool2d, faster on the CPU, exact


class VGGFeatureExtractor(nn.Module):
    """1×64×W grey crop → 256×3×(W/4 − 1) features (channels 32/64/128/256)."""

    def __init__(self, in_ch: int = 1, out_ch: int = 256) -> None:
        super().__init__()
        c = [out_ch // 8, out_ch // 4, out_ch // 2, out_ch]  # 32, 64, 128, 256
        self.ConvNet = nn.Sequential(
            nn.Conv2d(in_ch, c[0], 3, 1, 1), nn.ReLU(True), MaxPool2d(2, 2),  # 64→32
            nn.Conv2d(c[0], c[1], 3, 1, 1), nn.ReLU(True), MaxPool2d(2, 2),  # 32→16
            nn.Conv2d(c[1], c[2], 3, 1, 1), nn.ReLU(True),
            nn.Conv2d(c[2], c[2], 3, 1, 1), nn.ReLU(True), MaxPool2d((2, 1), (2, 1)),  # 16→8
            nn.Conv2d(c[2], c[3], 3, 1, 1, bias=False), nn.BatchNorm2d(c[3]), nn.ReLU(True),
            nn.Conv2d(c[3], c[3], 3, 1, 1, bias=False), nn.BatchNorm2d(c[3]), nn.ReLU(True),
            MaxPool2d((2, 1), (2, 1)),  # 8→4
            nn.Conv2d(c[3], c[3], 2, 1, 0), nn.ReLU(True),  # 4→3 high, W/4 → W/4 − 1 wide
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ConvNet(x)


class BidirectionalLSTM(nn.Module):
    def __init__(self, in_size: int, hidden: int, out_size: int) -> None:
        super().__init__()
        self.rnn = nn.LSTM(in_size, hidden, bidirectional=True, batch_first=True)
        self.linear = nn.Linear(hidden * 2, out_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # B×T×in → B×T×out
        self.rnn.flatten_parameters()
        recurrent, _ = self.rnn(x)  # B×T×2·hidden
        return self.linear(recurrent)


class CRNN(nn.Module):
    """``forward(x)``: x B×1×64×W in [−1, 1] → logits B×T×num_classes, T = W/4 − 1."""

    def __init__(self, num_classes: int = 97, in_ch: int = 1, out_ch: int = 256, hidden: int = 256):
        super().__init__()
        self.FeatureExtraction = VGGFeatureExtractor(in_ch, out_ch)
        self.SequenceModeling = nn.Sequential(
            BidirectionalLSTM(out_ch, hidden, hidden), BidirectionalLSTM(hidden, hidden, hidden)
        )
        self.Prediction = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = self.FeatureExtraction(x)  # B×C×H'×T (H' = 3)
        # Mean over the height (the reference's AdaptiveAvgPool2d((None, 1)); `mean` exports).
        seq = features.permute(0, 3, 1, 2).mean(dim=3)  # B×T×C
        return self.Prediction(self.SequenceModeling(seq))  # B×T×num_classes
