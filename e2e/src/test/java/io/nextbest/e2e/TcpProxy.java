package io.nextbest.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder in front of a backing service, so a test can take that service away from the
 * system under test (every connection dropped, new ones refused) and bring it back, without
 * stopping the machine's own server. In front of several replicas it balances as a Kubernetes
 * Service does: each new connection goes to the next replica that accepts it.
 */
final class TcpProxy implements AutoCloseable {
  private final List<Integer> targetPorts;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private volatile ServerSocket server;

  TcpProxy(int targetPort) throws IOException {
    this(freePort(), List.of(targetPort));
  }

  /** A balancer on this port in front of these replicas' ports. */
  TcpProxy(int port, List<Integer> targetPorts) throws IOException {
    this.targetPorts = List.copyOf(targetPorts);
    this.port = port;
    restore();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** Starts accepting again on the same port. */
  synchronized void restore() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress("127.0.0.1", port));
    server = s;
    Thread acceptor = new Thread(() -> acceptLoop(s), "proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Drops every connection and refuses new ones, as a stopped server would. */
  synchronized void cut() throws IOException {
    server.close();
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = connect();
        if (upstream == null) {
          closeQuietly(client); // no replica accepts: refused, as by a Service without endpoints
          continue;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** A connection to the next replica in turn that accepts one, or null when none does. */
  private Socket connect() {
    int first = Math.floorMod(next.getAndIncrement(), targetPorts.size());
    for (int i = 0; i < targetPorts.size(); i++) {
      try {
        return new Socket("127.0.0.1", targetPorts.get((first + i) % targetPorts.size()));
      } catch (IOException refused) {
        // that replica is down: the next one
      }
    }
    return null;
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                }
              } catch (IOException ignored) {
                // either side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
