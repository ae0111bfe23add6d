package org.fmfstream.model.reference;

import java.util.ArrayList;
import java.util.List;
import org.fmfstream.model.fmformer.FmFormerConfig;

/**
 * Where every entry of a state_dict saved by the reference code ({@code ViTForViCu}) goes in this
 * project's {@code FmFormer}, and how its axes move ({@link FrameAxes}). Shapes are identical on
 * both sides; only names differ:
 *
 * <table>
 * <caption>Reference module -> this project's block</caption>
 * <tr><td>{@code to_patch_embedding1.1/2/3}, {@code pos_embedding1}, {@code cls_token1}</td>
 *     <td>{@code standardEmbedding.rawNorm/projection/tokenNorm}, {@code .position}, {@code .classToken}</td></tr>
 * <tr><td>{@code get_additional_tokens.to_patch_embedding.1/2/3}, {@code .pos_embedding}</td>
 *     <td>{@code dilatedEmbedding...}</td></tr>
 * <tr><td>{@code to_patch_embedding2.0/1/2}, {@code pos_embedding2}, {@code cls_token2}</td>
 *     <td>{@code currentEmbedding...} (no Rearrange, so indexes start at 0)</td></tr>
 * <tr><td>{@code transformer.layers.i.0.stream1/2.norm/to_qkv/to_out.0}</td>
 *     <td>{@code layer(i+1).video/currentSelfAttention.norm/queryKeyValue/output}</td></tr>
 * <tr><td>{@code transformer.layers.i.0.cross_attn.norm1/to_qkv1/to_out1.0} (…2)</td>
 *     <td>{@code layer(i+1).crossAttention.videoNorm/videoQueryKeyValue/videoOutput} (current…)</td></tr>
 * <tr><td>{@code transformer.layers.i.1.ff1/ff2.net.0/1/4}</td>
 *     <td>{@code layer(i+1).video/currentFeedForward.norm/expand/contract}</td></tr>
 * <tr><td>{@code head.mlp_head1/2.0/1}</td><td>{@code video/currentHead.norm/classifier}</td></tr>
 * <tr><td>{@code head.de_patch_embedding(_dilated).1}, {@code head.decode_dilated}, {@code head.decode1..3}
 *     ({@code .0} up-sampling, {@code .1.conv1}, {@code .1.bn1}), {@code head.decode_out}</td>
 *     <td>{@code denseHead.standardFold/dilatedFold}, {@code .dilatedUpsampling}, {@code .stage1..3}
 *     ({@code upsample}, {@code refine.conv}, {@code refine.norm}), {@code .classifier}</td></tr>
 * </table>
 * PyTorch's LayerNorm/BatchNorm {@code weight/bias/running_mean/running_var} are DJL's
 * {@code gamma/beta/runningMean/runningVar}. BatchNorm's {@code num_batches_tracked} counters have
 * no counterpart (they only matter for training with momentum None) and are accepted and dropped.
 * Project paths are DJL parameter keys without the two-digit ordinals DJL puts before each child
 * name, joined with dots ({@link #projectPath}).
 */
final class ReferenceKeyMap {

    /** BatchNorm counters the reference writes and this network has no use for. */
    static final String DROPPED_SUFFIX = ".num_batches_tracked";

    /** One reference entry, its parameter here, and its rewrite. */
    record Entry(String referenceKey, String projectPath, FrameAxes.Rewrite rewrite) {}

    private final List<Entry> entries = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    private ReferenceKeyMap() {}

    /** The entries of the reference network with the heads and sizes of {@code config}. */
    static ReferenceKeyMap of(FmFormerConfig config) {
        ReferenceKeyMap map = new ReferenceKeyMap();
        FrameAxes.Rewrite patch = FrameAxes.patchValues(config);
        map.embedding("to_patch_embedding1.", 1, "standardEmbedding", patch);
        map.add("pos_embedding1", "standardEmbedding.position", FrameAxes.positions(config.gridSide(), true));
        map.add("cls_token1", "standardEmbedding.classToken", FrameAxes.Rewrite.AS_IS);
        map.embedding("get_additional_tokens.to_patch_embedding.", 1, "dilatedEmbedding", patch);
        map.add("get_additional_tokens.pos_embedding", "dilatedEmbedding.position",
                FrameAxes.positions(config.dilatedGridSide(), false));
        map.embedding("to_patch_embedding2.", 0, "currentEmbedding", FrameAxes.Rewrite.AS_IS);
        map.add("pos_embedding2", "currentEmbedding.position", FrameAxes.Rewrite.AS_IS);
        map.add("cls_token2", "currentEmbedding.classToken", FrameAxes.Rewrite.AS_IS);
        for (int i = 0; i < config.depth(); i++) {
            String ref = "transformer.layers." + i + ".";
            String mine = String.format("layer%02d.", i + 1);
            map.attention(ref + "0.stream1.", mine + "videoSelfAttention.");
            map.attention(ref + "0.stream2.", mine + "currentSelfAttention.");
            String cross = ref + "0.cross_attn.";
            map.norm(cross + "norm1", mine + "crossAttention.videoNorm");
            map.norm(cross + "norm2", mine + "crossAttention.currentNorm");
            map.add(cross + "to_qkv1.weight", mine + "crossAttention.videoQueryKeyValue.weight", FrameAxes.Rewrite.AS_IS);
            map.add(cross + "to_qkv2.weight", mine + "crossAttention.currentQueryKeyValue.weight", FrameAxes.Rewrite.AS_IS);
            map.linear(cross + "to_out1.0", mine + "crossAttention.videoOutput");
            map.linear(cross + "to_out2.0", mine + "crossAttention.currentOutput");
            map.feedForward(ref + "1.ff1.net.", mine + "videoFeedForward.");
            map.feedForward(ref + "1.ff2.net.", mine + "currentFeedForward.");
        }
        if (config.classHeads()) {
            map.norm("head.mlp_head1.0", "videoHead.norm");
            map.linear("head.mlp_head1.1", "videoHead.classifier");
            map.norm("head.mlp_head2.0", "currentHead.norm");
            map.linear("head.mlp_head2.1", "currentHead.classifier");
        }
        if (config.denseHead()) {
            map.linear("head.de_patch_embedding.1", "denseHead.standardFold");
            map.linear("head.de_patch_embedding_dilated.1", "denseHead.dilatedFold");
            map.upsampling("head.decode_dilated.", "denseHead.dilatedUpsampling.");
            for (int k = 1; k <= config.decoderChannels().size(); k++) {
                map.upsampling("head.decode" + k + ".", "denseHead.stage" + k + ".");
            }
            map.linear("head.decode_out", "denseHead.classifier");
        }
        return map;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Reference keys that are accepted and dropped ({@value #DROPPED_SUFFIX}). */
    List<String> dropped() {
        return dropped;
    }

    /**
     * A DJL parameter key as a dotted path without the ordinals: {@code 05layer01_01videoSelfAttention_01norm_gamma}
     * -> {@code layer01.videoSelfAttention.norm.gamma}.
     */
    static String projectPath(String djlKey) {
        StringBuilder path = new StringBuilder();
        for (String part : djlKey.split("_")) {
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(part.matches("\\d\\d.+") ? part.substring(2) : part);
        }
        return path.toString();
    }

    private void embedding(String ref, int first, String mine, FrameAxes.Rewrite rawLayout) {
        add(ref + first + ".weight", mine + ".rawNorm.gamma", rawLayout);
        add(ref + first + ".bias", mine + ".rawNorm.beta", rawLayout);
        add(ref + (first + 1) + ".weight", mine + ".projection.weight", rawLayout);
        add(ref + (first + 1) + ".bias", mine + ".projection.bias", FrameAxes.Rewrite.AS_IS);
        norm(ref + (first + 2), mine + ".tokenNorm");
    }

    private void attention(String ref, String mine) {
        norm(ref + "norm", mine + "norm");
        add(ref + "to_qkv.weight", mine + "queryKeyValue.weight", FrameAxes.Rewrite.AS_IS);
        linear(ref + "to_out.0", mine + "output");
    }

    private void feedForward(String ref, String mine) {
        norm(ref + "0", mine + "norm");
        linear(ref + "1", mine + "expand");
        linear(ref + "4", mine + "contract");
    }

    /** ConvTranspose2d (.0) then a residual unit (.1.conv1, .1.bn1): spatial kernels swap axes. */
    private void upsampling(String ref, String mine) {
        add(ref + "0.weight", mine + "upsample.weight", FrameAxes.KERNEL);
        add(ref + "0.bias", mine + "upsample.bias", FrameAxes.Rewrite.AS_IS);
        add(ref + "1.conv1.weight", mine + "refine.conv.weight", FrameAxes.KERNEL);
        add(ref + "1.conv1.bias", mine + "refine.conv.bias", FrameAxes.Rewrite.AS_IS);
        String bn = ref + "1.bn1";
        norm(bn, mine + "refine.norm");
        add(bn + ".running_mean", mine + "refine.norm.runningMean", FrameAxes.Rewrite.AS_IS);
        add(bn + ".running_var", mine + "refine.norm.runningVar", FrameAxes.Rewrite.AS_IS);
        dropped.add(bn + DROPPED_SUFFIX);
    }

    /** LayerNorm or BatchNorm affine parameters. */
    private void norm(String ref, String mine) {
        add(ref + ".weight", mine + ".gamma", FrameAxes.Rewrite.AS_IS);
        add(ref + ".bias", mine + ".beta", FrameAxes.Rewrite.AS_IS);
    }

    /** Linear layer or 1×1 convolution: weight and bias as they are. */
    private void linear(String ref, String mine) {
        add(ref + ".weight", mine + ".weight", FrameAxes.Rewrite.AS_IS);
        add(ref + ".bias", mine + ".bias", FrameAxes.Rewrite.AS_IS);
    }

    private void add(String ref, String mine, FrameAxes.Rewrite rewrite) {
        entries.add(new Entry(ref, mine, rewrite));
    }
}
