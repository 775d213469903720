package dev.pronto.server;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedFileNamingAndTriggeringPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;

/**
 * Configures logback from the seed's {@code [Logs]} section: a console channel and, when a
 * directory is set, a file channel named {@code <prefix>-id-<HOSTNAME>_<pid>.log} (the seed's
 * {@code <prefix>-id-<pid>.log} when {@code HOSTNAME} is unset), each with its own level, the file
 * rolled over by time when the seed's {@code logger_type} asks for it and by size always, keeping a
 * bounded number of rolled files. Replaces the bundled
 * {@code logback.xml}, which only covers the moments before the configuration is read.
 */
final class LogSetup {

    /** Loggers of the JPMML-SkLearn converter, kept to errors; logback.xml lists the same names. */
    static final List<String> CONVERTER_LOGGERS = List.of("sklearn2pmml", "org.jpmml");
    /**
     * How often the file's size is compared with the cap; logback's default, a minute, would let a busy
     * server write tens of megabytes past it.
     */
    private static final Duration SIZE_CHECK_INCREMENT = Duration.buildBySeconds(1);
    /** The most numbered files logback's fixed window keeps; it refuses more. */
    private static final int MAX_NUMBERED_FILES = 20;
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}: %msg%n";

    /** The appender of the last {@link #apply}, for {@link #flush}. */
    private static volatile BatchingAppender current;

    private LogSetup() {
    }

    /**
     * Turns every logger off, for commands whose standard output is data ({@code pronto score --output -}).
     * Unlike {@link #apply} it resets nothing, so no console stream is closed: that would close file
     * descriptor 1 of a JVM that runs the command in-process (a test).
     */
    static void silence() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                logger.setLevel(Level.OFF);
            }
        }
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
    }

    /**
     * Applies the settings.
     *
     * @param hostName the {@code HOSTNAME} environment variable, or {@code null}
     * @return the log file, or {@code null} for console only
     */
    static Path apply(LogSettings settings, String hostName) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level consoleLevel = Level.toLevel(settings.consoleLevel());
        Level fileLevel = Level.toLevel(settings.fileLevel());
        // the root passes what the more verbose channel wants; each channel filters to its own level
        boolean toFile = settings.directory().isPresent();
        root.setLevel(toFile && fileLevel.toInt() < consoleLevel.toInt() ? fileLevel : consoleLevel);
        // Jetty's and Javalin's DEBUG output is about their internals, not about requests or models
        context.getLogger("org.eclipse.jetty").setLevel(Level.INFO);
        context.getLogger("io.javalin").setLevel(Level.INFO);
        // the scikit-learn converter warns on every conversion about pickle attributes Pronto does not
        // need (target names, verification data); its real failures reach us as exceptions instead
        for (String converter : CONVERTER_LOGGERS) {
            context.getLogger(converter).setLevel(Level.ERROR);
        }

        // not logback's ConsoleAppender: it writes through System.out, whose PrintStream flushes every line
        OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder(context));
        console.setImmediateFlush(false);
        console.setOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
        console.addFilter(threshold(context, consoleLevel));
        console.start();

        List<OutputStreamAppender<ILoggingEvent>> channels = new ArrayList<>(List.of(console));
        Path file = settings.directory().isEmpty() ? null : fileChannel(settings, hostName, context, fileLevel, channels);
        BatchingAppender batching = new BatchingAppender(channels);
        batching.setContext(context);
        batching.setName("batching");
        batching.start();
        root.addAppender(batching);
        current = batching;
        return file;
    }

    /**
     * Writes out every line logged so far, waiting up to five seconds; called before the process
     * exits, as the log writer thread does not keep the JVM alive.
     */
    static void flush() {
        BatchingAppender batching = current;
        if (batching != null) {
            batching.flush(5, TimeUnit.SECONDS);
        }
    }

    static Path fileChannel(LogSettings settings, String hostName, LoggerContext context, Level fileLevel,
            List<OutputStreamAppender<ILoggingEvent>> channels) {
        String id = hostName == null || hostName.isBlank() ? String.valueOf(ProcessHandle.current().pid())
                : hostName + "_" + ProcessHandle.current().pid();
        Path file = settings.directory().get().resolve(settings.filePrefix() + "-id-" + id + ".log").toAbsolutePath();
        // every file rolls by size as well, with a cap on the files kept: a busy server's access lines alone
        // wrote 328 MB in a three-minute soak, and a disk filled by logs stops more than the logging
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        // the policies read the file name when they start
        appender.setContext(context);
        appender.setFile(file.toString());
        FileSize maxFileSize = new FileSize(settings.maxFileBytes());
        if (settings.rotation().equals("none")) {
            FixedWindowRollingPolicy policy = new FixedWindowRollingPolicy();
            policy.setContext(context);
            policy.setParent(appender);
            policy.setFileNamePattern(file + ".%i");
            policy.setMinIndex(1);
            policy.setMaxIndex(Math.min(settings.maxFiles(), MAX_NUMBERED_FILES));
            policy.start();
            SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
            trigger.setContext(context);
            trigger.setMaxFileSize(maxFileSize);
            trigger.setCheckIncrement(SIZE_CHECK_INCREMENT);
            trigger.start();
            appender.setRollingPolicy(policy);
            appender.setTriggeringPolicy(trigger);
        } else {
            TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
            policy.setContext(context);
            policy.setParent(appender);
            // the seed's TimedRotatingFileHandler appends the period to the file name the same way; %i counts
            // the files of one period that the size cap split
            policy.setFileNamePattern(file + ".%d{" + datePattern(settings.rotation()) + "}.%i");
            SizeAndTimeBasedFileNamingAndTriggeringPolicy<ILoggingEvent> bySize = new SizeAndTimeBasedFileNamingAndTriggeringPolicy<>();
            bySize.setMaxFileSize(maxFileSize);
            bySize.setCheckIncrement(SIZE_CHECK_INCREMENT);
            policy.setTimeBasedFileNamingAndTriggeringPolicy(bySize);
            policy.setMaxHistory(settings.maxFiles());
            policy.setTotalSizeCap(new FileSize(settings.maxFileBytes() * (settings.maxFiles() + 1)));
            policy.start();
            appender.setRollingPolicy(policy);
        }
        appender.setName("file");
        appender.setEncoder(encoder(context));
        appender.setImmediateFlush(false);
        appender.addFilter(threshold(context, fileLevel));
        appender.start();
        if (!appender.isStarted()) {
            throw new ConfigException("[Logs] log_file_path: cannot write the log file " + file);
        }
        channels.add(appender);
        return file;
    }

    private static String datePattern(String rotation) {
        return switch (rotation.toLowerCase(Locale.ROOT)) {
            case "secondly" -> "yyyy-MM-dd_HH-mm-ss";
            case "minutely" -> "yyyy-MM-dd_HH-mm";
            case "hourly" -> "yyyy-MM-dd_HH";
            case "weekly" -> "yyyy-'W'ww";
            default -> "yyyy-MM-dd";
        };
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static ThresholdFilter threshold(LoggerContext context, Level level) {
        ThresholdFilter filter = new ThresholdFilter();
        filter.setContext(context);
        filter.setLevel(level.toString());
        filter.start();
        return filter;
    }
}
