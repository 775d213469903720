package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * What {@code pronto --help} (and {@code pronto serve --help}) prints stays true: it names every command
 * the launcher runs, and every flag it shows is one that command accepts.
 */
class UsageTest {

    private static final String LAUNCHER = "java -jar pronto-server.jar ";
    /** A flag, and the upper-case placeholder after it when it takes a value ({@code --port PORT}). */
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--?[a-z][a-z-]*)( [A-Z][A-Z.|-]*)?");

    @Test
    void namesTheServerAndEveryToolCommand() {
        Map<String, picocli.CommandLine> tools = new picocli.CommandLine(Cli.class).getSubcommands();

        assertThat(tools.keySet()).containsExactlyInAnyOrderElementsOf(Cli.SUBCOMMANDS);
        assertThat(commandLines().keySet()).containsExactlyInAnyOrder("serve", "--version", "score", "inspect", "convert");
    }

    @Test
    void everyFlagShownForAToolCommandIsOneItAccepts() {
        Map<String, picocli.CommandLine> tools = new picocli.CommandLine(Cli.class).getSubcommands();
        for (String tool : Cli.SUBCOMMANDS) {
            List<String> shown = flags(commandLines().get(tool)).keySet().stream().toList();
            assertThat(shown).as(tool).isNotEmpty();
            for (String flag : shown) {
                assertThat(tools.get(tool).getCommandSpec().findOption(flag)).as(tool + " " + flag).isNotNull();
            }
        }
    }

    @Test
    void everyServerFlagShownIsOneTheServerParsesAndTheOtherWayRound() {
        // the server's lines and the explained flags below them
        StringBuilder serverText = new StringBuilder(commandLines().get("serve")).append('\n');
        Main.USAGE.lines().filter(line -> line.stripLeading().startsWith("--")).forEach(line -> serverText.append(line).append('\n'));
        Map<String, Boolean> shown = flags(serverText.toString());

        shown.forEach((flag, takesValue) -> assertThatCode(() -> CommandLine.parse(takesValue ? List.of(flag, "x") : List.of(flag)))
                .as(flag).doesNotThrowAnyException());
        // what the parser's own error message lists as known is what the usage shows
        assertThat(flags(CommandLine.USAGE_FLAGS.substring(CommandLine.USAGE_FLAGS.indexOf(':') + 1)).keySet())
                .isSubsetOf(shown.keySet());
        assertThat(shown.keySet()).contains("--config", "--credentials", "--host", "--port", "--model-root", "--check-config",
                "--version", "--help");
    }

    /** The usage's command lines by the command they run: {@code serve} for the server's, the first word otherwise. */
    private static Map<String, String> commandLines() {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : Main.USAGE.lines().toList()) {
            int at = line.indexOf(LAUNCHER);
            if (at < 0) {
                continue;
            }
            String command = line.substring(at + LAUNCHER.length());
            String first = command.split(" ")[0];
            String name = first.startsWith("[serve]") || (first.startsWith("[--") && !first.equals("--version")) ? "serve" : first;
            lines.merge(name, command, (a, b) -> a + "\n" + b);
        }
        return lines;
    }

    /** The flags in the text, each with whether a placeholder for its value follows it. */
    private static Map<String, Boolean> flags(String text) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Matcher matcher = FLAG.matcher(text);
        while (matcher.find()) {
            flags.merge(matcher.group(1), matcher.group(2) != null, Boolean::logicalOr);
        }
        return flags;
    }
}
