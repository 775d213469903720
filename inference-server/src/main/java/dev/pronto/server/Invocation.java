package dev.pronto.server;

import java.util.List;
import java.util.Map;

/**
 * A parsed {@code POST /invocations} request, the seed's contract.
 *
 * @param records the payload as records, whether it came row- or column-oriented
 * @param pipelineFilename the model's location, or a model name the operator configured
 * @param implementation the seed's free label, or {@code null} when the request has none; it selects a
 *     pipeline format only when it names one ({@link FormatLabels})
 * @param leafNumbers whether {@code requestArguments.isLeafNumber} asked for the models' leaf ids
 * @param outputFields whether {@code requestArguments.outputFields} asked for every named result
 *     field of each record (a Pronto extension of the seed's contract)
 * @param modelFilename {@code requestArguments.modelFilename}, the network of a legacy {@code keras}
 *     request; null if absent
 */
record Invocation(List<Map<String, Object>> records, String pipelineFilename, String implementation, boolean leafNumbers,
        boolean outputFields, String modelFilename) {
}
