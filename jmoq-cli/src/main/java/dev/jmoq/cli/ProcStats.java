package dev.jmoq.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak resident memory of a process: another one's from /proc (Linux), this one's from the
 * JVM's operating-system bean. The load commands read them around their measured windows.
 */
final class ProcStats {
    /** Clock ticks per second of /proc/[pid]/stat (USER_HZ, 100 on Linux). */
    static final int TICKS = 100;

    private ProcStats() {
    }

    /** User plus system CPU time of {@code pid} in clock ticks; 0 when it cannot be read. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
        } catch (Exception e) {
            return 0;
        }
    }

    /** Peak resident memory of {@code pid} (VmHWM) in KiB; -1 when it cannot be read. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux, or gone
        }
        return -1;
    }

    /** CPU time of this process so far (every thread), in nanoseconds; 0 where the platform does not say. */
    static long ownCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
