package dev.jmoq.transport;

/** A bidirectional stream: both halves, each with its own contract. */
public interface BidiStream extends SendStream, RecvStream {
    @Override
    long id();
}
