package dev.yawlmetrics.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A forked BenchHost: its output collected, lines awaited, stdin commands sent. */
public final class HostProcess implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final List<String> output = new CopyOnWriteArrayList<>();

    public HostProcess(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "bench-host-output");
        pump.setDaemon(true);
        pump.start();
    }

    public Process process() {
        return process;
    }

    /** The first output line starting with prefix, waiting up to timeoutMillis. */
    public String await(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (String line : output) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive() && process.exitValue() != 0) {
                break;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no '" + prefix + "' from host within " + timeoutMillis + " ms; output:\n" + String.join("\n", output));
    }

    public List<String> lines(String prefix) {
        return output.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    public String output() {
        return String.join("\n", output);
    }

    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for a normal exit; fails on a non-zero exit code. */
    public void awaitExit(long timeoutMillis) throws Exception {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("host did not exit within " + timeoutMillis + " ms; output:\n" + output());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("host exited with " + process.exitValue() + "; output:\n" + output());
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("exit");
                if (process.waitFor(10, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (Exception ignored) {
                // fall through to destroy
            }
            process.destroyForcibly();
        }
    }
}
