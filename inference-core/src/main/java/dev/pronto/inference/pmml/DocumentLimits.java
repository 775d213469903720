package dev.pronto.inference.pmml;

import java.time.Duration;

import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Stops parsing a PMML document that has more elements, deeper nesting or takes longer than the
 * configured limits, while it is read: a document under the size limit can still hold millions of
 * empty elements (minutes of parsing and gigabytes of heap) or nest {@code <Node>}s so deeply that
 * jpmml's recursive visitors overflow the stack.
 *
 * <p>Not thread-safe: one instance per document.
 */
final class DocumentLimits extends XMLFilterImpl {

    /** Default {@link Limits#maxElements()}: several times the largest forests we have seen in PMML. */
    static final long DEFAULT_MAX_ELEMENTS = 10_000_000;
    /** Default {@link Limits#maxDepth()}: decision trees are rarely a hundred levels deep; stacks overflow near 10,000. */
    static final int DEFAULT_MAX_DEPTH = 1_000;
    /** Default {@link Limits#timeout()}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The clock is read once per this many elements: reading it costs more than counting. */
    private static final int CLOCK_EVERY = 4096;

    /**
     * @param maxElements the most XML elements a document may have
     * @param maxDepth the deepest element nesting a document may have
     * @param timeout how long parsing a document may take
     */
    record Limits(long maxElements, int maxDepth, Duration timeout) {
        static Limits defaults() {
            return new Limits(DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_DEPTH, DEFAULT_TIMEOUT);
        }
    }

    /** A limit was passed; the message says which, in terms of the model and its configuration key. */
    static final class LimitExceededException extends SAXException {
        LimitExceededException(String message) {
            super(message);
        }
    }

    private final Limits limits;
    private final long deadline;
    private long elements;
    private int depth;

    DocumentLimits(Limits limits) {
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.timeout().toNanos();
    }

    /** Whether the time limit has passed: later load steps (warm-up) stop early then too. */
    boolean pastDeadline() {
        return System.nanoTime() - deadline > 0;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        if (++elements > limits.maxElements()) {
            throw new LimitExceededException("it has more than " + limits.maxElements()
                    + " XML elements (pipeline.pmml.max-elements)");
        }
        if (++depth > limits.maxDepth()) {
            throw new LimitExceededException("its elements are nested more than " + limits.maxDepth()
                    + " levels deep (pipeline.pmml.max-depth)");
        }
        if (elements % CLOCK_EVERY == 0 && pastDeadline()) {
            throw new LimitExceededException("parsing it took longer than " + limits.timeout().toSeconds()
                    + " s (pipeline.pmml.load-timeout)");
        }
        super.startElement(uri, localName, qName, atts);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        depth--;
        super.endElement(uri, localName, qName);
    }
}
