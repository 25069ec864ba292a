package dev.jmoq.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test that leaks a Netty reference-counted buffer.
 *
 * <p>Registered for every test through JUnit's extension auto-detection (see the surefire
 * configuration in the root pom). Tests run with {@code -Dio.netty.leakDetection.level=paranoid},
 * so every buffer is tracked; after each test this forces a collection, lets the detector
 * report what became unreachable unreleased, and fails the test with the leak records.
 *
 * <p>Thread-safe: leak reports may arrive from any thread; they are collected under a lock.
 */
public final class LeakDetection implements BeforeAllCallback, AfterEachCallback {
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    /** Installs the recording detector factory; idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty buffer leak detected in " + context.getDisplayName()
                    + " (" + leaks.size() + " record(s)):\n" + String.join("\n---\n", leaks));
        }
    }

    /** Forces collection and returns (and clears) the leaks reported since the last call. */
    public static List<String> collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            // Leaks are reported when a tracked buffer is allocated after its predecessor was collected.
            io.netty.buffer.ByteBuf probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
            io.netty.buffer.ByteBuf probe2 = io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.buffer(1);
            probe2.release();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (LEAKS) {
            List<String> copy = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    synchronized (LEAKS) {
                        LEAKS.add(resourceType + records);
                    }
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    synchronized (LEAKS) {
                        LEAKS.add(resourceType + " (untraced)");
                    }
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}
