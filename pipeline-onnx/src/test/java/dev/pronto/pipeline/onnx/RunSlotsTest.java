package dev.pronto.pipeline.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/** The pool of kept run tensors, on the real input binding of a fixture. */
class RunSlotsTest {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private OrtSession session;
    private InputBinding binding;
    private RunSlots.Factory factory;

    @BeforeEach
    void openSession() throws Exception {
        session = env.createSession(OnnxConventionsTest.fixture("mixed-types.onnx"));
        binding = InputBinding.of(session.getInputInfo(), session.getMetadata().getCustomMetadata());
        factory = rows -> new RunSlots.Slot(binding.feeds(env, rows), PinnedOutputs.none());
    }

    @AfterEach
    void closeSession() throws Exception {
        session.close();
    }

    @Test
    void givesBackASlotOnlyToRunsOfItsSize() throws Exception {
        RunSlots slots = new RunSlots();
        RunSlots.Slot three = slots.take(3, factory);
        slots.give(three);

        RunSlots.Slot two = slots.take(2, factory);
        assertThat(two).isNotSameAs(three);
        assertThat(two.rows()).isEqualTo(2);
        assertThat(slots.take(3, factory)).isSameAs(three);
        assertThat(slots.take(3, factory)).isNotSameAs(three);
        slots.close();
    }

    @Test
    void stringTensorsOfARunAreClosedWhenItsSlotComesBack() throws Exception {
        RunSlots slots = new RunSlots();
        RunSlots.Slot slot = slots.take(1, factory);
        // the numeric and boolean inputs have kept tensors; the string input gets one per run
        assertThat(slot.feeds().tensors).doesNotContainKey("color");

        binding.fill(env, slot.feeds(), List.of(Map.of("x_float", 1, "x_double", 2, "count", 3, "color", "red",
                "flag", true)), 0);
        assertThat(slot.feeds().tensors).containsKey("color").hasSize(5);
        slots.give(slot);

        assertThat(slot.feeds().tensors).doesNotContainKey("color").hasSize(4);
        slots.close();
    }

    @Test
    void closingClosesTheKeptSlotsAndThoseGivenBackLater() throws Exception {
        RunSlots slots = new RunSlots();
        RunSlots.Slot kept = slots.take(4, factory);
        RunSlots.Slot running = slots.take(4, factory);
        slots.give(kept);

        slots.close();
        slots.give(running);

        assertThat(kept.feeds().tensors).isEmpty();
        assertThat(running.feeds().tensors).isEmpty();
        assertThat(slots.take(4, factory)).isNotSameAs(kept).isNotSameAs(running);
    }
}
