package org.fmfstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    /** A started thread named {@code name} that spins on a core for {@code millis}. */
    private static Thread spinning(String name, long millis) {
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }, name);
        t.start();
        return t;
    }

    @Test
    void aBusyThreadsTimeIsCountedUnderItsNameWithDigitsFolded() throws Exception {
        // Every machine this project builds and benchmarks on is Linux.
        assertThat(ThreadCpu.available()).as("/proc/self/task").isTrue();
        ThreadCpu before = ThreadCpu.now();
        Thread busy = spinning("cpu-burner-7", 600);
        Thread.sleep(400);
        // Read while the thread runs: an ended thread's time leaves /proc with it.
        Map<String, Double> spent = ThreadCpu.now().secondsSince(before);
        busy.join();
        assertThat(spent).containsKey("cpu-burner-N");
        // At most the 0.4 s it has run, and a real share of it even on a loaded machine.
        assertThat(spent.get("cpu-burner-N")).isBetween(0.05, 0.45);
    }

    @Test
    void aLongNameIsCountedUnderTheKernelsShortNameThatNameOfGives() throws Exception {
        String name = "a-long-cpu-burner-thread-3";
        ThreadCpu before = ThreadCpu.now();
        Thread busy = spinning(name, 400);
        Thread.sleep(250);
        Map<String, Double> spent = ThreadCpu.now().secondsSince(before);
        busy.join();
        assertThat(ThreadCpu.nameOf(name)).isEqualTo("a-long-cpu-burn");
        assertThat(spent).containsKey(ThreadCpu.nameOf(name));
        assertThat(ThreadCpu.nameOf("cpu-burner-7")).isEqualTo("cpu-burner-N");
    }

    @Test
    void aThreadThatEndedIsKeptByMergingASnapshotTakenWhileItRan() throws Exception {
        ThreadCpu before = ThreadCpu.now();
        Thread busy = spinning("cpu-burner-9", 300);
        Thread.sleep(200);
        ThreadCpu during = ThreadCpu.now();
        busy.join();
        assertThat(ThreadCpu.now().secondsSince(before)).doesNotContainKey("cpu-burner-N");
        assertThat(before.merge(during).merge(ThreadCpu.now()).secondsSince(before)).containsKey("cpu-burner-N");
    }
}
