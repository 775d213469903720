package dev.pronto.storage.azure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pronto.storage.azure.testing.Azurite;

/**
 * A TCP listener on 127.0.0.1 that counts the connections made to it and closes each at once, so a
 * test can prove that a client sent nothing to a server. Any request made to it fails.
 */
final class ConnectionCounter implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    ConnectionCounter() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "connection-counter-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An Azure-style endpoint URL that points at this listener. */
    String endpoint() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/" + Azurite.ACCOUNT;
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket ignored = socket.accept()) {
                connections.incrementAndGet();
            } catch (IOException e) {
                // closed: the test is over
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
