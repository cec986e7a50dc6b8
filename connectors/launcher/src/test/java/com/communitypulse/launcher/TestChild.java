package com.communitypulse.launcher;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The main class {@link ChildProcessTest} starts as a real child JVM. Modes:
 * {@code listen <port>}, {@code http <port>}, {@code parent <pidFile>} (starts a grandchild JVM and
 * writes its pid), {@code sleep}, {@code stubborn} (a shutdown hook that never ends, so SIGTERM is
 * not enough), {@code exit <code>}.
 */
public final class TestChild {

    public static void main(String[] args) throws Exception {
        System.out.println("child " + String.join(" ", args) + " started");
        System.err.println("child says hello on stderr");
        switch (args[0]) {
            case "listen" -> {
                try (ServerSocket s = new ServerSocket(Integer.parseInt(args[1]), 50, InetAddress.getLoopbackAddress())) {
                    System.out.println("listening");
                    while (true) {
                        s.accept().close();
                    }
                }
            }
            case "http" -> {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])), 0);
                server.createContext("/ready", ex -> {
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
                server.start();
                new CountDownLatch(1).await();
            }
            case "parent" -> {
                Process grandchild = new ProcessBuilder(ChildProcess.javaBinary().toString(), "-Xmx32m", "-cp",
                        System.getProperty("java.class.path"), TestChild.class.getName(), "sleep")
                        .inheritIO().start();
                Path pidFile = Path.of(args[1]);
                Files.writeString(pidFile.resolveSibling(pidFile.getFileName() + ".tmp"), Long.toString(grandchild.pid()));
                Files.move(pidFile.resolveSibling(pidFile.getFileName() + ".tmp"), pidFile);
                new CountDownLatch(1).await();
            }
            case "sleep" -> new CountDownLatch(1).await();
            case "stubborn" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    System.out.println("ignoring SIGTERM");
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException ignored) {
                        // keep blocking the shutdown
                    }
                }));
                System.out.println("stubborn");
                new CountDownLatch(1).await();
            }
            case "exit" -> System.exit(Integer.parseInt(args[1]));
            default -> throw new IOException("unknown mode " + args[0]);
        }
    }
}
