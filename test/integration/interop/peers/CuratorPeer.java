import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.UriSpec;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * A participant on Apache Curator 5's recipes, driven by one JSON command per line on stdin and
 * reporting one JSON event per line on stdout. One process is one Curator client (one session).
 *
 * Commands: session; hold {tag, recipe: lock|read|write|semaphore|leader, path, id, permits};
 * release {tag}; cycles {recipe, path, root, count, id, permits}; participants {recipe, path};
 * register {tag, base, name, id, address, port, sslPort, payload, uriSpec}; unregister {tag};
 * discover {base, name}; close.
 */
public final class CuratorPeer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CuratorFramework client;
  private static final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();
  private static final Map<String, ServiceDiscovery<Object>> registrations = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    client = CuratorFrameworkFactory.newClient(args[0], Integer.parseInt(args[1]), 10_000, new RetryNTimes(20, 100));
    client.start();
    client.blockUntilConnected();
    emit(event("ready"));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) continue;
      JsonNode command = JSON.readTree(line);
      try {
        handle(command);
      } catch (Exception e) {
        emit(event("error").put("tag", command.path("tag").asText()).put("message", e.toString()));
      }
    }
    // The test went away: leave, taking the session with us.
    client.close();
    System.exit(0);
  }

  private static void handle(JsonNode c) throws Exception {
    String tag = c.path("tag").asText();
    switch (c.path("cmd").asText()) {
      case "session": {
        long id = client.getZookeeperClient().getZooKeeper().getSessionId();
        byte[] password = client.getZookeeperClient().getZooKeeper().getSessionPasswd();
        emit(event("session").put("id", Long.toHexString(id)).put("password", hex(password)));
        break;
      }
      case "hold": {
        CountDownLatch release = new CountDownLatch(1);
        releases.put(tag, release);
        // Curator's mutexes belong to the thread that acquired them: one thread per holding.
        new Thread(() -> hold(c, tag, release), "hold-" + tag).start();
        break;
      }
      case "release": {
        CountDownLatch release = releases.remove(tag);
        if (release != null) release.countDown();
        break;
      }
      case "cycles":
        new Thread(() -> cycles(c), "cycles").start();
        break;
      case "participants": {
        ArrayNode ids = JSON.createArrayNode();
        if (c.path("recipe").asText().equals("leader")) {
          for (Participant p : new LeaderLatch(client, c.path("path").asText(), "observer").getParticipants()) ids.add(p.getId());
        } else {
          for (String node : new InterProcessMutex(client, c.path("path").asText()).getParticipantNodes()) ids.add(node);
        }
        emit(event("participants").set("ids", ids));
        break;
      }
      case "register": {
        ServiceDiscovery<Object> discovery = discovery(c.path("base").asText());
        discovery.registerService(instance(c));
        registrations.put(tag, discovery);
        emit(event("registered").put("tag", tag));
        break;
      }
      case "unregister": {
        ServiceDiscovery<Object> discovery = registrations.remove(tag);
        if (discovery != null) discovery.close();
        emit(event("unregistered").put("tag", tag));
        break;
      }
      case "discover": {
        ServiceDiscovery<Object> discovery = discovery(c.path("base").asText());
        ArrayNode found = JSON.createArrayNode();
        for (ServiceInstance<Object> i : discovery.queryForInstances(c.path("name").asText())) {
          ObjectNode o = found.addObject();
          o.put("id", i.getId()).put("address", i.getAddress()).put("name", i.getName());
          if (i.getPort() != null) o.put("port", i.getPort());
          if (i.getSslPort() != null) o.put("sslPort", i.getSslPort());
          o.set("payload", JSON.valueToTree(i.getPayload()));
          o.put("payloadClass", i.getPayload() == null ? null : i.getPayload().getClass().getName());
          if (i.getUriSpec() != null) o.put("uri", i.buildUriSpec());
        }
        discovery.close();
        emit(event("instances").set("instances", found));
        break;
      }
      case "close":
        client.close();
        emit(event("closed"));
        System.exit(0);
        break;
      default:
        throw new IllegalArgumentException("unknown command " + c);
    }
  }

  /** Acquires, reports, waits for the release command, releases, reports. */
  private static void hold(JsonNode c, String tag, CountDownLatch release) {
    try {
      Held held = acquire(c, () -> emit(event("acquired").put("tag", tag)), () -> emit(event("lost").put("tag", tag)));
      release.await();
      held.release();
      emit(event("released").put("tag", tag));
    } catch (Exception e) {
      emit(event("error").put("tag", tag).put("message", e.toString()));
    }
  }

  /** Something held, and how to let it go. */
  private interface Held {
    void release() throws Exception;
  }

  /** Takes the recipe of `c`; calls `acquired` once held (a latch may also call `lost`). */
  private static Held acquire(JsonNode c, Runnable acquired, Runnable lost) throws Exception {
    String path = c.path("path").asText();
    byte[] id = c.path("id").asText().getBytes(StandardCharsets.UTF_8);
    switch (c.path("recipe").asText()) {
      case "lock": {
        InterProcessMutex mutex = new InterProcessMutex(client, path);
        mutex.acquire();
        acquired.run();
        return mutex::release;
      }
      case "read":
      case "write": {
        InterProcessReadWriteLock rw = new InterProcessReadWriteLock(client, path, id);
        InterProcessMutex mutex = c.path("recipe").asText().equals("read") ? rw.readLock() : rw.writeLock();
        mutex.acquire();
        acquired.run();
        return mutex::release;
      }
      case "semaphore": {
        InterProcessSemaphoreV2 semaphore = new InterProcessSemaphoreV2(client, path, c.path("permits").asInt(1));
        semaphore.setNodeData(id);
        Lease lease = semaphore.acquire();
        acquired.run();
        return () -> semaphore.returnLease(lease);
      }
      case "leader": {
        LeaderLatch latch = new LeaderLatch(client, path, c.path("id").asText());
        CountDownLatch leading = new CountDownLatch(1);
        latch.addListener(new LeaderLatchListener() {
          @Override
          public void isLeader() {
            leading.countDown();
            acquired.run();
          }

          @Override
          public void notLeader() {
            lost.run();
          }
        });
        latch.start();
        leading.await();
        return latch::close;
      }
      default:
        throw new IllegalArgumentException("unknown recipe " + c.path("recipe").asText());
    }
  }

  /**
   * `count` turns of the recipe; in each, while holding, the shared-resource check: an exclusive
   * holder creates `<root>/x` (it must not exist), finds no reader under `<root>/r` and increments
   * `<root>/counter` without a version; a reader (every odd turn of a read/write lock) finds no
   * `<root>/x`. Reports the turns done and every overlap seen.
   */
  private static void cycles(JsonNode c) {
    String root = c.path("root").asText();
    int violations = 0;
    int done = 0;
    try {
      for (int i = 0; i < c.path("count").asInt(); i++) {
        ObjectNode turn = ((ObjectNode) c.deepCopy());
        boolean reader = c.path("recipe").asText().equals("read-write") && i % 2 == 1;
        if (c.path("recipe").asText().equals("read-write")) turn.put("recipe", reader ? "read" : "write");
        Held held = acquire(turn, () -> {}, () -> {});
        violations += reader ? readTurn(root) : exclusiveTurn(root);
        held.release();
        done++;
      }
      emit(event("cycles").put("done", done).put("violations", violations));
    } catch (Exception e) {
      emit(event("error").put("tag", "cycles").put("message", e.toString()));
    }
  }

  private static int exclusiveTurn(String root) throws Exception {
    int violations = 0;
    boolean mine = true;
    try {
      client.create().withMode(CreateMode.EPHEMERAL).forPath(root + "/x");
    } catch (KeeperException.NodeExistsException e) {
      violations++;
      mine = false;
    }
    if (!client.getChildren().forPath(root + "/r").isEmpty()) violations++;
    int value = Integer.parseInt(new String(client.getData().forPath(root + "/counter"), StandardCharsets.UTF_8));
    client.setData().forPath(root + "/counter", String.valueOf(value + 1).getBytes(StandardCharsets.UTF_8));
    if (mine) client.delete().forPath(root + "/x");
    return violations;
  }

  private static int readTurn(String root) throws Exception {
    String me = client.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(root + "/r/n-");
    int violations = client.checkExists().forPath(root + "/x") != null ? 1 : 0;
    client.delete().forPath(me);
    return violations;
  }

  private static ServiceDiscovery<Object> discovery(String base) throws Exception {
    ServiceDiscovery<Object> discovery = ServiceDiscoveryBuilder.builder(Object.class)
        .client(client)
        .basePath(base)
        .serializer(new JsonInstanceSerializer<>(Object.class))
        .build();
    discovery.start();
    return discovery;
  }

  private static ServiceInstance<Object> instance(JsonNode c) throws Exception {
    var builder = ServiceInstance.builder()
        .name(c.path("name").asText())
        .id(c.path("id").asText())
        .address(c.path("address").asText())
        .port(c.path("port").asInt());
    if (c.has("sslPort")) builder.sslPort(c.path("sslPort").asInt());
    if (c.has("payload")) builder.payload(JSON.convertValue(c.path("payload"), Object.class));
    if (c.has("uriSpec")) builder.uriSpec(new UriSpec(c.path("uriSpec").asText()));
    @SuppressWarnings("unchecked")
    ServiceInstance<Object> instance = (ServiceInstance<Object>) (ServiceInstance<?>) builder.build();
    return instance;
  }

  private static ObjectNode event(String name) {
    return JSON.createObjectNode().put("event", name);
  }

  private static synchronized void emit(ObjectNode event) {
    System.out.println(event.toString());
    System.out.flush();
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) s.append(String.format("%02x", b));
    return s.toString();
  }
}
