package org.fmfstream.model.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes the report's pictures. */
final class PngFile {
    private PngFile() {}

    /** Writes {@code image} as a PNG, creating the parent directory. */
    static void write(BufferedImage image, Path png) {
        try {
            if (png.getParent() != null) {
                Files.createDirectories(png.getParent());
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
