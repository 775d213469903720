package dev.pronto.pipeline.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What ONNX Runtime's Java API does not tell about a model, read from its protobuf bytes: the class
 * labels that scikit-learn-onnx style classifiers declare, and whether weights are stored in
 * external files.
 *
 * <p>Reads only the fields it needs with a minimal protobuf wire-format walk, so no protobuf
 * library is needed; malformed bytes give empty facts and are left for ONNX Runtime to refuse.
 *
 * @param classes the class labels every classifier node of the graph agrees on ({@link Long}s or
 *     {@link String}s, in declared order); empty if none declares them, or they disagree
 * @param externalData whether an initializer keeps its values in a file beside the model
 */
record OnnxGraphFacts(List<Object> classes, boolean externalData) {

    // field numbers of onnx.proto3
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_STRINGS = 9;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;

    static OnnxGraphFacts read(byte[] model) {
        try {
            Reader graph = find(new Reader(model, 0, model.length), MODEL_GRAPH);
            if (graph == null) {
                return new OnnxGraphFacts(List.of(), false);
            }
            List<List<Object>> declared = new ArrayList<>();
            boolean external = false;
            while (graph.more()) {
                int tag = graph.tag();
                if (tag >>> 3 == GRAPH_NODE && (tag & 7) == 2) {
                    classLabels(graph.message()).ifPresent(declared::add);
                } else if (tag >>> 3 == GRAPH_INITIALIZER && (tag & 7) == 2) {
                    external |= isExternal(graph.message());
                } else {
                    graph.skip(tag);
                }
            }
            boolean agree = !declared.isEmpty() && declared.stream().allMatch(declared.get(0)::equals);
            return new OnnxGraphFacts(agree ? List.copyOf(declared.get(0)) : List.of(), external);
        } catch (RuntimeException malformed) {
            return new OnnxGraphFacts(List.of(), false);
        }
    }

    /** The labels of a classifier or ZipMap node of the {@code ai.onnx.ml} domain. */
    private static Optional<List<Object>> classLabels(Reader node) {
        String domain = "";
        List<Object> labels = null;
        while (node.more()) {
            int tag = node.tag();
            if (tag >>> 3 == NODE_DOMAIN && (tag & 7) == 2) {
                domain = node.string();
            } else if (tag >>> 3 == NODE_ATTRIBUTE && (tag & 7) == 2) {
                List<Object> found = attributeLabels(node.message());
                labels = found != null ? found : labels;
            } else {
                node.skip(tag);
            }
        }
        return domain.equals("ai.onnx.ml") && labels != null ? Optional.of(labels) : Optional.empty();
    }

    private static List<Object> attributeLabels(Reader attribute) {
        String name = "";
        List<Object> longs = new ArrayList<>();
        List<Object> strings = new ArrayList<>();
        while (attribute.more()) {
            int tag = attribute.tag();
            int field = tag >>> 3;
            if (field == ATTRIBUTE_NAME && (tag & 7) == 2) {
                name = attribute.string();
            } else if (field == ATTRIBUTE_INTS && (tag & 7) == 0) {
                longs.add(attribute.varint());
            } else if (field == ATTRIBUTE_INTS && (tag & 7) == 2) {
                Reader packed = attribute.message();
                while (packed.more()) {
                    longs.add(packed.varint());
                }
            } else if (field == ATTRIBUTE_STRINGS && (tag & 7) == 2) {
                strings.add(attribute.string());
            } else {
                attribute.skip(tag);
            }
        }
        return switch (name) {
            case "classlabels_ints", "classlabels_int64s" -> longs;
            case "classlabels_strings" -> strings;
            default -> null;
        };
    }

    private static boolean isExternal(Reader tensor) {
        while (tensor.more()) {
            int tag = tensor.tag();
            if (tag >>> 3 == TENSOR_EXTERNAL_DATA) {
                return true;
            }
            if (tag >>> 3 == TENSOR_DATA_LOCATION && (tag & 7) == 0) {
                if (tensor.varint() == 1) {
                    return true;
                }
            } else {
                tensor.skip(tag);
            }
        }
        return false;
    }

    private static Reader find(Reader message, int field) {
        while (message.more()) {
            int tag = message.tag();
            if (tag >>> 3 == field && (tag & 7) == 2) {
                return message.message();
            }
            message.skip(tag);
        }
        return null;
    }

    /** A cursor over one protobuf message; throws on malformed input. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;
        private final int end;

        Reader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean more() {
            return position < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new IllegalStateException("truncated varint");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalStateException("varint too long");
        }

        Reader message() {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new IllegalStateException("length beyond the message");
            }
            Reader inner = new Reader(bytes, position, position + (int) length);
            position += (int) length;
            return inner;
        }

        String string() {
            Reader inner = message();
            return new String(bytes, inner.position, inner.end - inner.position, StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> message();
                case 5 -> advance(4);
                default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
            }
        }

        private void advance(int count) {
            if (count > end - position) {
                throw new IllegalStateException("truncated field");
            }
            position += count;
        }
    }
}
