package dev.pronto.server;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.status.Status;
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
 * bounded number of rolled files, both channels as text or both as JSON lines. Replaces the bundled
 * {@link ConsoleLogging}, which only covers the moments before the configuration is read.
 *
 * <p>An operator's own logback configuration wins over all of that, in this order:
 * {@code -Dlogback.configurationFile} (logback has read it before {@code main}, so it is left alone),
 * then {@code [Logs] logback_config} (read here instead of the {@code [Logs]} channels).
 */
final class LogSetup {

    /** Loggers of the JPMML-SkLearn converter, kept to errors; ConsoleLogging keeps them so before the configuration is read. */
    static final List<String> CONVERTER_LOGGERS = List.of("sklearn2pmml", "org.jpmml");
    /**
     * How often the file's size is compared with the cap; logback's default, a minute, would let a busy
     * server write tens of megabytes past it.
     */
    private static final Duration SIZE_CHECK_INCREMENT = Duration.buildBySeconds(1);
    /** The most numbered files logback's fixed window keeps; it refuses more. */
    private static final int MAX_NUMBERED_FILES = 20;
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}: %msg%n";

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
     * @return the log file, or {@code null} for console only or a logback configuration of the operator's
     * @throws ConfigException naming {@code [Logs] logback_config} or {@code log_file_path} when it cannot be used
     */
    static Path apply(LogSettings settings, String hostName) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return null;
        }
        context.reset();
        if (settings.logbackConfig().isPresent()) {
            configureFrom(settings.logbackConfig().get(), context);
            current = null;
            return null;
        }
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
        console.setEncoder(encoder(context, settings.json()));
        console.setImmediateFlush(false);
        console.setOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
        console.addFilter(threshold(context, consoleLevel));
        console.start();

        List<OutputStreamAppender<ILoggingEvent>> channels = new ArrayList<>(List.of(console));
        Path file = settings.directory().isEmpty() ? null : fileChannel(settings, hostName, context, fileLevel, channels);
        BatchingAppender batching = new BatchingAppender(channels);
        batching.setContext(context);
        batching.setName("batching");
        if (!settings.accessLogProbes()) {
            batching.addFilter(new ProbeFilter());
        }
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
        appender.setEncoder(encoder(context, settings.json()));
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

    /**
     * Who configured logging: a file named by {@code -Dlogback.configurationFile} or
     * {@code [Logs] logback_config}, or empty when the {@code [Logs]} channels are in use.
     */
    static Optional<String> userConfiguration(LogSettings settings) {
        String property = System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
        return property != null ? Optional.of("-D" + ClassicConstants.CONFIG_FILE_PROPERTY + "=" + property)
                : settings.logbackConfig().map(file -> "[Logs] logback_config = " + file);
    }

    private static void configureFrom(Path file, LoggerContext context) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("[Logs] logback_config: cannot read the logback configuration " + file);
        }
        long since = System.currentTimeMillis();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(file.toFile());
        } catch (JoranException e) {
            // logback has put the reason in its status list, read below
        }
        // logback reports a broken configuration as status messages, not exceptions; without this check a
        // typo would leave the server running with no logging at all
        Optional<String> error = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(status -> status.getTimestamp() >= since && status.getLevel() >= Status.ERROR)
                .map(Status::getMessage).findFirst();
        if (error.isPresent()) {
            throw new ConfigException("[Logs] logback_config: cannot use the logback configuration " + file + ": "
                    + error.get());
        }
    }

    /**
     * Logback's own {@code JsonEncoder} rather than logstash-logback-encoder: no extra dependency to keep
     * in step with logback, and its output (timestamp, level, thread, logger, MDC, key-value pairs,
     * message, throwable) is what a collector needs; the sequence number, nanoseconds, the context's
     * properties, the raw message and its arguments would only repeat on every line.
     */
    private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.setWithSequenceNumber(false);
            encoder.setWithNanoseconds(false);
            encoder.setWithContext(false);
            encoder.setWithMessage(false);
            encoder.setWithArguments(false);
            encoder.setWithFormattedMessage(true);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /** Drops the access lines of probe requests, which {@link AccessLog} marks. */
    private static final class ProbeFilter extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            List<Marker> markers = event.getMarkerList();
            return markers != null && markers.contains(AccessLog.PROBE) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }

    private static ThresholdFilter threshold(LoggerContext context, Level level) {
        ThresholdFilter filter = new ThresholdFilter();
        filter.setContext(context);
        filter.setLevel(level.toString());
        filter.start();
        return filter;
    }
}
