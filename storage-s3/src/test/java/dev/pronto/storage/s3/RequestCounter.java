package dev.pronto.storage.s3;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Records every HTTP request the storage's S3 client sends (each retry too), by operation name. */
final class RequestCounter implements ExecutionInterceptor {

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        sent.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** Operation names of the requests sent so far, in order, e.g. {@code HeadObject}, {@code GetObject}. */
    List<String> sent() {
        return List.copyOf(sent);
    }

    long count(String operation) {
        return sent.stream().filter(operation::equals).count();
    }

    void reset() {
        sent.clear();
    }
}
