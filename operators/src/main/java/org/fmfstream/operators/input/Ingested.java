package org.fmfstream.operators.input;

/**
 * What a furnace source emits for one Kafka record: exactly one of a decoded {@link #value} or a
 * {@link #rejected} record. A Flink POJO; {@link FurnaceSources#split} separates the two.
 */
public class Ingested<T> {
    public T value;
    public Rejected rejected;

    public Ingested() {
    }

    public static <T> Ingested<T> ok(T value) {
        Ingested<T> i = new Ingested<>();
        i.value = value;
        return i;
    }

    public static <T> Ingested<T> rejected(Rejected rejected) {
        Ingested<T> i = new Ingested<>();
        i.rejected = rejected;
        return i;
    }

    public boolean isOk() {
        return rejected == null;
    }

    @Override
    public String toString() {
        return isOk() ? "Ingested{" + value + "}" : "Ingested{" + rejected + "}";
    }
}
