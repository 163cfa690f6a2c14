"""A participant on kazoo 2's recipes, driven by one JSON command per line on stdin and reporting
one JSON event per line on stdout. One process is one kazoo client (one session).

Commands: session; hold {tag, recipe: lock|read|write|semaphore|leader, path, id, permits};
release {tag}; cycles {recipe, path, root, count, id, permits, readers}; participants {recipe, path};
close.
"""
import binascii
import json
import sys
import threading

from kazoo.client import KazooClient
from kazoo.exceptions import NodeExistsError

_out = threading.Lock()
_releases = {}


def emit(**event):
    with _out:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()


def recipe_of(zk, command, recipe=None):
    """The kazoo recipe object for a command: Lock, ReadLock, WriteLock, Semaphore or Election."""
    recipe = recipe or command["recipe"]
    path, ident = command["path"], command.get("id", "")
    if recipe == "lock":
        return zk.Lock(path, ident)
    if recipe == "read":
        return zk.ReadLock(path, ident)
    if recipe == "write":
        return zk.WriteLock(path, ident)
    if recipe == "semaphore":
        return zk.Semaphore(path, ident, max_leases=command.get("permits", 1))
    if recipe == "leader":
        return zk.Election(path, ident)
    raise ValueError("unknown recipe %s" % recipe)


def hold(zk, command, release):
    """Acquires, reports, waits for the release command, releases, reports."""
    tag = command["tag"]
    try:
        recipe = recipe_of(zk, command)
        if command["recipe"] == "leader":
            def lead():
                emit(event="acquired", tag=tag)
                release.wait()
            recipe.run(lead)
        else:
            recipe.acquire()
            emit(event="acquired", tag=tag)
            release.wait()
            recipe.release()
        emit(event="released", tag=tag)
    except Exception as error:  # reported to the test, which fails on it
        emit(event="error", tag=tag, message=repr(error))


def exclusive_turn(zk, root):
    """While holding alone: nobody else inside, no reader, a read-modify-write of the counter."""
    violations = 0
    mine = True
    try:
        zk.create(root + "/x", ephemeral=True)
    except NodeExistsError:
        violations += 1
        mine = False
    if zk.get_children(root + "/r"):
        violations += 1
    value, _ = zk.get(root + "/counter")
    zk.set(root + "/counter", str(int(value.decode()) + 1).encode())
    if mine:
        zk.delete(root + "/x")
    return violations


def read_turn(zk, root):
    """While holding as a reader: no exclusive holder inside."""
    me = zk.create(root + "/r/n-", ephemeral=True, sequence=True)
    violations = 1 if zk.exists(root + "/x") else 0
    zk.delete(me)
    return violations


def cycles(zk, command):
    root = command["root"]
    violations = 0
    done = 0
    try:
        for i in range(command["count"]):
            reader = command["recipe"] == "read-write" and i % 2 == 1 and command.get("readers", True)
            name = command["recipe"]
            if name == "read-write":
                name = "read" if reader else "write"
            recipe = recipe_of(zk, command, name)
            turn = read_turn if reader else exclusive_turn
            if name == "leader":
                found = []
                recipe.run(lambda: found.append(turn(zk, root)))
                violations += found[0]
            else:
                recipe.acquire()
                violations += turn(zk, root)
                recipe.release()
            done += 1
        emit(event="cycles", done=done, violations=violations)
    except Exception as error:
        emit(event="error", tag="cycles", message=repr(error))


def main():
    zk = KazooClient(hosts=sys.argv[1], timeout=int(sys.argv[2]) / 1000.0)
    zk.start(timeout=30)
    emit(event="ready")
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        cmd = command["cmd"]
        try:
            if cmd == "session":
                session_id, password = zk.client_id
                emit(event="session", id="%x" % session_id, password=binascii.hexlify(password).decode())
            elif cmd == "hold":
                release = threading.Event()
                _releases[command["tag"]] = release
                threading.Thread(target=hold, args=(zk, command, release), daemon=True).start()
            elif cmd == "release":
                release = _releases.pop(command["tag"], None)
                if release:
                    release.set()
            elif cmd == "cycles":
                threading.Thread(target=cycles, args=(zk, command), daemon=True).start()
            elif cmd == "participants":
                emit(event="participants", ids=recipe_of(zk, command).contenders())
            elif cmd == "close":
                zk.stop()
                zk.close()
                emit(event="closed")
                return
            else:
                raise ValueError("unknown command %s" % cmd)
        except Exception as error:
            emit(event="error", tag=command.get("tag", ""), message=repr(error))
    # The test went away: leave, taking the session with us.
    zk.stop()
    zk.close()


if __name__ == "__main__":
    main()
