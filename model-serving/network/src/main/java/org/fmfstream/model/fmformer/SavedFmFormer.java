package org.fmfstream.model.fmformer;

import java.nio.file.Path;

/**
 * Where {@link FmFormerModel#save} put a model: the directory, its DJL parameter file and the
 * file's SHA-256 (lower-case hex), which a deployment pins and passes back to
 * {@link FmFormerModel#load(Path, String)}.
 */
public record SavedFmFormer(Path directory, Path paramsFile, Path configFile, String paramsSha256) {}
