package org.fmfstream.jobs.alert;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.fmfstream.schemas.Incident;

/**
 * Flink sink that POSTs each incident to a webhook ({@link WebhookClient}). Each write waits for
 * the receiver's 2xx, so everything before a checkpoint barrier has been delivered when the
 * checkpoint completes; after a failure the job replays from the last checkpoint and re-sends what
 * followed it: at-least-once, not exactly-once (an HTTP endpoint cannot join a Kafka transaction).
 * Unlike the Kafka sink it also sends incidents before their checkpoint commits, so a receiver may
 * see an incident that a restart then sends again.
 */
public final class WebhookSink implements Sink<Incident> {
    private static final long serialVersionUID = 1L;

    private final WebhookSettings settings;

    public WebhookSink(WebhookSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<Incident> createWriter(WriterInitContext context) {
        WebhookClient client = new WebhookClient(settings);
        return new SinkWriter<>() {
            @Override
            public void write(Incident incident, Context ctx) throws IOException, InterruptedException {
                client.post(incident);
            }

            @Override
            public void flush(boolean endOfInput) {
                // Every write already waited for its answer.
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
