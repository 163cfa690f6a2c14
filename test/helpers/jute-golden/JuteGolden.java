import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.*;

/**
 * Golden bytes of ZooKeeper's client protocol, made by ZooKeeper's own jute classes, for
 * test/unit/wire/golden-bytes.test.ts.
 *
 * Prints one line per case: "golden NAME HEX", the frame the Java client would send (requests:
 * length, RequestHeader, record, as ClientCnxn.Packet frames them) or a server would send
 * (responses: length, ReplyHeader, record). Then reads lines "NAME HEX" from stdin, frames made
 * by rxzk, parses each with the jute class its name says, checks every byte was read, writes it
 * again and prints "again NAME HEX" (or "error NAME MESSAGE").
 *
 * Every value here is mirrored in the test; change both together.
 */
public class JuteGolden {
    static final String PATH = "/golden/é/日本";
    /** Beyond the BMP, where rxzk deliberately differs (see the test). */
    static final String ASTRAL = "/golden/😀/x";
    static final byte[] PASSWD = new byte[16];
    static final byte[] DATA = {1, 2, 3, 0, -1};
    static final List<ACL> ACLS = Arrays.asList(
        new ACL(31, new Id("world", "anyone")),
        new ACL(3, new Id("digest", "user:pw0=")));
    static {
        for (int i = 0; i < 16; i++) {
            PASSWD[i] = (byte) (i * 17);
        }
    }

    static Stat stat(long owner) {
        return new Stat(0x100000002L, 0x100000005L, 1795241655301L, 1795241655999L, 3, 1, 2, owner, 64, 2, 0x100000003L);
    }

    interface Body {
        void write(BinaryOutputArchive out) throws IOException;
    }

    static String frame(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        out.writeInt(-1, "len");
        body.write(out);
        byte[] all = bytes.toByteArray();
        int n = all.length - 4;
        all[0] = (byte) (n >>> 24);
        all[1] = (byte) (n >>> 16);
        all[2] = (byte) (n >>> 8);
        all[3] = (byte) n;
        return HexFormat.of().formatHex(all);
    }

    static String request(int xid, int type, Record record) throws IOException {
        return frame(out -> {
            new RequestHeader(xid, type).serialize(out, "header");
            if (record != null) {
                record.serialize(out, "request");
            }
        });
    }

    static String reply(int xid, long zxid, int err, Record record) throws IOException {
        return frame(out -> {
            new ReplyHeader(xid, zxid, err).serialize(out, "header");
            if (record != null) {
                record.serialize(out, "response");
            }
        });
    }

    static void golden(String name, String hex) {
        System.out.println("golden " + name + " " + hex);
    }

    static List<String> list(String... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    public static void main(String[] args) throws Exception {
        // Requests, as ClientCnxn frames them.
        golden("connect", frame(out -> {
            new ConnectRequest(0, 0x100000005L, 30000, 0x0123456789abcdefL, PASSWD).serialize(out, "connect");
            out.writeBool(true, "readOnly");
        }));
        golden("connect-new", frame(out -> {
            new ConnectRequest(0, 0, 6000, 0, new byte[16]).serialize(out, "connect");
            out.writeBool(false, "readOnly");
        }));
        golden("create", request(1, 1, new CreateRequest(PATH, DATA, ACLS, 3)));
        golden("create2", request(2, 15, new CreateRequest(PATH, null, ACLS, 0)));
        golden("createContainer", request(3, 19, new CreateRequest(PATH, new byte[0], ACLS, 4)));
        golden("createTTL", request(4, 21, new CreateTTLRequest(PATH, DATA, ACLS, 6, 123456789012L)));
        golden("delete", request(5, 2, new DeleteRequest(PATH, 5)));
        golden("exists", request(6, 3, new ExistsRequest(PATH, true)));
        golden("getData", request(7, 4, new GetDataRequest(PATH, false)));
        golden("setData", request(8, 5, new SetDataRequest(PATH, DATA, -1)));
        golden("getACL", request(9, 6, new GetACLRequest(PATH)));
        golden("setACL", request(10, 7, new SetACLRequest(PATH, ACLS, 2)));
        golden("getChildren", request(11, 8, new GetChildrenRequest(PATH, true)));
        golden("sync", request(12, 9, new SyncRequest(PATH)));
        golden("ping", request(-2, 11, null));
        golden("getChildren2", request(13, 12, new GetChildren2Request(PATH, false)));
        golden("multi", request(14, 14, new MultiOperationRecord(Arrays.asList(
            Op.create(PATH + "/a", DATA, ACLS, CreateMode.PERSISTENT_SEQUENTIAL),
            Op.create(PATH + "/c", null, ACLS, CreateMode.CONTAINER),
            Op.create(PATH + "/t", DATA, ACLS, CreateMode.PERSISTENT_WITH_TTL, 5000L),
            Op.delete(PATH + "/b", 3),
            Op.setData(PATH, DATA, -1),
            Op.check(PATH, 4)))));
        golden("multi-empty", request(15, 14, new MultiOperationRecord(new ArrayList<>())));
        golden("multiRead", request(16, 22, new MultiOperationRecord(Arrays.asList(
            Op.getData(PATH), Op.getChildren(PATH + "/x")))));
        golden("checkWatches", request(17, 17, new CheckWatchesRequest(PATH, 1)));
        golden("removeWatches", request(18, 18, new RemoveWatchesRequest(PATH, 3)));
        golden("auth", request(-4, 100, new AuthPacket(0, "digest", "user:pw".getBytes(StandardCharsets.UTF_8))));
        golden("setWatches", request(-8, 101, new SetWatches(0x100000007L, list("/d1", PATH), list("/e1"), list())));
        golden("setWatches2", request(-8, 105, new SetWatches2(0x100000007L, list("/d1"), list(), list("/c1"), list("/p1", "/p2"), list(PATH))));
        golden("getEphemerals", request(19, 103, new GetEphemeralsRequest("/golden/")));
        golden("getAllChildrenNumber", request(20, 104, new GetAllChildrenNumberRequest(PATH)));
        golden("addWatch", request(21, 106, new AddWatchRequest(PATH, 1)));
        golden("whoAmI", request(22, 107, null));
        golden("closeSession", request(23, -11, null));

        // Responses, as a server frames them.
        golden("r-connect", frame(out -> {
            new ConnectResponse(0, 20000, 0x0123456789abcdefL, PASSWD).serialize(out, "connect");
            out.writeBool(true, "readOnly");
        }));
        golden("r-connect-old", frame(out -> new ConnectResponse(0, 4000, 0x42L, PASSWD).serialize(out, "connect")));
        golden("r-connect-expired", frame(out -> {
            new ConnectResponse(0, 0, 0, new byte[16]).serialize(out, "connect");
            out.writeBool(false, "readOnly");
        }));
        golden("r-error", reply(5, 0x100000009L, -101, null));
        golden("r-stat", reply(8, 0x100000009L, 0, new SetDataResponse(stat(0x1000000abL))));
        golden("r-exists", reply(6, 0x100000009L, 0, new ExistsResponse(stat(0))));
        golden("r-getData", reply(7, 0x100000009L, 0, new GetDataResponse(DATA, stat(0))));
        golden("r-getData-null", reply(7, 0x100000009L, 0, new GetDataResponse(null, stat(-1L))));
        golden("r-getChildren", reply(11, 0x100000009L, 0, new GetChildrenResponse(list("a", "é", "zookeeper"))));
        golden("r-getChildren2", reply(13, 0x100000009L, 0, new GetChildren2Response(list("x"), stat(0))));
        golden("r-getACL", reply(9, 0x100000009L, 0, new GetACLResponse(ACLS, stat(0))));
        golden("r-create", reply(1, 0x10000000aL, 0, new CreateResponse(PATH + "0000000001")));
        golden("r-create2", reply(2, 0x10000000aL, 0, new Create2Response(PATH, stat(0))));
        golden("r-sync", reply(12, 0x10000000aL, 0, new SyncResponse(PATH)));
        MultiResponse multi = new MultiResponse();
        multi.add(new OpResult.CreateResult(PATH + "/a0000000007"));
        multi.add(new OpResult.CreateResult(PATH + "/c", stat(0)));
        multi.add(new OpResult.DeleteResult());
        multi.add(new OpResult.SetDataResult(stat(0)));
        multi.add(new OpResult.CheckResult());
        golden("r-multi", reply(14, 0x10000000bL, 0, multi));
        MultiResponse failed = new MultiResponse();
        failed.add(new OpResult.ErrorResult(0));
        failed.add(new OpResult.ErrorResult(-103));
        failed.add(new OpResult.ErrorResult(-2));
        golden("r-multi-failed", reply(14, 0x10000000bL, 0, failed));
        MultiResponse reads = new MultiResponse();
        reads.add(new OpResult.GetDataResult(DATA, stat(0)));
        reads.add(new OpResult.GetChildrenResult(list("k1", "k2")));
        reads.add(new OpResult.ErrorResult(-101));
        golden("r-multiRead", reply(16, 0x10000000bL, 0, reads));
        golden("r-getEphemerals", reply(19, 0x10000000bL, 0, new GetEphemeralsResponse(list("/golden/e1", "/golden/e2"))));
        golden("r-getAllChildrenNumber", reply(20, 0x10000000bL, 0, new GetAllChildrenNumberResponse(70000)));
        golden("r-addWatch", reply(21, 0x10000000bL, 0, new ErrorResponse(0)));
        golden("r-whoAmI", reply(22, 0x10000000bL, 0, new WhoAmIResponse(Arrays.asList(
            new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "user")))));
        golden("r-notification", reply(-1, -1L, 0, new WatcherEvent(3, 3, PATH)));
        golden("r-ping", reply(-2, 0x10000000bL, 0, null));
        golden("r-create-astral", reply(1, 0x10000000aL, 0, new CreateResponse(ASTRAL)));
        golden("r-auth-failed", reply(-4, 0, -115, null));

        // rxzk's frames, read back by the jute classes.
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            try {
                System.out.println("again " + parts[0] + " " + again(parts[0], HexFormat.of().parseHex(parts[1])));
            } catch (Exception e) {
                System.out.println("error " + parts[0] + " " + e);
            }
        }
    }

    /** Parses `bytes` as the case `name` says, checks nothing is left over, and frames it again. */
    static String again(String name, byte[] bytes) throws IOException {
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
        BinaryInputArchive in = BinaryInputArchive.getArchive(stream);
        int len = in.readInt("len");
        if (len != bytes.length - 4) {
            throw new IOException("length " + len + " but " + (bytes.length - 4) + " bytes follow");
        }
        String result;
        if (name.startsWith("connect")) {
            ConnectRequest request = new ConnectRequest();
            request.deserialize(in, "connect");
            boolean readOnly = in.readBool("readOnly");
            result = frame(out -> {
                request.serialize(out, "connect");
                out.writeBool(readOnly, "readOnly");
            });
        } else if (name.startsWith("r-connect")) {
            ConnectResponse response = new ConnectResponse();
            response.deserialize(in, "connect");
            boolean hasReadOnly = stream.available() > 0;
            boolean readOnly = hasReadOnly && in.readBool("readOnly");
            result = frame(out -> {
                response.serialize(out, "connect");
                if (hasReadOnly) {
                    out.writeBool(readOnly, "readOnly");
                }
            });
        } else if (name.startsWith("r-")) {
            ReplyHeader header = new ReplyHeader();
            header.deserialize(in, "header");
            Record record = responseRecord(name);
            if (record != null) {
                record.deserialize(in, "response");
            }
            result = reply(header.getXid(), header.getZxid(), header.getErr(), record);
        } else {
            RequestHeader header = new RequestHeader();
            header.deserialize(in, "header");
            Record record = requestRecord(header.getType());
            if (record != null) {
                record.deserialize(in, "request");
            }
            result = request(header.getXid(), header.getType(), record);
        }
        if (stream.available() != 0) {
            throw new IOException(stream.available() + " bytes left unread");
        }
        return result;
    }

    static Record requestRecord(int type) {
        switch (type) {
            case 1: case 15: case 19: return new CreateRequest();
            case 21: return new CreateTTLRequest();
            case 2: return new DeleteRequest();
            case 3: return new ExistsRequest();
            case 4: return new GetDataRequest();
            case 5: return new SetDataRequest();
            case 6: return new GetACLRequest();
            case 7: return new SetACLRequest();
            case 8: return new GetChildrenRequest();
            case 9: return new SyncRequest();
            case 12: return new GetChildren2Request();
            case 14: case 22: return new MultiOperationRecord();
            case 17: return new CheckWatchesRequest();
            case 18: return new RemoveWatchesRequest();
            case 100: return new AuthPacket();
            case 101: return new SetWatches();
            case 105: return new SetWatches2();
            case 103: return new GetEphemeralsRequest();
            case 104: return new GetAllChildrenNumberRequest();
            case 106: return new AddWatchRequest();
            default: return null;
        }
    }

    static Record responseRecord(String name) {
        switch (name) {
            case "r-stat": return new SetDataResponse();
            case "r-exists": return new ExistsResponse();
            case "r-getData": case "r-getData-null": return new GetDataResponse();
            case "r-getChildren": return new GetChildrenResponse();
            case "r-getChildren2": return new GetChildren2Response();
            case "r-getACL": return new GetACLResponse();
            case "r-create": case "r-create-astral": return new CreateResponse();
            case "r-create2": return new Create2Response();
            case "r-sync": return new SyncResponse();
            case "r-multi": case "r-multi-failed": case "r-multiRead": return new MultiResponse();
            case "r-getEphemerals": return new GetEphemeralsResponse();
            case "r-getAllChildrenNumber": return new GetAllChildrenNumberResponse();
            case "r-addWatch": return new ErrorResponse();
            case "r-whoAmI": return new WhoAmIResponse();
            case "r-notification": return new WatcherEvent();
            default: return null;
        }
    }
}
