package dev.jmoq.relay.admin;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

/**
 * The relay's recent errors for the dashboard: a {@link java.util.logging} handler on the root logger that keeps
 * the last {@link #CAPACITY} records at WARNING and above, plus the INFO events that mean a client was turned
 * away ({@code event=session_refused}, {@code event=ws_rejected}). Peer addresses are removed from the kept
 * text ({@code remote=…}, {@code address=…}), so the list can be shown to whoever may see the dashboard; the
 * log itself keeps them.
 *
 * <p>The root logger is the process's: with several relays in one JVM (tests), each relay's list shows every
 * relay's records.
 *
 * <p>Thread-safe: records arrive from any thread (a monitor; errors are rare, never on the per-frame path).
 */
public final class RecentErrors extends Handler {
    /** Records kept. */
    public static final int CAPACITY = 50;
    private static final int MAX_MESSAGE = 400;
    private static final Set<String> REFUSAL_EVENTS = Set.of("event=session_refused", "event=ws_rejected");
    private static final Pattern PEER = Pattern.compile("\\b(remote|address)=(\"[^\"]*\"|\\S+)");

    /**
     * One kept record. Immutable.
     *
     * @param timeMillis when it was logged, Unix milliseconds
     * @param level      {@code SEVERE}, {@code WARNING} or {@code INFO}
     * @param logger     the logger's name
     * @param message    the formatted message, peer addresses removed, at most 400 characters
     */
    public record Entry(long timeMillis, String level, String logger, String message) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>(CAPACITY);
    private final SimpleFormatter formatter = new SimpleFormatter();
    private Logger installedOn;

    /** Adds this handler to the root logger; {@link #close()} removes it. */
    public synchronized RecentErrors install() {
        if (installedOn == null) {
            installedOn = Logger.getLogger("");
            installedOn.addHandler(this);
        }
        return this;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !wanted(record)) {
            return;
        }
        String text = formatter.formatMessage(record);
        if (record.getThrown() != null) {
            text = text + " error=\"" + record.getThrown() + "\"";
        }
        add(new Entry(record.getMillis(), record.getLevel().getName(), String.valueOf(record.getLoggerName()), text));
    }

    /** Keeps {@code e} (peer addresses removed), dropping the oldest beyond {@link #CAPACITY}. */
    public void add(Entry e) {
        String text = PEER.matcher(e.message()).replaceAll("$1=…");
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE) + "…";
        }
        Entry kept = new Entry(e.timeMillis(), e.level(), e.logger(), text);
        synchronized (this) {
            if (entries.size() == CAPACITY) {
                entries.removeFirst();
            }
            entries.addLast(kept);
        }
    }

    /** The kept entries, oldest first. */
    public synchronized List<Entry> snapshot() {
        return new ArrayList<>(entries);
    }

    private static boolean wanted(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            return true;
        }
        if (r.getLevel().intValue() < Level.INFO.intValue() || r.getMessage() == null) {
            return false;
        }
        for (String event : REFUSAL_EVENTS) {
            if (r.getMessage().startsWith(event)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void flush() {
    }

    @Override
    public synchronized void close() {
        if (installedOn != null) {
            installedOn.removeHandler(this);
            installedOn = null;
        }
    }
}
