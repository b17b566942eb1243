package io.sensorpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident set size of a process, from the kernel's high-water mark ({@code VmHWM} in
 * {@code /proc/<pid>/status}), sampled until the process ends so that the last sample survives it.
 */
final class PeakRss implements AutoCloseable {

    private final long pid;
    private final Thread sampler;
    private volatile long peakKib;

    PeakRss(long pid) {
        this.pid = pid;
        this.sampler = new Thread(this::sample, "peak-rss-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            long now = read(pid);
            if (now < 0) {
                return;
            }
            peakKib = Math.max(peakKib, now);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** VmHWM in KiB, or -1 once the process is gone. */
    static long read(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time (user + system) a process has used so far, in seconds; 0 once it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; in clock ticks
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU seconds of every PostgreSQL process running now. */
    static double postgresCpuSeconds() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToDouble(p -> cpuSeconds(p.pid())).sum();
    }

    double megabytes() {
        peakKib = Math.max(peakKib, read(pid));
        return peakKib / 1024.0;
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
