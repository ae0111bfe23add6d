"""Builds a tiny TorchScript module with FmFormer's input/output contract, for the Java tests.

Usage: python3 tiny_fmformer_contract.py OUT_DIR

Inputs (float32): standard [B, 320, 384], dilated [B, 80, 384], current [B, 240, 3].
Outputs (tuple): video logits [B, 2], current logits [B, 2], mask logits [B, 2, 64, 64].

Writes OUT_DIR/tiny.pt (traced module), OUT_DIR/mask_too_small.pt (the same with a 32x32 mask,
which breaks the contract), OUT_DIR/inputs.f32 (standard, dilated, current of a
fixed batch, little-endian float32, concatenated), OUT_DIR/expected.f32 (the three outputs for
those inputs, concatenated) and OUT_DIR/meta.txt (batch size and torch version).
"""
import os
import sys

import torch
from torch import nn

BATCH = 3


class TinyContract(nn.Module):
    """Linear embeddings, mean pooling over tokens, and one linear head per output."""

    def __init__(self):
        super().__init__()
        self.standard = nn.Linear(384, 8)
        self.dilated = nn.Linear(384, 8)
        self.current = nn.Linear(3, 8)
        self.video_head = nn.Linear(16, 2)
        self.current_head = nn.Linear(8, 2)
        self.mask_head = nn.Linear(16, 2 * 64 * 64)

    def forward(self, standard, dilated, current):
        video = torch.cat([self.standard(standard).mean(1), self.dilated(dilated).mean(1)], dim=1)
        cur = self.current(current).mean(1)
        video_logits = self.video_head(torch.tanh(video))
        current_logits = self.current_head(torch.tanh(cur))
        mask_logits = self.mask_head(video).reshape(-1, 2, 64, 64)
        return video_logits, current_logits, mask_logits


class MaskTooSmall(TinyContract):
    """Breaks the contract on purpose: a 32x32 mask instead of 64x64."""

    def forward(self, standard, dilated, current):
        video_logits, current_logits, mask_logits = super().forward(standard, dilated, current)
        return video_logits, current_logits, mask_logits[:, :, :32, :32]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(7)
    module = TinyContract().eval()
    standard = torch.rand(BATCH, 320, 384)
    dilated = torch.rand(BATCH, 80, 384)
    current = torch.randn(BATCH, 240, 3) * 10.0
    with torch.no_grad():
        traced = torch.jit.trace(module, (standard, dilated, current))
        outputs = traced(standard, dilated, current)
    traced.save(os.path.join(out_dir, "tiny.pt"))
    with torch.no_grad():
        broken = torch.jit.trace(MaskTooSmall().eval(), (standard, dilated, current))
    broken.save(os.path.join(out_dir, "mask_too_small.pt"))
    with open(os.path.join(out_dir, "inputs.f32"), "wb") as f:
        for t in (standard, dilated, current):
            f.write(t.contiguous().numpy().astype("<f4").tobytes())
    with open(os.path.join(out_dir, "expected.f32"), "wb") as f:
        for t in outputs:
            f.write(t.contiguous().numpy().astype("<f4").tobytes())
    with open(os.path.join(out_dir, "meta.txt"), "w") as f:
        f.write("batch=%d\ntorch=%s\n" % (BATCH, torch.__version__))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tiny_fmformer_contract.py OUT_DIR")
    main(sys.argv[1])
