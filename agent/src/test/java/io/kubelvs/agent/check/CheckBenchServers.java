package io.kubelvs.agent.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The web servers of {@code hack/bench-checks.sh}: one process, one selector thread, listening on
 * every port of a range on every loopback address of a range, answering each request with a small
 * HTTP 200 and closing, as a web server behind keepalived does for its HTTP_GET.
 *
 * <pre>
 *   CheckBenchServers --addresses 127.1.0.1-127.1.0.50 --ports 20000-20099
 * </pre>
 *
 * prints {@code READY <count>} once all listen. On stdin, {@code fail <every> [<count>]} makes the
 * next {@code count} (default: all the rest) of every {@code every}-th server fail, in turn in one
 * of three ways (connection refused, HTTP 503, accept and never answer), and prints {@code FAIL
 * <ip>:<port> <mode> <epoch-nanos>} for each. EOF on stdin ends the process.
 */
public final class CheckBenchServers {
  private static final byte[] OK =
      "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] UNAVAILABLE =
      "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1);

  enum Mode {
    UP,
    REFUSED,
    HTTP_503,
    SILENT
  }

  /** One listening socket and how it behaves. */
  static final class Server {
    final InetSocketAddress address;
    ServerSocketChannel channel;
    volatile Mode mode = Mode.UP;

    Server(InetSocketAddress address) {
      this.address = address;
    }
  }

  private final Selector selector;
  private final List<Server> servers = new ArrayList<>();
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(4096);

  /** How many of the every-th servers have failed so far: the next one to fail, and its mode. */
  private int failed;

  private CheckBenchServers(List<InetSocketAddress> addresses) throws IOException {
    selector = Selector.open();
    for (InetSocketAddress address : addresses) {
      Server server = new Server(address);
      server.channel = ServerSocketChannel.open();
      server.channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.channel.bind(address, 1024);
      server.channel.configureBlocking(false);
      server.channel.register(selector, SelectionKey.OP_ACCEPT, server);
      servers.add(server);
    }
  }

  public static void main(String[] args) throws Exception {
    List<InetAddress> ips = List.of();
    int[] ports = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--addresses")) {
        ips = addressRange(args[i + 1]);
      } else if (args[i].equals("--ports")) {
        String[] range = args[i + 1].split("-");
        ports = new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (ips.isEmpty() || ports == null) {
      throw new IllegalArgumentException("usage: --addresses A-B --ports P-Q");
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (InetAddress ip : ips) {
      for (int port = ports[0]; port <= ports[1]; port++) {
        addresses.add(new InetSocketAddress(ip, port));
      }
    }
    CheckBenchServers farm = new CheckBenchServers(addresses);
    System.out.println("READY " + addresses.size());
    System.out.flush();
    Thread stdin = new Thread(farm::readCommands, "stdin");
    stdin.setDaemon(true);
    stdin.start();
    farm.serve(stdin);
  }

  private void readCommands() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.strip().split("\\s+");
        if ((words.length == 2 || words.length == 3) && words[0].equals("fail")) {
          int every = Integer.parseInt(words[1]);
          int count = words.length == 3 ? Integer.parseInt(words[2]) : Integer.MAX_VALUE;
          commands.add(() -> fail(every, count));
          selector.wakeup();
        }
      }
    } catch (IOException e) {
      System.err.println("CheckBenchServers: stdin: " + e);
    }
    selector.wakeup();
  }

  private void fail(int every, int count) {
    StringBuilder out = new StringBuilder();
    Mode[] modes = {Mode.REFUSED, Mode.HTTP_503, Mode.SILENT};
    for (int n = 0; n < count && failed * every < servers.size(); n++, failed++) {
      Server server = servers.get(failed * every);
      server.mode = modes[failed % modes.length];
      Instant at = Instant.now();
      if (server.mode == Mode.REFUSED) {
        try {
          server.channel.close();
        } catch (IOException e) {
          throw new IllegalStateException("closing " + server.address, e);
        }
      }
      out.append("FAIL ")
          .append(server.address.getAddress().getHostAddress())
          .append(':')
          .append(server.address.getPort())
          .append(' ')
          .append(server.mode)
          .append(' ')
          .append(at.getEpochSecond() * 1_000_000_000L + at.getNano())
          .append('\n');
    }
    System.out.print(out);
    System.out.flush();
  }

  private void serve(Thread stdin) throws IOException {
    while (stdin.isAlive() || !commands.isEmpty()) {
      selector.select(1000);
      Runnable command;
      while ((command = commands.poll()) != null) {
        command.run();
      }
      for (SelectionKey key : selector.selectedKeys()) {
        if (!key.isValid()) {
          continue;
        }
        if (key.isAcceptable()) {
          accept((Server) key.attachment());
        } else if (key.isReadable()) {
          answer(key);
        }
      }
      selector.selectedKeys().clear();
    }
  }

  /**
   * Accepts what is pending and answers each request at once when it has already arrived (a check
   * writes right after its connect, so on loopback it usually has): only connections still waiting
   * for their request, or silent ones, are registered with the selector, which saves the server two
   * epoll_ctl calls per check on a machine whose cores the checker shares.
   */
  private void accept(Server server) throws IOException {
    SocketChannel client;
    while ((client = server.channel.accept()) != null) {
      client.configureBlocking(false);
      if (!answer(client, server)) {
        client.register(selector, SelectionKey.OP_READ, server);
      }
    }
  }

  private void answer(SelectionKey key) throws IOException {
    if (answer((SocketChannel) key.channel(), (Server) key.attachment())) {
      key.cancel();
    }
  }

  /**
   * Reads the request (a check's fits one read) and answers by the server's mode, closing the
   * connection. False when there was nothing to read yet or the server is silent: the connection
   * stays open and must be watched.
   */
  private boolean answer(SocketChannel client, Server server) throws IOException {
    buffer.clear();
    int read;
    try {
      read = client.read(buffer);
    } catch (IOException e) {
      read = -1;
    }
    if (read == 0 || (read > 0 && server.mode == Mode.SILENT)) {
      return false;
    }
    if (read > 0) {
      byte[] response = server.mode == Mode.UP ? OK : UNAVAILABLE;
      try {
        client.write(ByteBuffer.wrap(response));
      } catch (IOException e) {
        // The checker gave up already; nothing to answer.
      }
    }
    client.close();
    return true;
  }

  /** {@code 127.1.0.1-127.1.0.50}: the last octet runs over the range. */
  private static List<InetAddress> addressRange(String text) throws IOException {
    String[] ends = text.split("-");
    byte[] first = InetAddress.getByName(ends[0]).getAddress();
    int last = InetAddress.getByName(ends[1]).getAddress()[3] & 0xff;
    List<InetAddress> range = new ArrayList<>();
    for (int octet = first[3] & 0xff; octet <= last; octet++) {
      byte[] address = first.clone();
      address[3] = (byte) octet;
      range.add(InetAddress.getByAddress(address));
    }
    return range;
  }
}
