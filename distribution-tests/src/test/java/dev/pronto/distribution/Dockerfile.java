package dev.pronto.distribution;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The instructions of a Dockerfile, enough of its grammar to check what it copies and runs:
 * comments, line continuations, stages and JSON (exec form) arguments.
 *
 * @param instructions every instruction in order
 */
record Dockerfile(List<Instruction> instructions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One instruction.
     *
     * @param stage index of the build stage (the n-th {@code FROM}, from 0)
     * @param keyword upper-case keyword such as {@code COPY}
     * @param arguments the rest of the instruction, continuations joined
     */
    record Instruction(int stage, String keyword, String arguments) {
        /** The arguments as a JSON array (exec form), e.g. {@code ["a", "b"]}. */
        List<String> jsonArguments() {
            return parseJson(arguments);
        }

        /** Whitespace-separated words, flags such as {@code --from=build} included. */
        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int stage = -1;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (continues) {
                continue;
            }
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            String keyword = text.substring(0, space).toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(stage, keyword, text.substring(space + 1).strip()));
        }
        return new Dockerfile(instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
    }

    int lastStage() {
        return instructions.get(instructions.size() - 1).stage();
    }

    /** The instructions of the final (runtime) stage with this keyword. */
    List<Instruction> runtime(String keyword) {
        return all(keyword).stream().filter(instruction -> instruction.stage() == lastStage()).toList();
    }

    Instruction onlyRuntime(String keyword) {
        List<Instruction> found = runtime(keyword);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the runtime stage, found " + found);
        }
        return found.get(0);
    }

    static List<String> parseJson(String array) {
        try {
            return JSON.readValue(array, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new AssertionError("not a JSON array of strings (exec form): " + array, e);
        }
    }
}
