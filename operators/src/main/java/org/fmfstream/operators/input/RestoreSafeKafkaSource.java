package org.fmfstream.operators.input;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A {@link KafkaSource} whose bounded runs also finish after a restore.
 *
 * <p>Why: flink-connector-kafka 5.0.0's enumerator tells its readers "no more splits" only from the
 * callback of a discovery that found new partitions (FLINK-31006, FLINK-33466; unreleased fix in
 * apache/flink-connector-kafka#318). An enumerator restored from a checkpoint or savepoint has every
 * partition assigned already, finds nothing new, and never says it: the readers read to their
 * stopping offsets and then wait for ever, the final watermark never comes, the furnaces' last
 * windows are never decided and a {@code --stop-at latest} run restored after a crash never ends.
 *
 * <p>What: when a bounded source's enumerator is restored from a state whose first discovery had
 * finished and that holds no unassigned split, there can be no further split (a bounded Kafka source
 * does not discover periodically), so each reader is told "no more splits" once, after the restored
 * enumerator has handed it whatever it still had for it. Everything else is the Kafka source's own.
 */
public final class RestoreSafeKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> kafka;

    public RestoreSafeKafkaSource(KafkaSource<T> kafka) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext readerContext) throws Exception {
        return kafka.createReader(readerContext);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws Exception {
        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored = kafka.restoreEnumerator(context, state);
        boolean complete = kafka.getBoundedness() == Boundedness.BOUNDED && state.initialDiscoveryFinished()
                && state.unassignedSplits().isEmpty();
        return complete ? new NoMoreSplitsAfterRestore(restored, context) : restored;
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    /**
     * The restored enumerator, plus "no more splits" to each registered reader once its splits are
     * assigned: on registration, and when splits come back while it is registered. A reader that
     * registers again (after a failover) is told again; never twice for one registration, since a
     * second event to a finished task fails the job.
     */
    static final class NoMoreSplitsAfterRestore implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored;
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        private final Set<Integer> told = new HashSet<>();

        NoMoreSplitsAfterRestore(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored,
                                 SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.restored = restored;
            this.context = context;
        }

        @Override
        public void start() {
            restored.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            restored.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            restored.addSplitsBack(splits, subtaskId);
            if (context.registeredReaders().containsKey(subtaskId)) {
                tell(subtaskId);
            }
        }

        @Override
        public void addReader(int subtaskId) {
            told.remove(subtaskId);
            restored.addReader(subtaskId);
            tell(subtaskId);
        }

        private void tell(int subtaskId) {
            if (told.add(subtaskId)) {
                context.signalNoMoreSplits(subtaskId);
            }
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return restored.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            restored.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            restored.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws java.io.IOException {
            restored.close();
        }
    }
}
