package dev.pronto.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The runtime image's file system, assembled on this machine by carrying out the runtime stage of
 * the Dockerfile itself: every {@code COPY} (from the build context, or {@code --from=build} out of
 * the build stage's {@code /src}, which is this repository after {@code ./mvnw package}) with its
 * {@code --chmod}, and every {@code RUN mkdir -p}. Paths of the image land under {@code imageRoot},
 * so {@code /app/bin/entrypoint.sh} becomes {@code <imageRoot>/app/bin/entrypoint.sh}.
 *
 * <p>There is no Docker engine here; this is how a wrong {@code COPY} source or destination, a
 * missing script or an entrypoint that names a file the image does not have fails the build.
 * What it cannot reproduce: the base image, {@code chown}, and the {@code USER} switch.
 */
final class ImageLayout {

    private final Path imageRoot;

    private ImageLayout(Path imageRoot) {
        this.imageRoot = imageRoot;
    }

    /** Carries out the runtime stage's COPY and RUN mkdir instructions into a fresh {@code imageRoot}. */
    static ImageLayout assemble(Dockerfile dockerfile, Path context, Path imageRoot) throws IOException {
        LocalMachine.deleteTree(imageRoot);
        Files.createDirectories(imageRoot);
        ImageLayout layout = new ImageLayout(imageRoot);
        String workdir = "/";
        for (Dockerfile.Instruction instruction : dockerfile.instructions()) {
            if (instruction.stage() != dockerfile.lastStage()) {
                continue;
            }
            switch (instruction.keyword()) {
                case "WORKDIR" -> workdir = instruction.arguments().strip();
                case "COPY" -> layout.copy(instruction, context, workdir);
                case "RUN" -> layout.makeDirectories(instruction.arguments());
                default -> {
                    // ENV, USER, EXPOSE, VOLUME, ...: read by the tests that need them
                }
            }
        }
        return layout;
    }

    /** Where a path of the image is in the assembled layout. */
    Path path(String imagePath) {
        if (!imagePath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute image path: " + imagePath);
        }
        return imageRoot.resolve(imagePath.substring(1));
    }

    /** Rewrites every {@code /app/...} (or other absolute image path under the given prefix) in a text. */
    String inImage(String text, String imagePrefix) {
        return text.replace(imagePrefix, path(imagePrefix) + "/");
    }

    private void copy(Dockerfile.Instruction instruction, Path context, String workdir) throws IOException {
        List<String> words = new ArrayList<>(instruction.words());
        String chmod = null;
        Path sourceRoot = context;
        String sourcePrefix = "";
        while (words.get(0).startsWith("--")) {
            String flag = words.remove(0);
            if (flag.startsWith("--chmod=")) {
                chmod = flag.substring("--chmod=".length());
            } else if (flag.equals("--from=build")) {
                sourcePrefix = DockerfileTest.BUILD_SOURCES; // the build stage's WORKDIR holds the context
            } else if (!flag.startsWith("--chown=")) {
                throw new AssertionError("COPY flag not understood by this stand-in: " + flag);
            }
        }
        String destination = words.remove(words.size() - 1);
        Path target = path(destination.startsWith("/") ? destination : workdir + "/" + destination);
        boolean intoDirectory = destination.endsWith("/") || words.size() > 1;
        for (String source : words) {
            String relative = source.startsWith(sourcePrefix) ? source.substring(sourcePrefix.length()) : source;
            Path from = sourceRoot.resolve(relative);
            if (!Files.exists(from)) {
                throw new AssertionError("COPY source missing: " + source + " (" + from + ")");
            }
            Path to = intoDirectory ? target.resolve(from.getFileName().toString()) : target;
            if (Files.isDirectory(from)) {
                ProjectLayout.copySources(from, to);
            } else {
                Files.createDirectories(to.getParent());
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                if (chmod != null) {
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(permissions(chmod)));
                }
            }
        }
    }

    /** Only {@code mkdir -p} matters for the layout; users and ownership cannot be made here. */
    private void makeDirectories(String command) {
        for (String part : command.split("&&")) {
            List<String> words = List.of(part.strip().split("\\s+"));
            if (words.size() > 2 && words.get(0).equals("mkdir") && words.get(1).equals("-p")) {
                for (String directory : words.subList(2, words.size())) {
                    try {
                        Files.createDirectories(path(directory));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    private static String permissions(String octal) {
        int mode = Integer.parseInt(octal, 8);
        StringBuilder text = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }
}
