"""The CRAFT network: VGG16-BN U-Net → region/affinity maps at 1/2 resolution.

Written in plain torch (no torchvision). Module names and Sequential indices follow the official
state dict (SPEC §5) so ``craft_mlt_25k.pth`` loads with ``strict=True``.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

from ocrkit.layers import MaxPool2d  # nn.MaxPool2d, faster on the CPU, exact

# torchvision's VGG16 "D" configuration; "M" = 2×2 max-pool.
_VGG16 = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")
# Slice boundaries in torchvision's vgg16_bn.features indices: each slice ends on a BN output,
# before its ReLU (which opens the next slice). Kept so the state-dict keys match.
_SLICES = ((0, 12), (12, 19), (19, 29), (29, 39))


def _vgg16_bn_layers() -> list[nn.Module]:
    layers: list[nn.Module] = []
    in_ch = 3
    for v in _VGG16:
        if v == "M":
            layers.append(MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(in_ch, int(v), 3, padding=1), nn.BatchNorm2d(int(v)), nn.ReLU(True)]
            in_ch = int(v)
    return layers


class VGG16BNBackbone(nn.Module):
    """Returns the five skip features (strides 16, 16, 8, 4, 2) for the U-Net decoder."""

    def __init__(self) -> None:
        super().__init__()
        layers = _vgg16_bn_layers()
        for k, (start, stop) in enumerate(_SLICES, 1):
            seq = nn.Sequential(OrderedDict((str(i), layers[i]) for i in range(start, stop)))
            setattr(self, f"slice{k}", seq)
        # slice5 replaces fc6/fc7: 3×3 max-pool stride 1, dilated 3×3 conv, 1×1 conv, no ReLU.
        self.slice5 = nn.Sequential(
            MaxPool2d(kernel_size=3, stride=1, padding=1),
            nn.Conv2d(512, 1024, kernel_size=3, padding=6, dilation=6),
            nn.Conv2d(1024, 1024, kernel_size=1),
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        s1 = self.slice1(x)  # B×128×H/2×W/2
        s2 = self.slice2(s1)  # B×256×H/4×W/4
        s3 = self.slice3(s2)  # B×512×H/8×W/8
        s4 = self.slice4(s3)  # B×512×H/16×W/16
        s5 = self.slice5(s4)  # B×1024×H/16×W/16
        return s5, s4, s3, s2, s1


class DoubleConv(nn.Module):
    """1×1 conv (in+mid → mid) + BN + ReLU, 3×3 conv (mid → out) + BN + ReLU."""

    def __init__(self, in_ch: int, mid_ch: int, out_ch: int) -> None:
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(in_ch + mid_ch, mid_ch, kernel_size=1),
            nn.BatchNorm2d(mid_ch),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_ch, out_ch, kernel_size=3, padding=1),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class CRAFT(nn.Module):
    """CRAFT. ``forward(x)`` with x B×3×H×W (H, W multiples of 32) returns
    (scores B×H/2×W/2×2 — channel 0 region, 1 affinity, raw regressions, no sigmoid —,
    feature B×32×H/2×W/2)."""

    def __init__(self) -> None:
        super().__init__()
        self.basenet = VGG16BNBackbone()
        self.upconv1 = DoubleConv(1024, 512, 256)
        self.upconv2 = DoubleConv(512, 256, 128)
        self.upconv3 = DoubleConv(256, 128, 64)
        self.upconv4 = DoubleConv(128, 64, 32)
        self.conv_cls = nn.Sequential(
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(16, 16, 1), nn.ReLU(inplace=True),
            nn.Conv2d(16, 2, 1),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        s5, s4, s3, s2, s1 = self.basenet(x)
        y = self.upconv1(torch.cat([s5, s4], dim=1))  # 1536 ch → B×256×H/16
        for up, skip in ((self.upconv2, s3), (self.upconv3, s2), (self.upconv4, s1)):
            # Upsample to the skip's exact size (not ×2) so odd sizes work; order [up, skip].
            y = F.interpolate(y, size=skip.shape[2:], mode="bilinear", align_corners=False)
            y = up(torch.cat([y, skip], dim=1))
        feature = y  # B×32×H/2×W/2
        scores = self.conv_cls(feature)  # B×2×H/2×W/2
        return scores.permute(0, 2, 3, 1), feature  # → B×H/2×W/2×2


def init_weights(model: nn.Module) -> None:
    """Xavier-uniform convs, zero biases, BN γ=1 β=0 (the reference's fresh-layer init)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
