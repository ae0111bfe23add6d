package org.fmfstream.jobs.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * In-memory sources and sinks for jobs that take theirs as arguments ({@code JobIO}): the
 * MiniCluster runs in the test's JVM, so a source reads a list registered here, in order (one
 * subtask), and a sink appends what it receives to a list the test reads back. Nothing is
 * serialized but the lists' names.
 */
public final class MemoryIO {

    private static final Map<String, List<?>> INPUTS = new ConcurrentHashMap<>();
    private static final Map<String, List<Object>> OUTPUTS = new ConcurrentHashMap<>();

    private MemoryIO() {}

    /** A bounded source of {@code items}, in their order. */
    public static <T> Source<T, ?, ?> source(List<T> items, TypeInformation<T> type) {
        String id = UUID.randomUUID().toString();
        INPUTS.put(id, List.copyOf(items));
        return new DataGeneratorSource<>(new Item<>(id), items.size(), type);
    }

    /** The {@code index}-th item of a registered list. */
    private record Item<T>(String list) implements GeneratorFunction<Long, T> {
        @Override
        @SuppressWarnings("unchecked")
        public T map(Long index) {
            return (T) INPUTS.get(list).get(Math.toIntExact(index));
        }
    }

    /** A sink that keeps every record it is given, for {@link #records()}. */
    public static final class CollectingSink<T> implements Sink<T> {
        private final String id = UUID.randomUUID().toString();

        public CollectingSink() {
            OUTPUTS.put(id, Collections.synchronizedList(new ArrayList<>()));
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            List<Object> into = OUTPUTS.get(id);
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    into.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }

        /** What the sink received so far, in arrival order. */
        @SuppressWarnings("unchecked")
        public List<T> records() {
            List<Object> all = OUTPUTS.get(id);
            synchronized (all) {
                return (List<T>) List.copyOf(all);
            }
        }
    }
}
