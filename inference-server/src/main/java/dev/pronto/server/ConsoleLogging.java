package dev.pronto.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration for the moments before the server has read its own ({@link LogSetup} replaces
 * it): INFO to the console, Jetty at INFO, the converter's loggers at ERROR. Found by logback through
 * {@code META-INF/services}, in place of a bundled {@code logback.xml}, whose parsing (Joran, an XML
 * parser and its model) cost a cold start ~5 % of its CPU on the main thread (docs/performance.md,
 * "Cold start"). A {@code -Dlogback.configurationFile} or a {@code logback-test.xml} on the class path
 * (the tests') is left to logback's own configurators.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** Logback creates it through {@link java.util.ServiceLoader}. */
    public ConsoleLogging() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || ConsoleLogging.class.getResource("/" + ClassicConstants.TEST_AUTOCONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(LogSetup.PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        context.getLogger("org.eclipse.jetty").setLevel(Level.INFO);
        for (String converter : LogSetup.CONVERTER_LOGGERS) {
            context.getLogger(converter).setLevel(Level.ERROR);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
