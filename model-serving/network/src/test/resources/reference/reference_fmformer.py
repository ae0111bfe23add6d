#!/usr/bin/env python3
"""The reference FmFormer (class ViTForViCu of the FMF benchmark code), written for this project's
tests from the public description in docs/reference-weights.md: the same modules under the same
names, hence the same state_dict keys, and the same forward pass on raw inputs (pixels 0..255 in a
[B, C, T, x, y] clip, currents in amperes).

Writes into OUT_DIR, with random weights (fixed seed) that also randomise every LayerNorm and
BatchNorm affine parameter and running statistic, so an importer that ignores one of them fails:
  cls.pth, seg.pth          state_dicts of the classification and segmentation variants (torch.save)
  video.u8                  [B, 3, 10, 64(x), 64(y)] raw pixels, the official layout
  current.f32               [B, 240, 3] raw amperes, little-endian float32
  cls_logits.f32            [B, 2] summed class logits of the classification variant
  seg_logits.f32            [B, 2, 64(x), 64(y)] mask logits of the segmentation variant
  other.pth                 a state_dict of another network (a small MLP)
  broken.pth                the classification state_dict without pos_embedding2, with extra.weight
Usage: reference_fmformer.py OUT_DIR
"""
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

DIM, DEPTH, HEADS, HEAD_DIM, MLP = 96, 6, 3, 32, 384   # the released configuration
FRAMES, SIZE, PATCH, FRAME_PATCH, CHANNELS = 10, 64, 8, 2, 3
CURRENT_STEPS, PHASES, CLASSES = 240, 3, 2
BATCH = 3


def to_patches(video, patch, frame_patch):
    """'b c (f pf) (h p1) (w p2) -> b (f h w) (p1 p2 pf c)' without einops."""
    b, c, t, h, w = video.shape
    x = video.reshape(b, c, t // frame_patch, frame_patch, h // patch, patch, w // patch, patch)
    x = x.permute(0, 2, 4, 6, 5, 7, 3, 1)  # b f h w p1 p2 pf c
    return x.reshape(b, -1, patch * patch * frame_patch * c)


class Patches(nn.Module):
    """Stands where the reference has an einops Rearrange (index 0 of the embedding Sequential)."""

    def forward(self, video):
        return to_patches(video, PATCH, FRAME_PATCH)


class Fold(nn.Module):
    """'b (t h w) c -> b (t c) h w'."""

    def __init__(self, t, side):
        super().__init__()
        self.t, self.side = t, side

    def forward(self, tokens):
        b, _, c = tokens.shape
        x = tokens.reshape(b, self.t, self.side, self.side, c).permute(0, 1, 4, 2, 3)
        return x.reshape(b, self.t * c, self.side, self.side)


def heads_split(x):
    b, n, _ = x.shape
    return x.reshape(b, n, HEADS, HEAD_DIM).transpose(1, 2)


def attend(q, k, v):
    weights = (torch.matmul(q, k.transpose(-1, -2)) * HEAD_DIM ** -0.5).softmax(dim=-1)
    out = torch.matmul(weights, v).transpose(1, 2)
    return out.reshape(out.shape[0], out.shape[1], HEADS * HEAD_DIM)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(DIM)
        self.to_qkv = nn.Linear(DIM, 3 * HEADS * HEAD_DIM, bias=False)
        self.to_out = nn.Sequential(nn.Linear(HEADS * HEAD_DIM, DIM), nn.Dropout(0.0))

    def forward(self, x):
        q, k, v = map(heads_split, self.to_qkv(self.norm(x)).chunk(3, dim=-1))
        return self.to_out(attend(q, k, v))


class CrossAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(DIM), nn.LayerNorm(DIM)
        self.to_qkv1 = nn.Linear(DIM, 3 * HEADS * HEAD_DIM, bias=False)
        self.to_qkv2 = nn.Linear(DIM, 3 * HEADS * HEAD_DIM, bias=False)
        self.to_out1 = nn.Sequential(nn.Linear(HEADS * HEAD_DIM, DIM), nn.Dropout(0.0))
        self.to_out2 = nn.Sequential(nn.Linear(HEADS * HEAD_DIM, DIM), nn.Dropout(0.0))

    def forward(self, x1, x2):
        q1, k1, v1 = map(heads_split, self.to_qkv1(self.norm1(x1)).chunk(3, dim=-1))
        q2, k2, v2 = map(heads_split, self.to_qkv2(self.norm2(x2)).chunk(3, dim=-1))
        return self.to_out1(attend(q1, k2, v2)), self.to_out2(attend(q2, k1, v1))


class FeedForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(DIM), nn.Linear(DIM, MLP), nn.GELU(), nn.Dropout(0.0),
                                 nn.Linear(MLP, DIM), nn.Dropout(0.0))

    def forward(self, x):
        return self.net(x)


class MultiStreamAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.stream1, self.stream2, self.cross_attn = Attention(), Attention(), CrossAttention()

    def forward(self, x1, x2):
        x1 = x1 + self.stream1(x1)
        x2 = x2 + self.stream2(x2)
        r1, r2 = self.cross_attn(x1, x2)
        return x1 + r1, x2 + r2


class MultiStreamFeedForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.ff1, self.ff2 = FeedForward(), FeedForward()

    def forward(self, x1, x2):
        return x1 + self.ff1(x1), x2 + self.ff2(x2)


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList(
            [nn.ModuleList([MultiStreamAttention(), MultiStreamFeedForward()]) for _ in range(DEPTH)])

    def forward(self, x1, x2):
        for attn, ff in self.layers:
            x1, x2 = attn(x1, x2)
            x1, x2 = ff(x1, x2)
        return x1, x2


class ClassificationHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp_head1 = nn.Sequential(nn.LayerNorm(DIM), nn.Linear(DIM, CLASSES))
        self.mlp_head2 = nn.Sequential(nn.LayerNorm(DIM), nn.Linear(DIM, CLASSES))

    def forward(self, x1, x2):
        return self.mlp_head1(x1[:, 0]) + self.mlp_head2(x2[:, 0])


class ResidualConvUnit(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, kernel_size=3, stride=1, padding=1, bias=True)
        self.bn1 = nn.BatchNorm2d(features)

    def forward(self, x):
        x = F.relu(x)  # the reference's in-place ReLU: the skip carries ReLU(x)
        return self.conv1(self.bn1(x)) + x


def upsampling(cin, cout):
    return nn.Sequential(nn.ConvTranspose2d(cin, cout, kernel_size=2, stride=2), ResidualConvUnit(cout))


class SegmentationHead(nn.Module):
    def __init__(self):
        super().__init__()
        t, side = FRAMES // FRAME_PATCH, SIZE // PATCH
        self.standard = t * side * side
        self.de_patch_embedding = nn.Sequential(Fold(t, side), nn.Conv2d(t * DIM, DIM, kernel_size=1))
        self.de_patch_embedding_dilated = nn.Sequential(Fold(t, side // 2), nn.Conv2d(t * DIM, DIM, kernel_size=1))
        self.decode_dilated = upsampling(DIM, DIM)
        self.decode1, self.decode2, self.decode3 = upsampling(DIM, 128), upsampling(128, 64), upsampling(64, 32)
        self.decode_out = nn.Conv2d(32, CLASSES, kernel_size=1)

    def forward(self, x1, x2):
        tokens = x1[:, 1:]
        x = self.de_patch_embedding(tokens[:, :self.standard])
        x = x + self.decode_dilated(self.de_patch_embedding_dilated(tokens[:, self.standard:]))
        return self.decode_out(self.decode3(self.decode2(self.decode1(x))))


class AdditionalVideoTokens(nn.Module):
    def __init__(self):
        super().__init__()
        patch_dim = CHANNELS * PATCH * PATCH * FRAME_PATCH
        self.to_patch_embedding = nn.Sequential(Patches(), nn.LayerNorm(patch_dim), nn.Linear(patch_dim, DIM),
                                                nn.LayerNorm(DIM))
        tokens = (FRAMES // FRAME_PATCH) * (SIZE // 2 // PATCH) ** 2
        self.pos_embedding = nn.Parameter(torch.randn(1, tokens, DIM))

    def forward(self, video):
        x = F.interpolate(video, (FRAMES, SIZE // 2, SIZE // 2), mode='nearest')
        return self.to_patch_embedding(x) + self.pos_embedding


class ViTForViCu(nn.Module):
    def __init__(self, task):
        super().__init__()
        patch_dim = CHANNELS * PATCH * PATCH * FRAME_PATCH
        tokens = (FRAMES // FRAME_PATCH) * (SIZE // PATCH) ** 2
        self.to_patch_embedding1 = nn.Sequential(Patches(), nn.LayerNorm(patch_dim), nn.Linear(patch_dim, DIM),
                                                 nn.LayerNorm(DIM))
        self.pos_embedding1 = nn.Parameter(torch.randn(1, tokens + 1, DIM))
        self.cls_token1 = nn.Parameter(torch.randn(1, 1, DIM))
        self.get_additional_tokens = AdditionalVideoTokens()
        self.to_patch_embedding2 = nn.Sequential(nn.LayerNorm(PHASES), nn.Linear(PHASES, DIM), nn.LayerNorm(DIM))
        self.pos_embedding2 = nn.Parameter(torch.randn(1, CURRENT_STEPS + 1, DIM))
        self.cls_token2 = nn.Parameter(torch.randn(1, 1, DIM))
        self.transformer = Transformer()
        self.head = ClassificationHead() if task == 'classification' else SegmentationHead()

    def forward(self, video, current):
        b = video.shape[0]
        x1 = torch.cat((self.cls_token1.expand(b, -1, -1), self.to_patch_embedding1(video)), dim=1)
        x1 = x1 + self.pos_embedding1
        x1 = torch.cat((x1, self.get_additional_tokens(video)), dim=1)
        x2 = torch.cat((self.cls_token2.expand(b, -1, -1), self.to_patch_embedding2(current)), dim=1)
        x2 = x2 + self.pos_embedding2
        x1, x2 = self.transformer(x1, x2)
        return self.head(x1, x2)


def randomise_norms(model, generator):
    """Affine parameters and running statistics away from their defaults (1, 0, 0, 1)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.LayerNorm, nn.BatchNorm2d)):
                m.weight.copy_(1 + 0.3 * torch.randn(m.weight.shape, generator=generator))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=generator))
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=generator))
                m.num_batches_tracked.fill_(1234)


def inputs(generator):
    """Raw pixels 0..255 (sample 0 uniform, 1 low-contrast mist with a faint spot, 2 gradients) and amperes."""
    video = torch.empty(BATCH, CHANNELS, FRAMES, SIZE, SIZE)
    video[0] = torch.randint(0, 256, (CHANNELS, FRAMES, SIZE, SIZE), generator=generator).float()
    mist = 118 + torch.randint(0, 4, (CHANNELS, FRAMES, SIZE, SIZE), generator=generator).float()
    mist[0, :, 20:26, 40:44] += 6  # a faint warm spot: x 20..25, y 40..43, red channel
    video[1] = mist
    xs = torch.arange(SIZE).float().view(1, 1, SIZE, 1)
    ys = torch.arange(SIZE).float().view(1, 1, 1, SIZE)
    ramp = (2 * xs + ys + 7 * torch.arange(FRAMES).float().view(1, FRAMES, 1, 1)) % 200
    video[2] = (ramp + torch.randint(0, 20, (CHANNELS, FRAMES, SIZE, SIZE), generator=generator)).clamp(0, 255)
    current = 10000 + 1500 * torch.randn(BATCH, CURRENT_STEPS, PHASES, generator=generator)
    return video, current


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(7)
    generator = torch.Generator().manual_seed(11)
    video, current = inputs(generator)
    video.to(torch.uint8).numpy().tofile(os.path.join(out_dir, 'video.u8'))
    current.numpy().astype('<f4').tofile(os.path.join(out_dir, 'current.f32'))
    for task, name in (('classification', 'cls'), ('segmentation', 'seg')):
        model = ViTForViCu(task)
        randomise_norms(model, generator)
        model.eval()
        torch.save(model.state_dict(), os.path.join(out_dir, name + '.pth'))
        with torch.no_grad():
            logits = model(video, current)
        logits.numpy().astype('<f4').tofile(os.path.join(out_dir, name + '_logits.f32'))
        if task == 'classification':
            broken = model.state_dict()
            del broken['pos_embedding2']
            broken['extra.weight'] = torch.zeros(3)
            torch.save(broken, os.path.join(out_dir, 'broken.pth'))
    torch.save(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)).state_dict(),
               os.path.join(out_dir, 'other.pth'))
    print('wrote', sorted(os.listdir(out_dir)))


if __name__ == '__main__':
    main(sys.argv[1])
